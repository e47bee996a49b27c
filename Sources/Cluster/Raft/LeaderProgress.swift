// Raft room: what a KRaft leader tracks about its epoch: where it began, how far each replica
// has fetched, which fetches are parked, and whether a majority still talks to it.

/// A Fetch the leader holds until data or a new high watermark arrives, or `deadline`.
struct ParkedRaftFetch: Equatable, Sendable {
    var from: NodeID
    var correlationId: Int32
    var request: RaftFetchData
    var deadline: Instant
}

/// The leader's view of its followers (Kafka's `LeaderState`).
struct LeaderProgress: Equatable, Sendable {
    /// The offset of this epoch's LeaderChange record: nothing counts as committed until it is.
    var epochStartOffset: Int64 = 0
    /// Each replica's log end offset as its last Fetch showed it.
    var endOffsets: [NodeID: Int64] = [:]
    var lastFetch: [NodeID: Instant] = [:]
    var lastCaughtUp: [NodeID: Instant] = [:]
    /// The high watermark each replica was last told, so a fetch from one that has not heard
    /// the newest is answered at once (what KIP-1166 does with a high watermark in the request).
    var toldHighWatermark: [NodeID: Int64] = [:]
    var parked: [ParkedRaftFetch] = []
    var beginQuorumResendAt: Instant?
    /// Voters heard from since the check-quorum timer was last reset.
    var heardFrom: Set<NodeID> = []
    var checkQuorumDeadline: Instant?

    func deadlines(config: RaftConfig) -> [Instant] {
        var out = parked.map(\.deadline)
        if let resend = beginQuorumResendAt { out.append(resend) }
        if let check = checkQuorumDeadline { out.append(check) }
        return out
    }
}

/// What DescribeQuorum reports about one replica (Kafka's `ReplicaState`).
public struct QuorumReplicaState: Equatable, Sendable {
    public var replicaId: NodeID
    public var logEndOffset: Int64
    /// When the leader last heard a Fetch from it (nil: never in this epoch).
    public var lastFetch: Instant?
    /// When it was last known to have the leader's whole log.
    public var lastCaughtUp: Instant?
}

/// A leader's answer to DescribeQuorum, as data.
public struct QuorumDescription: Equatable, Sendable {
    public var leaderId: NodeID
    public var leaderEpoch: Int32
    public var highWatermark: Int64
    public var voters: [QuorumReplicaState]
    public var observers: [QuorumReplicaState]
}
