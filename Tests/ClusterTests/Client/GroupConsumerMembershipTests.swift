// Client tests: the group member's pure state machine. Goal: JoinGroup carries one consumer
// protocol per assignor; the MEMBER_ID_REQUIRED round trip; the leader's SyncGroup shares out
// all partitions; each Heartbeat error code leads to the step Kafka's coordinator takes.

import NIOCore
import Testing

@testable import Cluster

@Suite struct GroupConsumerMembershipTests {
    static func membership(_ strategies: [Assignors.Strategy] = [.range, .sticky])
        -> GroupMembership
    {
        GroupMembership(groupId: "g", groupInstanceId: nil, strategies: strategies)
    }

    static func joined(
        _ m: inout GroupMembership, memberId: String = "m-1", leader: String = "m-1",
        generation: Int32 = 1, members: [JoinGroupResponse.Member] = []
    ) -> JoinGroupResponse {
        _ = m.joinRequest(topics: ["t"], sessionTimeout: .seconds(10), rebalanceTimeout: .seconds(30))
        let response = JoinGroupResponse(
            generationId: generation, protocolType: "consumer", protocolName: "range",
            leader: leader, memberId: memberId, members: members)
        _ = m.handleJoin(response)
        return response
    }

    static func assignmentBytes(_ topic: String, _ partitions: [Int32]) -> ByteBuffer {
        ConsumerProtocolAssignment(assignedPartitions: [.init(topic: topic, partitions: partitions)])
            .encoded()
    }

    static func stable(_ partitions: [Int32] = [0, 1]) -> GroupMembership {
        var m = membership()
        _ = joined(&m)
        _ = m.handleSync(SyncGroupResponse(assignment: assignmentBytes("t", partitions)))
        return m
    }

    @Test("JoinGroup offers one consumer protocol per assignor, in preference order, with the subscription")
    func joinRequestCarriesProtocols() throws {
        var m = Self.membership()
        let request = m.joinRequest(
            topics: ["b", "a"], sessionTimeout: .seconds(10), rebalanceTimeout: .seconds(300))
        #expect(request.protocolType == "consumer")
        #expect(request.protocols.map(\.name) == ["range", "sticky"])
        #expect(request.memberId == "")
        #expect(request.sessionTimeoutMs == 10_000 && request.rebalanceTimeoutMs == 300_000)
        let subscription = try ConsumerProtocolSubscription(decoding: request.protocols[0].metadata)
        #expect(subscription.topics == ["a", "b"])
        #expect(m.state == .preparingRebalance)
    }

    @Test("MEMBER_ID_REQUIRED keeps the given member id and asks to join again with it")
    func memberIdRequired() {
        var m = Self.membership()
        _ = m.joinRequest(topics: ["t"], sessionTimeout: .seconds(10), rebalanceTimeout: .seconds(30))
        let outcome = m.handleJoin(JoinGroupResponse(errorCode: .memberIdRequired, memberId: "m-9"))
        #expect(outcome == .rejoin)
        let again = m.joinRequest(topics: ["t"], sessionTimeout: .seconds(10), rebalanceTimeout: .seconds(30))
        #expect(again.memberId == "m-9")
    }

