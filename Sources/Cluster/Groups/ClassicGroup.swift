// Groups room: one classic group's state (generation, protocol, leader, members, pending
// joiners, timers) and the membership operations the coordinator's handlers build on.

import NIOCore

/// A consumer group under the classic (JoinGroup/SyncGroup) protocol.
///
/// A plain value: members, parked requests and deadlines are all data, so the coordinator can
/// be copied, compared and replayed. Members are iterated in member-id order wherever order can
/// reach an output. Mirrors Kafka's `ClassicGroup`.
public struct ClassicGroup: Sendable {
    /// What the join-phase timer will do when it fires.
    enum JoinTimerKind: Equatable, Sendable {
        /// `group.initial.rebalance.delay.ms` for an empty group's first rebalance, extended
        /// while new members arrive (Kafka's `InitialDelayedJoin`).
        case initialDelay(delayMs: Int64, remainingMs: Int64)
        /// The rebalance timeout: members that have not rejoined by then are removed.
        case rebalance
    }

    struct JoinTimer: Equatable, Sendable {
        var deadline: Instant
        var kind: JoinTimerKind
    }

    /// Members that have not sent SyncGroup by `deadline` are removed.
    struct SyncTimer: Equatable, Sendable {
        var deadline: Instant
        var generationId: Int32
    }

    public let groupId: String
    public internal(set) var state: ClassicGroupState = .empty
    public internal(set) var previousState: ClassicGroupState = .empty
    public internal(set) var generationId: Int32 = 0
    /// Set by the first member to join ("consumer" for consumers); nil for a group that only
    /// ever committed offsets (a "simple" group).
    public internal(set) var protocolType: String?
    /// The protocol (assignor) chosen for the current generation.
    public internal(set) var protocolName: String?
    public internal(set) var leaderId: String?
    public internal(set) var members: [String: ClassicGroupMember] = [:]
    /// group.instance.id → member id.
    public internal(set) var staticMembers: [String: String] = [:]
    /// Member ids handed out with MEMBER_ID_REQUIRED, each with the deadline by which it must
    /// rejoin.
    public internal(set) var pendingJoinMembers: [String: Instant] = [:]
    /// Members of the current generation that have not sent SyncGroup yet.
    public internal(set) var pendingSyncMembers: Set<String> = []
    /// Wall-clock milliseconds of the last state change.
    public internal(set) var currentStateTimestampMs: Int64?
    /// Topics the members subscribe to (consumer protocol only); nil when unknown.
    public internal(set) var subscribedTopics: Set<String>?
    var newMemberAdded = false
    var joinTimer: JoinTimer?
    var syncTimer: SyncTimer?

    public init(groupId: String) { self.groupId = groupId }

    // MARK: - Reading

    public var sortedMemberIds: [String] { members.keys.sorted() }
    public var isEmpty: Bool { state == .empty }
    public var numAwaitingJoinResponse: Int { members.values.count { $0.isAwaitingJoin } }
    public func isLeader(_ memberId: String) -> Bool { leaderId == memberId }
    public var usesConsumerGroupProtocol: Bool {
        protocolType == ConsumerProtocolSubscription.protocolType
    }

    /// Every member has rejoined and no MEMBER_ID_REQUIRED joiner is outstanding.
    public var hasAllMembersJoined: Bool {
        numAwaitingJoinResponse == members.count && pendingJoinMembers.isEmpty
    }

    /// The longest rebalance timeout among members: how long a join phase may last.
    public var rebalanceTimeoutMs: Int32 { members.values.map(\.rebalanceTimeoutMs).max() ?? 0 }

    /// Whether the group may start a rebalance from its current state.
    public var canRebalance: Bool {
        ClassicGroupState.preparingRebalance.validPreviousStates.contains(state)
    }

    public func isSubscribed(to topic: String) -> Bool {
        subscribedTopics.map { $0.contains(topic) } ?? usesConsumerGroupProtocol
    }

