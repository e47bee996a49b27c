// Groups room: one member of a classic group: identity, timeouts, the protocols it offered,
// its assignment, and the requests of its that wait for an answer.

import NIOCore

/// A consumer (or Connect worker...) in a classic group.
///
/// Mirrors Kafka's `ClassicGroupMember`. Its parked JoinGroup and SyncGroup are values, and its
/// session is a deadline in state, checked by `GroupCoordinator.tick`.
public struct ClassicGroupMember: Equatable, Sendable {
    public let memberId: String
    /// `group.instance.id`: set for static members, whose identity survives restarts.
    public var groupInstanceId: String?
    public var clientId: String
    public var clientHost: String
    public var rebalanceTimeoutMs: Int32
    public var sessionTimeoutMs: Int32
    public var protocolType: String
    /// The protocols offered in the last JoinGroup, in the member's order of preference.
    public var supportedProtocols: [JoinGroupRequest.GroupProtocol]
    /// The bytes the leader assigned this member in the current generation.
    public var assignment: ByteBuffer

    /// The member's JoinGroup waiting for the join phase to end.
    public internal(set) var awaitingJoin: ParkedRequest?
    /// The member's SyncGroup waiting for the leader's assignment.
    public internal(set) var awaitingSync: ParkedRequest?
    /// True from joining until its first generation completes: such a member's parked
    /// JoinGroup may time out (`newMemberJoinTimeout`).
    public internal(set) var isNew: Bool
    /// When the session expires unless a heartbeat (or a rebalance step) moves it; nil while
    /// the member waits in a rebalance, which counts as alive.
    public internal(set) var heartbeatDeadline: Instant?

    public init(
        memberId: String, groupInstanceId: String?, clientId: String, clientHost: String,
        rebalanceTimeoutMs: Int32, sessionTimeoutMs: Int32, protocolType: String,
        supportedProtocols: [JoinGroupRequest.GroupProtocol], assignment: ByteBuffer = ByteBuffer()
    ) {
        self.memberId = memberId
        self.groupInstanceId = groupInstanceId
        self.clientId = clientId
        self.clientHost = clientHost
        self.rebalanceTimeoutMs = rebalanceTimeoutMs
        self.sessionTimeoutMs = sessionTimeoutMs
        self.protocolType = protocolType
        self.supportedProtocols = supportedProtocols
        self.assignment = assignment
        self.awaitingJoin = nil
        self.awaitingSync = nil
        self.isNew = false
        self.heartbeatDeadline = nil
    }

    public var isStaticMember: Bool { groupInstanceId != nil }
    public var isAwaitingJoin: Bool { awaitingJoin != nil }
    public var isAwaitingSync: Bool { awaitingSync != nil }

    /// A member waiting in a rebalance is alive by definition, unless it is new (then its
    /// JoinGroup may time out). Mirrors `ClassicGroupMember.hasSatisfiedHeartbeat`.
    public var hasSatisfiedHeartbeat: Bool {
        if isNew { return false }
        return isAwaitingJoin || isAwaitingSync
    }

    /// The metadata the member offered for `protocolName`, or empty bytes.
    public func metadata(_ protocolName: String?) -> ByteBuffer {
        supportedProtocols.first { $0.name == protocolName }?.metadata ?? ByteBuffer()
    }

    /// Whether a JoinGroup's protocols are exactly those the member offered last time (same
    /// names, same order, same metadata): if so, no rebalance is needed.
    public func matches(_ protocols: [JoinGroupRequest.GroupProtocol]) -> Bool {
        protocols == supportedProtocols
    }

    /// The member's first preference among `candidates` (Kafka's `vote`).
    public func vote(_ candidates: Set<String>) -> String? {
        supportedProtocols.first { candidates.contains($0.name) }?.name
    }
}