    @Test("a JoinGroup answer makes the member leader or follower of the generation")
    func joinOutcomes() {
        var leader = Self.membership()
        _ = leader.joinRequest(topics: ["t"], sessionTimeout: .seconds(10), rebalanceTimeout: .seconds(30))
        #expect(
            leader.handleJoin(JoinGroupResponse(generationId: 3, leader: "a", memberId: "a"))
                == .synchronize(leader: true))
        #expect(leader.generationId == 3 && leader.state == .completingRebalance)
        var follower = Self.membership()
        _ = follower.joinRequest(topics: ["t"], sessionTimeout: .seconds(10), rebalanceTimeout: .seconds(30))
        #expect(
            follower.handleJoin(JoinGroupResponse(generationId: 3, leader: "a", memberId: "b"))
                == .synchronize(leader: false))
    }

    @Test("JoinGroup errors: coordinator moved, rebalance busy, unknown member, fenced instance",
        arguments: [
            (ErrorCode.notCoordinator, JoinOutcome.findCoordinator),
            (.coordinatorNotAvailable, .findCoordinator),
            (.coordinatorLoadInProgress, .retryAfterBackoff),
            (.unknownMemberId, .rejoin),
            (.fencedInstanceId, .fatal(.fencedInstanceId)),
            (.inconsistentGroupProtocol, .fatal(.inconsistentGroupProtocol)),
        ])
    func joinErrors(code: ErrorCode, expected: JoinOutcome) {
        var m = Self.membership()
        _ = m.joinRequest(topics: ["t"], sessionTimeout: .seconds(10), rebalanceTimeout: .seconds(30))
        m.coordinator = 2
        #expect(m.handleJoin(JoinGroupResponse(errorCode: code)) == expected)
        #expect(m.state == .unjoined)
        if expected == .findCoordinator { #expect(m.coordinator == nil) }
    }

    @Test("the leader's SyncGroup shares every partition among all members; a follower's is empty")
    func leaderAssigns() throws {
        let subscription = ConsumerProtocolSubscription(topics: ["t"]).encoded()
        var m = Self.membership([.roundrobin])
        let members = ["m-1", "m-2"].map {
            JoinGroupResponse.Member(memberId: $0, metadata: subscription)
        }
        var joined = Self.joined(&m, members: members)
        joined.protocolName = "roundrobin"
        let request = try m.syncRequest(joined: joined, partitionsPerTopic: ["t": 4])
        #expect(request.generationId == 1 && request.memberId == "m-1")
        var owners: [Int32: String] = [:]
        for a in request.assignments {
            let decoded = try ConsumerProtocolAssignment(decoding: a.assignment)
            for tp in decoded.assignedPartitions {
                for p in tp.partitions { #expect(owners.updateValue(a.memberId, forKey: p) == nil) }
            }
        }
        #expect(owners.keys.sorted() == [0, 1, 2, 3])
        #expect(Set(owners.values) == ["m-1", "m-2"])

        var follower = Self.membership()
        let followerJoin = Self.joined(&follower, memberId: "m-2", leader: "m-1")
        #expect(try follower.syncRequest(joined: followerJoin, partitionsPerTopic: ["t": 4]).assignments.isEmpty)
    }

    @Test("SyncGroup's assignment bytes become the member's sorted partitions and a stable state")
    func syncAssigns() {
        let m = Self.stable([3, 1])
        #expect(m.assignment == [TopicPartition("t", 1), TopicPartition("t", 3)])
        #expect(m.state == .stable && m.isLeader)
    }

    @Test("an empty SyncGroup assignment is a stable member with no partitions")
    func emptySync() {
        var m = Self.membership()
        _ = Self.joined(&m)
        #expect(m.handleSync(SyncGroupResponse(assignment: ByteBuffer())) == .assigned([]))
        #expect(m.state == .stable)
    }

    @Test("SyncGroup REBALANCE_IN_PROGRESS rejoins with the same member id; ILLEGAL_GENERATION resets it")
    func syncErrors() {
        var a = Self.membership()
        _ = Self.joined(&a)
        #expect(a.handleSync(SyncGroupResponse(errorCode: .rebalanceInProgress)) == .rejoin)
        #expect(a.memberId == "m-1" && a.state == .unjoined)
        var b = Self.membership()
        _ = Self.joined(&b)
        #expect(b.handleSync(SyncGroupResponse(errorCode: .illegalGeneration)) == .rejoin)
        #expect(b.memberId == "" && b.generationId == -1)
    }

    @Test("Heartbeat REBALANCE_IN_PROGRESS asks a stable member to rejoin, keeping id and generation")
    func heartbeatRebalance() {
        var m = Self.stable()
        #expect(m.handleHeartbeat(.rebalanceInProgress) == .rejoin)
        #expect(m.state == .unjoined && m.memberId == "m-1" && m.generationId == 1)
        #expect(m.assignment.count == 2)  // revoked only after the commit
    }

    @Test("Heartbeat UNKNOWN_MEMBER_ID and ILLEGAL_GENERATION lose the partitions and reset the member",
        arguments: [ErrorCode.unknownMemberId, .illegalGeneration])
    func heartbeatLost(code: ErrorCode) {
        var m = Self.stable()
        #expect(m.handleHeartbeat(code) == .lost)
        #expect(m.memberId == "" && m.generationId == -1 && m.assignment.isEmpty)
        #expect(m.lastOwned.isEmpty)
        #expect(m.joinRequest(topics: ["t"], sessionTimeout: .seconds(10), rebalanceTimeout: .seconds(30)).memberId == "")
    }

    @Test("Heartbeat coordinator errors forget the coordinator; retriable ones are ignored; others are fatal")
    func heartbeatOther() {
        var m = Self.stable()
        m.coordinator = 1
        #expect(m.handleHeartbeat(.none) == .ok)
        #expect(m.handleHeartbeat(.notCoordinator) == .findCoordinator)
        #expect(m.coordinator == nil && m.state == .stable)
        #expect(m.handleHeartbeat(.requestTimedOut) == .ok)
        #expect(m.handleHeartbeat(.fencedInstanceId) == .fatal(.fencedInstanceId))
    }

    @Test("revoking keeps what was owned, with its generation, for the sticky subscription")
    func revokeForSticky() throws {
        var m = Self.stable([0, 2])
        #expect(m.revokeAll() == [TopicPartition("t", 0), TopicPartition("t", 2)])
        #expect(m.assignment.isEmpty && m.state == .unjoined)
        let request = m.joinRequest(topics: ["t"], sessionTimeout: .seconds(10), rebalanceTimeout: .seconds(30))
        let range = try ConsumerProtocolSubscription(decoding: request.protocols[0].metadata)
        let sticky = try ConsumerProtocolSubscription(decoding: request.protocols[1].metadata)
        #expect(range.ownedPartitions.isEmpty)
        #expect(sticky.ownedPartitions == [.init(topic: "t", partitions: [0, 2])])
        #expect(sticky.generationId == 1)
        #expect(request.memberId == "m-1")
    }
}