    /// A joining member's protocols fit the group: any type and at least one protocol while
    /// empty; afterwards the group's type and a protocol every member supports.
    public func supportsProtocols(
        _ type: String, _ protocols: [JoinGroupRequest.GroupProtocol]
    ) -> Bool {
        if state == .empty { return !type.isEmpty && !protocols.isEmpty }
        guard protocolType == type else { return false }
        // A group can be rebalancing with no members left (only MEMBER_ID_REQUIRED joiners):
        // then any protocol fits, as in Kafka, where each name's count (0) equals the size (0).
        let counts = protocolCounts
        return protocols.contains { (counts[$0.name] ?? 0) == members.count }
    }

    /// How many members offer each protocol name.
    var protocolCounts: [String: Int] {
        var counts: [String: Int] = [:]
        for member in members.values {
            for name in Set(member.supportedProtocols.map(\.name)) { counts[name, default: 0] += 1 }
        }
        return counts
    }

    /// Protocols that every member offers.
    var candidateProtocols: Set<String> {
        Set(protocolCounts.filter { $0.value == members.count }.keys)
    }

    /// The protocol with the most first-preference votes among those all members support;
    /// ties go to the smallest name so the choice does not depend on hash order.
    public func selectProtocol() -> String? {
        let candidates = candidateProtocols
        var votes: [String: Int] = [:]
        for member in members.values {
            if let vote = member.vote(candidates) { votes[vote, default: 0] += 1 }
        }
        return votes.sorted { ($1.value, $0.key) < ($0.value, $1.key) }.first?.key
    }

    /// Kafka's `validateMember`: a static member must be the one registered for its instance
    /// id (else FENCED_INSTANCE_ID); any member must be known (else UNKNOWN_MEMBER_ID).
    public func validateMember(_ memberId: String, instanceId: String?) -> ErrorCode? {
        if let instanceId {
            guard let existing = staticMembers[instanceId] else { return .unknownMemberId }
            if existing != memberId { return .fencedInstanceId }
        }
        return members[memberId] == nil ? .unknownMemberId : nil
    }

    // MARK: - Membership

    /// Adds a member (its protocols already checked against the group).
    mutating func add(_ member: ClassicGroupMember, _ effects: inout GroupEffects) {
        if let instance = member.groupInstanceId { staticMembers[instance] = member.memberId }
        if members.isEmpty { protocolType = member.protocolType }
        if leaderId == nil { leaderId = member.memberId }
        members[member.memberId] = member
        pendingJoinMembers[member.memberId] = nil
        effects.events.append(.memberAdded(groupId: groupId, memberId: member.memberId))
    }

    /// Removes a member, answering any request of its still parked (a JoinGroup with
    /// `joinError`, a SyncGroup with UNKNOWN_MEMBER_ID: Kafka leaves the latter unanswered; we
    /// answer so no request stays parked forever). A new leader is the smallest remaining id.
    mutating func remove(
        _ memberId: String, reason: String, joinError: ErrorCode, _ effects: inout GroupEffects
    ) {
        pendingJoinMembers[memberId] = nil
        pendingSyncMembers.remove(memberId)
        guard let member = members.removeValue(forKey: memberId) else { return }
        if let parked = member.awaitingJoin {
            effects.respond(
                parked.id, .joinGroup(JoinGroupResponse(errorCode: joinError, memberId: "")))
        }
        if let parked = member.awaitingSync {
            effects.respond(parked.id, .syncGroup(SyncGroupResponse(errorCode: .unknownMemberId)))
        }
        if let instance = member.groupInstanceId, staticMembers[instance] == memberId {
            staticMembers[instance] = nil
        }
        if leaderId == memberId { leaderId = sortedMemberIds.first }
        effects.events.append(.memberRemoved(groupId: groupId, memberId: memberId, reason: reason))
    }

