// Groups tests: joining, syncing, heartbeats and leaving a classic group. Goal: each rule of
// Kafka's classic protocol and each error path, one scenario per test, on virtual time.

import NIOCore
import Testing

@testable import Cluster

@Suite struct GroupMembershipTests {
    @Test("a v4+ joiner without an id gets MEMBER_ID_REQUIRED and a fresh id, then joins with it")
    func memberIdRequired() throws {
        let h = GroupHarness()
        let first = h.sendJoin("g", client: "app")
        let answer = try #require(h.join(first))
        #expect(answer.errorCode == .memberIdRequired)
        #expect(answer.memberId.hasPrefix("app-") && answer.memberId.count == "app-".count + 36)
        #expect(h.group("g")?.pendingJoinMembers[answer.memberId] != nil)
        let second = h.sendJoin("g", memberId: answer.memberId, client: "app")
        #expect(h.join(second) == nil, "parked until the initial rebalance delay passes")
        h.advance(ms: 300)
        let joined = try #require(h.join(second))
        #expect(
            joined.errorCode == .none && joined.generationId == 1
                && joined.leader == answer.memberId)
        #expect(joined.protocolName == "range" && joined.protocolType == "consumer")
        #expect(
            joined.members.map(\.memberId) == [answer.memberId],
            "the leader gets every member's metadata")
        #expect(h.group("g")?.state == .completingRebalance)
    }

    @Test("before v4 a joiner without an id is added at once")
    func noRoundTripBeforeV4() {
        let h = GroupHarness()
        let join = h.sendJoin("g", version: 3)
        #expect(h.join(join) == nil)
        #expect(h.group("g")?.members.count == 1 && h.group("g")?.state == .preparingRebalance)
        h.advance(ms: 300)
        #expect(h.join(join)?.generationId == 1)
    }

    @Test(
        "the initial rebalance waits group.initial.rebalance.delay.ms, longer while members keep coming"
    )
    func initialDelayExtends() {
        let h = GroupHarness()
        let (_, a) = h.joinNewMember("g", client: "a")
        h.advance(ms: 200)
        let (_, b) = h.joinNewMember("g", client: "b")
        h.advance(ms: 100)
        #expect(
            h.join(a) == nil && h.join(b) == nil,
            "a member arrived during the delay: wait one more delay")
        h.advance(ms: 299)
        #expect(h.join(a) == nil)
        h.advance(ms: 1)
        #expect(h.join(a)?.generationId == 1 && h.join(b)?.generationId == 1)
        #expect(h.coordinator.groups["g"]?.members.count == 2)
    }

    @Test("the first JoinGroup of a new group stores an empty snapshot of it")
    func newGroupSnapshot() {
        let h = GroupHarness()
        h.sendJoin("g")
        guard case .groupMetadata(let key, let value?)? = h.log.last else {
            Issue.record("expected a group metadata record")
            return
        }
        #expect(key.group == "g" && value.members.isEmpty && value.generation == 0)
    }

    @Test(
        "a session timeout outside group.min/max.session.timeout.ms is INVALID_SESSION_TIMEOUT",
        arguments: [Int32(5_999), 1_800_001])
    func invalidSessionTimeout(sessionMs: Int32) {
        let h = GroupHarness()
        let join = h.sendJoin("g", sessionMs: sessionMs)
        #expect(h.join(join)?.errorCode == .invalidSessionTimeout)
        #expect(h.group("g") == nil)
    }

    @Test("joining with a member id the coordinator never gave is UNKNOWN_MEMBER_ID")
    func unknownMemberJoin() {
        let h = GroupHarness()
        #expect(h.join(h.sendJoin("nope", memberId: "ghost"))?.errorCode == .unknownMemberId)
        _ = h.stableGroup("g", members: 1)
        #expect(h.join(h.sendJoin("g", memberId: "ghost"))?.errorCode == .unknownMemberId)
    }

    @Test("a different protocol type, or no protocol in common, is INCONSISTENT_GROUP_PROTOCOL")
    func inconsistentProtocol() {
        let h = GroupHarness()
        _ = h.stableGroup("g", members: 1)
        #expect(
            h.join(h.sendJoin("g", protocolType: "connect"))?.errorCode
                == .inconsistentGroupProtocol)
        #expect(
            h.join(h.sendJoin("g", protocols: ["sticky"]))?.errorCode == .inconsistentGroupProtocol)
        #expect(h.join(h.sendJoin("fresh", protocols: []))?.errorCode == .inconsistentGroupProtocol)
    }

    @Test("an empty group id is INVALID_GROUP_ID")
    func invalidGroupId() {
        let h = GroupHarness()
        #expect(h.join(h.sendJoin(""))?.errorCode == .invalidGroupId)
        #expect(h.sync(h.sendSync("", memberId: "m", generation: 1))?.errorCode == .invalidGroupId)
        #expect(
            h.heartbeat(h.sendHeartbeat("", memberId: "m", generation: 1))?.errorCode
                == .invalidGroupId)
    }

    @Test(
        "followers wait for the leader's SyncGroup; its assignment reaches every member and a snapshot is stored"
    )
    func syncPropagatesAssignment() throws {
        let h = GroupHarness()
        let (a, joinA) = h.joinNewMember("g", client: "a")
        let (b, joinB) = h.joinNewMember("g", client: "b")
        h.advance(ms: 600)  // b arrived during the initial delay: one more delay
        let leaderAnswer = try #require(
            [h.join(joinA), h.join(joinB)].compactMap { $0 }.first { !$0.members.isEmpty })
        let leader = leaderAnswer.memberId
        let follower = leader == a ? b : a
        let followerSync = h.sendSync("g", memberId: follower, generation: 1)
        #expect(h.sync(followerSync) == nil, "parked until the leader syncs")
        let assignments = GroupHarness.rangeAssignments(leaderAnswer, partitions: ["t": 4])
        let recordsBefore = h.log.count
        let leaderSync = h.sendSync("g", memberId: leader, generation: 1, assignments: assignments)
        #expect(h.group("g")?.state == .stable)
        let mine = try ConsumerProtocolAssignment(
            decoding: try #require(h.sync(leaderSync)).assignment)
        let theirs = try ConsumerProtocolAssignment(
            decoding: try #require(h.sync(followerSync)).assignment)
        #expect(mine.assignedPartitions.count == 1 && theirs.assignedPartitions.count == 1)
        #expect(h.sync(followerSync)?.protocolName == "range")
        guard case .groupMetadata(_, let snapshot?) = h.log[recordsBefore] else {
            Issue.record("the leader's SyncGroup stores a snapshot")
            return
        }
        #expect(
            snapshot.generation == 1 && snapshot.members.count == 2 && snapshot.leader == leader)
    }

    @Test("SyncGroup errors: stale generation, unknown member, rebalancing, mismatched protocol")
    func syncErrors() {
        let h = GroupHarness()
        let g = h.stableGroup("g", members: 2)
        let member = g.ids[0]
        #expect(
            h.sync(h.sendSync("g", memberId: member, generation: g.generation - 1))?.errorCode
                == .illegalGeneration)
        #expect(
            h.sync(h.sendSync("g", memberId: "ghost", generation: g.generation))?.errorCode
                == .unknownMemberId)
        #expect(
            h.sync(h.sendSync("nope", memberId: member, generation: 1))?.errorCode
                == .unknownMemberId)
        #expect(
            h.sync(
                h.sendSync(
                    "g", memberId: member, generation: g.generation, protocolName: "roundrobin"))?
                .errorCode
                == .inconsistentGroupProtocol)
        // A stable member asking again gets its assignment back.
        #expect(
            h.sync(h.sendSync("g", memberId: member, generation: g.generation))?.errorCode
                == ErrorCode.none)
        h.sendJoin("g", memberId: g.leader)  // the leader rejoining starts a rebalance
        #expect(h.group("g")?.state == .preparingRebalance)
        #expect(
            h.sync(h.sendSync("g", memberId: member, generation: g.generation))?.errorCode
                == .rebalanceInProgress)
    }

    @Test(
        "heartbeats: NONE when stable, REBALANCE_IN_PROGRESS while rebalancing, errors for stale or unknown members"
    )
    func heartbeatAnswers() {
        let h = GroupHarness()
        let g = h.stableGroup("g", members: 2)
        let follower = g.ids.first { $0 != g.leader } ?? ""
        #expect(
            h.heartbeat(h.sendHeartbeat("g", memberId: follower, generation: g.generation))?
                .errorCode == ErrorCode.none)
        #expect(
            h.heartbeat(h.sendHeartbeat("g", memberId: follower, generation: 99))?.errorCode
                == .illegalGeneration)
        #expect(
            h.heartbeat(h.sendHeartbeat("g", memberId: "ghost", generation: g.generation))?
                .errorCode == .unknownMemberId)
        #expect(
            h.heartbeat(h.sendHeartbeat("none", memberId: follower, generation: 1))?.errorCode
                == .unknownMemberId)
        h.sendJoin("g", memberId: g.leader)
        #expect(
            h.heartbeat(h.sendHeartbeat("g", memberId: follower, generation: g.generation))?
                .errorCode == .rebalanceInProgress)
    }

    @Test("a heartbeat between the JoinGroup and SyncGroup answers (CompletingRebalance) is NONE")
    func heartbeatWhileCompleting() {
        let h = GroupHarness()
        let (m, join) = h.joinNewMember("g")
        h.advance(ms: 300)
        #expect(h.join(join)?.generationId == 1 && h.group("g")?.state == .completingRebalance)
        #expect(
            h.heartbeat(h.sendHeartbeat("g", memberId: m, generation: 1))?.errorCode
                == ErrorCode.none)
    }

    @Test(
        "a member whose heartbeats stop is removed after its session timeout, and the group rebalances"
    )
    func sessionExpiry() throws {
        let h = GroupHarness()
        let g = h.stableGroup("g", members: 2)
        let (alive, dead) = (g.ids[0], g.ids[1])
        h.advance(ms: 5_000)
        h.sendHeartbeat("g", memberId: alive, generation: g.generation)
        h.advance(ms: 5_000)
        #expect(h.group("g")?.members[dead] == nil, "10 s without a heartbeat")
        #expect(h.group("g")?.state == .preparingRebalance)
        #expect(
            h.events.contains(
                .memberRemoved(groupId: "g", memberId: dead, reason: "session timeout expired")))
        let beat = h.sendHeartbeat("g", memberId: alive, generation: g.generation)
        #expect(h.heartbeat(beat)?.errorCode == .rebalanceInProgress)
        let rejoin = h.sendJoin("g", memberId: alive)
        let answer = try #require(
            h.join(rejoin), "the only member rejoined: the join phase ends at once")
        #expect(answer.generationId == g.generation + 1 && answer.leader == alive)
    }

    @Test("members that do not rejoin within the rebalance timeout are removed")
    func rebalanceTimeout() throws {
        let h = GroupHarness()
        let g = h.stableGroup("g", members: 2, sessionMs: 30_000)
        let (stays, lags) = (g.ids[0], g.ids[1])
        let rejoin = h.sendJoin("g", memberId: stays, topics: ["t", "u"], sessionMs: 30_000)
        #expect(h.group("g")?.state == .preparingRebalance)
        for _ in 0..<3 {
            h.advance(ms: 3_000)
            #expect(
                h.heartbeat(h.sendHeartbeat("g", memberId: lags, generation: g.generation))?
                    .errorCode == .rebalanceInProgress)
        }
        h.advance(ms: 1_000)  // 10 s: the rebalance timeout
        let answer = try #require(h.join(rejoin))
        #expect(answer.generationId == g.generation + 1 && answer.leader == stays)
        #expect(h.group("g")?.members.keys.sorted() == [stays])
        #expect(
            h.heartbeat(h.sendHeartbeat("g", memberId: lags, generation: g.generation))?.errorCode
                == .unknownMemberId)
    }

    @Test("a sync phase that times out removes members that never synced, then rebalances")
    func pendingSyncExpiry() throws {
        let h = GroupHarness()
        let (a, joinA) = h.joinNewMember("g", client: "a", sessionMs: 30_000)
        let (b, joinB) = h.joinNewMember("g", client: "b", sessionMs: 30_000)
        h.advance(ms: 600)
        let leader = try #require(h.join(joinA)).leader
        #expect(h.join(joinB)?.leader == leader)
        let follower = leader == a ? b : a
        let waiting = h.sendSync("g", memberId: follower, generation: 1)
        h.advance(ms: 10_000)
        #expect(h.group("g")?.members[leader] == nil, "the leader never synced")
        #expect(
            h.sync(waiting)?.errorCode == .rebalanceInProgress,
            "the waiting follower is told to rejoin")
    }

    @Test(
        "a follower rejoining with unchanged metadata in Stable gets the generation without a rebalance"
    )
    func followerRejoinNoRebalance() {
        let h = GroupHarness()
        let g = h.stableGroup("g", members: 2)
        let follower = g.ids.first { $0 != g.leader } ?? ""
        let rejoin = h.sendJoin("g", memberId: follower, client: "client-1")
        #expect(h.join(rejoin)?.generationId == g.generation && h.join(rejoin)?.members == [])
        #expect(h.group("g")?.state == .stable)
    }

    @Test("LeaveGroup v3+ handles a batch: known members leave, unknown ones are reported")
    func leaveBatch() throws {
        let h = GroupHarness()
        let g = h.stableGroup("g", members: 3)
        let leave = h.send(
            .leaveGroup(
                LeaveGroupRequest(
                    groupId: "g",
                    members: [
                        .init(memberId: g.ids[0]), .init(memberId: "ghost"),
                        .init(memberId: g.ids[1]),
                    ])),
            version: 5)
        let answer = try #require(h.leave(leave))
        #expect(answer.errorCode == ErrorCode.none)
        #expect(answer.members.map(\.errorCode) == [.none, .unknownMemberId, .none])
        #expect(h.group("g")?.members.keys.sorted() == [g.ids[2]])
        #expect(h.group("g")?.state == .preparingRebalance)
    }

    @Test("LeaveGroup before v3 names one member; its error is the top-level error")
    func leaveSingle() {
        let h = GroupHarness()
        let g = h.stableGroup("g", members: 1)
        let bad = h.send(
            .leaveGroup(LeaveGroupRequest(groupId: "g", members: [.init(memberId: "ghost")])),
            version: 1)
        #expect(h.leave(bad)?.errorCode == .unknownMemberId)
        let good = h.send(
            .leaveGroup(LeaveGroupRequest(groupId: "g", members: [.init(memberId: g.ids[0])])),
            version: 1)
        #expect(h.leave(good)?.errorCode == ErrorCode.none)
        #expect(h.group("g")?.state == .empty && h.group("g")?.generationId == g.generation + 1)
        guard case .groupMetadata(_, let snapshot?)? = h.log.last else {
            Issue.record("an emptied group stores its snapshot")
            return
        }
        #expect(snapshot.members.isEmpty)
    }

    @Test(
        "pending MEMBER_ID_REQUIRED joiners that never come back are dropped after their session timeout"
    )
    func pendingMemberExpires() {
        let h = GroupHarness()
        let first = h.sendJoin("g")
        let pending = h.join(first)?.memberId ?? ""
        #expect(h.group("g")?.pendingJoinMembers[pending] != nil)
        h.advance(ms: 10_000)
        #expect(h.group("g")?.pendingJoinMembers.isEmpty == true)
        #expect(h.join(h.sendJoin("g", memberId: pending))?.errorCode == .unknownMemberId)
    }

    @Test("a new member's JoinGroup parked too long is answered UNKNOWN_MEMBER_ID")
    func newMemberJoinTimeout() {
        let config = GroupConfig(
            initialRebalanceDelay: .milliseconds(300), offsetsTopicNumPartitions: 4,
            newMemberJoinTimeout: .milliseconds(1_000))
        let h = GroupHarness(config: config)
        let g = h.stableGroup("g", members: 1, sessionMs: 30_000)
        let late = h.sendJoin("g", version: 3, sessionMs: 30_000, rebalanceMs: 20_000)
        #expect(h.group("g")?.state == .preparingRebalance, "a new member starts a rebalance")
        h.advance(ms: 1_000)
        #expect(h.join(late)?.errorCode == .unknownMemberId)
        #expect(h.group("g")?.members.keys.sorted() == g.ids)
    }

    @Test("group.max.size refuses new members with GROUP_MAX_SIZE_REACHED")
    func groupMaxSize() {
        let config = GroupConfig(
            initialRebalanceDelay: .milliseconds(300), offsetsTopicNumPartitions: 4, groupMaxSize: 2
        )
        let h = GroupHarness(config: config)
        _ = h.stableGroup("g", members: 2)
        let third = h.sendJoin("g")
        #expect(h.join(third)?.errorCode == .groupMaxSizeReached)
        #expect(h.group("g")?.members.count == 2)
    }
}

@Suite struct GroupMemberIdTests {
    @Test("a member id made from the longest client id still fits a protocol string")
    func longClientId() throws {
        let h = GroupHarness()
        let longId = String(repeating: "c", count: Limits.stringBytesMax)
        let answer = try #require(h.join(h.sendJoin("g", client: longId)))
        #expect(answer.errorCode == .memberIdRequired)
        #expect(answer.memberId.utf8.count == Limits.stringBytesMax)
        #expect((try? Wire.decode(JoinGroupResponse.self, Wire.encode(answer, 9), 9)) == answer)
    }

    @Test("repeated MEMBER_ID_REQUIRED joins cannot grow a group past group.max.size")
    func pendingJoinersBounded() {
        let config = GroupConfig(offsetsTopicNumPartitions: 4, groupMaxSize: 3)
        let h = GroupHarness(config: config)
        let codes = (0..<5).map { _ in h.join(h.sendJoin("g"))?.errorCode }
        #expect(
            codes == [
                .memberIdRequired, .memberIdRequired, .memberIdRequired, .groupMaxSizeReached,
                .groupMaxSizeReached,
            ])
        #expect(h.group("g")?.pendingJoinMembers.count == 3)
    }
}
