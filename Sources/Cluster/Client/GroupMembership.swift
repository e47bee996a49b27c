// Client room: a group member's membership as a pure state machine: what to send in
// JoinGroup, SyncGroup and Heartbeat, and what each answer's error code means next.

import NIOCore

/// Where a member stands in the classic rebalance protocol. Mirrors Kafka's
/// `AbstractCoordinator.MemberState`.
public enum GroupMemberState: String, Sendable, Equatable {
    /// No generation: the member must (re)join.
    case unjoined
    /// JoinGroup sent, waiting for the coordinator to close the generation.
    case preparingRebalance
    /// Joined; SyncGroup sent, waiting for this generation's assignment.
    case completingRebalance
    /// Assigned and heartbeating.
    case stable
}

/// What the driver does after a JoinGroup answer.
public enum JoinOutcome: Equatable, Sendable {
    /// Send SyncGroup; as the leader, with every member's assignment.
    case synchronize(leader: Bool)
    /// Send JoinGroup again now (MEMBER_ID_REQUIRED, or the member was reset).
    case rejoin
    /// Back off, then join again (a rebalance or coordinator load in progress).
    case retryAfterBackoff
    /// The coordinator moved or is down: find it again, then join.
    case findCoordinator
    /// Nothing will fix this by retrying (FENCED_INSTANCE_ID, bad config...).
    case fatal(ErrorCode)
}

/// What the driver does after a SyncGroup answer.
public enum SyncOutcome: Equatable, Sendable {
    /// This generation's assignment.
    case assigned([TopicPartition])
    case rejoin
    case findCoordinator
    case fatal(ErrorCode)
}

/// What the driver does after a Heartbeat (or an OffsetCommit's group-level error).
public enum HeartbeatOutcome: Equatable, Sendable {
    case ok
    /// A rebalance started: revoke (committing first), then rejoin with the same member id.
    case rejoin
    /// The coordinator no longer knows this member or generation: the partitions are lost
    /// (no commit is possible), and the member rejoins as new.
    case lost
    case findCoordinator
    case fatal(ErrorCode)
}

/// One consumer's membership in a classic group, decided without I/O.
///
/// The `GroupConsumer` actor sends what this builds and feeds back what the coordinator
/// answers; every error code maps to one next step, as in Kafka's `AbstractCoordinator`
/// (`JoinGroupResponseHandler`, `SyncGroupResponseHandler`, `HeartbeatResponseHandler`)
/// and `ConsumerCoordinator`. Generation -1 and member id "" mean "no generation".
public struct GroupMembership: Sendable, Equatable {
    public let groupId: String
    public let groupInstanceId: String?
    public let strategies: [Assignors.Strategy]
    public private(set) var state: GroupMemberState = .unjoined
    public private(set) var memberId = ""
    public private(set) var generationId: Int32 = -1
    public private(set) var leaderId = ""
    public private(set) var protocolName: String?
    /// The coordinator's node id, once FindCoordinator answered.
    public var coordinator: Int32?
    /// The partitions of the current generation.
    public private(set) var assignment: [TopicPartition] = []
    /// What this member owned before revoking, and in which generation, for the sticky
    /// assignor's ownedPartitions (the eager protocol revokes everything before rejoining).
    public private(set) var lastOwned: [TopicPartition] = []
    public private(set) var lastOwnedGeneration: Int32 = -1

    public init(groupId: String, groupInstanceId: String?, strategies: [Assignors.Strategy]) {
        self.groupId = groupId
        self.groupInstanceId = groupInstanceId
        self.strategies = strategies
    }

    public var isLeader: Bool { !memberId.isEmpty && memberId == leaderId && state == .stable }
    public var needsJoin: Bool { state == .unjoined }

    // MARK: - JoinGroup

    /// JoinGroup with protocol type "consumer" and one protocol per assignor, each carrying
    /// the subscription (sticky also the partitions owned before revocation).
    public mutating func joinRequest(
        topics: [String], sessionTimeout: Duration, rebalanceTimeout: Duration
    ) -> JoinGroupRequest {
        state = .preparingRebalance
        let sortedTopics = topics.sorted()
        let protocols = strategies.map { strategy in
            var subscription = ConsumerProtocolSubscription(topics: sortedTopics)
            if strategy == .sticky {
                let owned = lastOwned.map { Assignors.TopicPartition($0.topic, $0.partition) }
                subscription.ownedPartitions =
                    Assignors.consumerAssignment(owned).assignedPartitions
                subscription.generationId = lastOwnedGeneration
            }
            return JoinGroupRequest.GroupProtocol(
                name: strategy.protocolName, metadata: subscription.encoded())
        }
        return JoinGroupRequest(
            groupId: groupId, sessionTimeoutMs: Int32(clamping: sessionTimeout.milliseconds),
            rebalanceTimeoutMs: Int32(clamping: rebalanceTimeout.milliseconds),
            memberId: memberId, groupInstanceId: groupInstanceId,
            protocolType: ConsumerProtocolSubscription.protocolType, protocols: protocols)
    }