    /// Takes a rejoining member's new protocols and timeouts, and parks its JoinGroup.
    mutating func updateMember(
        _ memberId: String, protocols: [JoinGroupRequest.GroupProtocol], rebalanceTimeoutMs: Int32,
        sessionTimeoutMs: Int32, parked: ParkedRequest?
    ) {
        members[memberId]?.supportedProtocols = protocols
        members[memberId]?.rebalanceTimeoutMs = rebalanceTimeoutMs
        members[memberId]?.sessionTimeoutMs = sessionTimeoutMs
        members[memberId]?.awaitingJoin = parked
    }

    /// A static member came back with a new member id: the old id's parked requests are fenced
    /// (FENCED_INSTANCE_ID) and the new id takes over its place, assignment and leadership.
    /// Mirrors `ClassicGroup.replaceStaticMember`.
    mutating func replaceStaticMember(
        instanceId: String, oldMemberId: String, newMemberId: String, _ effects: inout GroupEffects
    ) -> ClassicGroupMember? {
        guard let old = members.removeValue(forKey: oldMemberId) else { return nil }
        if let parked = old.awaitingJoin {
            effects.respond(
                parked.id,
                .joinGroup(JoinGroupResponse(errorCode: .fencedInstanceId, memberId: oldMemberId)))
        }
        if let parked = old.awaitingSync {
            effects.respond(parked.id, .syncGroup(SyncGroupResponse(errorCode: .fencedInstanceId)))
        }
        pendingSyncMembers.remove(oldMemberId)
        var replacement = ClassicGroupMember(
            memberId: newMemberId, groupInstanceId: old.groupInstanceId, clientId: old.clientId,
            clientHost: old.clientHost, rebalanceTimeoutMs: old.rebalanceTimeoutMs,
            sessionTimeoutMs: old.sessionTimeoutMs, protocolType: old.protocolType,
            supportedProtocols: old.supportedProtocols, assignment: old.assignment)
        replacement.heartbeatDeadline = old.heartbeatDeadline
        members[newMemberId] = replacement
        if leaderId == oldMemberId { leaderId = newMemberId }
        staticMembers[instanceId] = newMemberId
        effects.events.append(
            .memberRemoved(
                groupId: groupId, memberId: oldMemberId,
                reason: "replaced by static member \(newMemberId)"))
        effects.events.append(.memberAdded(groupId: groupId, memberId: newMemberId))
        return replacement
    }

    /// Moves to `target`, stamping the time; a transition Kafka forbids is a bug here.
    mutating func transition(
        to target: ClassicGroupState, _ context: GroupContext, _ effects: inout GroupEffects
    ) {
        precondition(
            target.validPreviousStates.contains(state),
            "group \(groupId): invalid transition \(state) -> \(target)")
        effects.events.append(
            .stateChanged(groupId: groupId, from: state, to: target, generationId: generationId))
        previousState = state
        state = target
        currentStateTimestampMs = context.wallClockMs
    }

    mutating func rescheduleHeartbeat(_ memberId: String, after ms: Int32, _ context: GroupContext)
    {
        members[memberId]?.heartbeatDeadline = context.after(milliseconds: ms)
    }

    mutating func rescheduleHeartbeat(_ memberId: String, _ context: GroupContext) {
        guard let member = members[memberId] else { return }
        rescheduleHeartbeat(memberId, after: member.sessionTimeoutMs, context)
    }

    /// The topics members subscribe to, read from their metadata for the chosen protocol with
    /// the consumer protocol's v0 prefix; nil if not a consumer group or unreadable.
    func computeSubscribedTopics() -> Set<String>? {
        guard usesConsumerGroupProtocol else { return nil }
        if members.isEmpty { return [] }
        guard let protocolName else { return nil }
        var topics: Set<String> = []
        for member in members.values {
            guard
                let names = try? ConsumerProtocolSubscription.topics(
                    in: member.metadata(protocolName))
            else {
                return nil
            }
            topics.formUnion(names)
        }
        return topics
    }
}