    public mutating func handleJoin(_ response: JoinGroupResponse) -> JoinOutcome {
        switch response.errorCode {
        case .none:
            memberId = response.memberId
            generationId = response.generationId
            leaderId = response.leader
            protocolName = response.protocolName
            state = .completingRebalance
            return .synchronize(leader: response.leader == response.memberId)
        case .memberIdRequired:
            // KIP-394: the coordinator gave us an id; join again with it.
            memberId = response.memberId
            state = .unjoined
            return .rejoin
        case .unknownMemberId, .illegalGeneration:
            resetMember()
            return .rejoin
        case .coordinatorNotAvailable, .notCoordinator:
            coordinator = nil
            state = .unjoined
            return .findCoordinator
        case .coordinatorLoadInProgress, .rebalanceInProgress:
            state = .unjoined
            return .retryAfterBackoff
        case let code where code.isRetriable:
            state = .unjoined
            return .retryAfterBackoff
        case let code:
            state = .unjoined
            return .fatal(code)
        }
    }

    // MARK: - SyncGroup

    /// The leader's assignments from everyone's subscriptions, or none for a follower.
    public func syncRequest(
        joined: JoinGroupResponse, partitionsPerTopic: [String: Int32]
    ) throws(DecodeError) -> SyncGroupRequest {
        var assignments: [SyncGroupRequest.Assignment] = []
        if joined.leader == joined.memberId {
            let strategy =
                strategies.first { $0.protocolName == joined.protocolName } ?? strategies.first
                ?? .range
            assignments = try Assignors.syncAssignments(
                strategy, members: joined.members, partitionsPerTopic: partitionsPerTopic)
        }
        return SyncGroupRequest(
            groupId: groupId, generationId: generationId, memberId: memberId,
            groupInstanceId: groupInstanceId,
            protocolType: ConsumerProtocolSubscription.protocolType,
            protocolName: protocolName, assignments: assignments)
    }

    public mutating func handleSync(_ response: SyncGroupResponse) -> SyncOutcome {
        switch response.errorCode {
        case .none:
            let decoded: ConsumerProtocolAssignment
            if response.assignment.readableBytes == 0 {
                decoded = ConsumerProtocolAssignment(assignedPartitions: [])
            } else {
                do {
                    decoded = try ConsumerProtocolAssignment(decoding: response.assignment)
                } catch {
                    state = .unjoined
                    return .fatal(.inconsistentGroupProtocol)
                }
            }
            var partitions: [TopicPartition] = []
            for topic in decoded.assignedPartitions {
                for p in topic.partitions { partitions.append(TopicPartition(topic.topic, p)) }
            }
            assignment = Array(Set(partitions)).sorted()
            state = .stable
            return .assigned(assignment)
        case .rebalanceInProgress:
            state = .unjoined
            return .rejoin
        case .unknownMemberId, .illegalGeneration:
            resetMember()
            return .rejoin
        case .coordinatorNotAvailable, .notCoordinator:
            coordinator = nil
            state = .unjoined
            return .findCoordinator
        case let code where code.isRetriable:
            state = .unjoined
            return .rejoin
        case let code:
            state = .unjoined
            return .fatal(code)
        }
    }

    // MARK: - Heartbeat

    public func heartbeatRequest() -> HeartbeatRequest {
        HeartbeatRequest(
            groupId: groupId, generationId: generationId, memberId: memberId,
            groupInstanceId: groupInstanceId)
    }

    /// Also used for OffsetCommit's group-level errors, which mean the same.
    public mutating func handleHeartbeat(_ code: ErrorCode) -> HeartbeatOutcome {
        switch code {
        case .none:
            return .ok
        case .rebalanceInProgress:
            // Only a member of a stable generation rejoins; one still joining carries on.
            if state == .stable { state = .unjoined }
            return .rejoin
        case .unknownMemberId, .illegalGeneration:
            resetMember()
            return .lost
        case .coordinatorNotAvailable, .notCoordinator:
            coordinator = nil
            return .findCoordinator
        case let code where code.isRetriable:
            return .ok
        case let code:
            return .fatal(code)
        }
    }

    // MARK: - Transitions

    /// Eager revocation before a rejoin: forgets the assignment, remembering it (and its
    /// generation) for sticky, and returns what was revoked.
    public mutating func revokeAll() -> [TopicPartition] {
        let revoked = assignment
        if !revoked.isEmpty {
            lastOwned = revoked
            lastOwnedGeneration = generationId
        }
        assignment = []
        if state == .stable { state = .unjoined }
        return revoked
    }

    /// Asks for a rejoin (a subscription change, or max.poll.interval.ms exceeded).
    public mutating func requestRejoin() {
        state = .unjoined
    }

    /// Forgets member id and generation (Kafka's `resetGenerationOnError`); the partitions
    /// are lost, not revoked, so nothing of them is kept for sticky.
    public mutating func resetMember() {
        memberId = ""
        generationId = -1
        leaderId = ""
        protocolName = nil
        state = .unjoined
        assignment = []
        lastOwned = []
        lastOwnedGeneration = -1
    }
}
