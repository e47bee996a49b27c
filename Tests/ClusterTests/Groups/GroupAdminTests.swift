// Groups tests: listing, describing and deleting groups, static membership, and the
// coordinator's own availability (NOT_COORDINATOR, COORDINATOR_LOAD_IN_PROGRESS, restarts).
// Goal: what kafka-consumer-groups.sh and a failing-over coordinator would see.

import NIOCore
import Testing

@testable import Cluster

@Suite struct GroupAdminTests {
    func listed(
        _ h: GroupHarness, states: [String] = [], types: [String] = []
    ) -> ListGroupsResponse? {
        let id = h.send(
            .listGroups(ListGroupsRequest(statesFilter: states, typesFilter: types)), version: 5)
        if case .listGroups(let r)? = h.answers[id] { return r }
        return nil
    }

    @Test("ListGroups lists every group with state and type, filtered case-insensitively")
    func listGroups() {
        let h = GroupHarness()
        _ = h.stableGroup("g", members: 1)
        h.sendCommit("simple", offsets: [("t", 0, 1)])
        let all = listed(h)
        #expect(all?.groups.map(\.groupId) == ["g", "simple"])
        #expect(all?.groups.map(\.groupState) == ["Stable", "Empty"])
        #expect(all?.groups.map(\.protocolType) == ["consumer", ""])
        #expect(all?.groups.allSatisfy { $0.groupType == "classic" } == true)
        #expect(listed(h, states: [" stable "])?.groups.map(\.groupId) == ["g"])
        #expect(listed(h, types: ["Consumer"])?.groups.isEmpty == true)
    }

    @Test("DescribeGroups shows protocol and assignments while Stable, and Dead for unknown groups")
    func describeGroups() throws {
        let h = GroupHarness()
        let g = h.stableGroup("g", members: 2)
        let id = h.send(.describeGroups(DescribeGroupsRequest(groups: ["g", "nope"])), version: 5)
        guard case .describeGroups(let answer)? = h.answers[id] else {
            Issue.record("a DescribeGroups answer")
            return
        }
        let described = answer.groups[0]
        #expect(
            described.groupState == "Stable" && described.protocolType == "consumer"
                && described.protocolData == "range")
        #expect(described.members.map(\.memberId) == g.ids.sorted())
        #expect(
            described.members.allSatisfy {
                $0.memberAssignment.readableBytes > 0 && $0.clientHost == "/127.0.0.1"
            })
        #expect(
            answer.groups[1].groupState == "Dead" && answer.groups[1].errorCode == ErrorCode.none)
        h.sendJoin("g", memberId: g.leader)
        let rebalancing = h.coordinator.describe("g")
        #expect(
            rebalancing.protocolData == ""
                && rebalancing.members.allSatisfy { $0.memberAssignment.readableBytes == 0 })
    }

    @Test(
        "DeleteGroups: GROUP_ID_NOT_FOUND, NON_EMPTY_GROUP, and an empty group goes with its offsets"
    )
    func deleteGroups() throws {
        let h = GroupHarness()
        _ = h.stableGroup("busy", members: 1)
        h.sendCommit("idle", offsets: [("t", 0, 1), ("t", 1, 2)])
        let before = h.log.count
        let id = h.send(
            .deleteGroups(DeleteGroupsRequest(groupsNames: ["nope", "busy", "idle"])), version: 2)
        guard case .deleteGroups(let answer)? = h.answers[id] else {
            Issue.record("a DeleteGroups answer")
            return
        }
        #expect(answer.results.map(\.errorCode) == [.groupIdNotFound, .nonEmptyGroup, .none])
        #expect(h.group("idle") == nil && h.coordinator.offsets["idle"] == nil)
        #expect(h.log.count == before + 3 && h.log[before...].allSatisfy(\.isTombstone))
        h.restart()
        #expect(
            h.group("idle") == nil && h.coordinator.offsets["idle"] == nil,
            "the tombstones hold after a restart")
    }

    @Test(
        "NOT_COORDINATOR for groups whose partition is elsewhere, COORDINATOR_LOAD_IN_PROGRESS while loading"
    )
    func coordinatorAvailability() {
        let h = GroupHarness(loadAll: false)
        #expect(h.join(h.sendJoin("g"))?.errorCode == .notCoordinator)
        #expect(
            h.heartbeat(h.sendHeartbeat("g", memberId: "m", generation: 1))?.errorCode
                == .notCoordinator)
        let partition = h.coordinator.offsetsPartition(for: "g")
        h.absorb(h.coordinator.beginLoading(offsetsPartition: partition))
        #expect(h.join(h.sendJoin("g"))?.errorCode == .coordinatorLoadInProgress)
        #expect(
            h.sync(h.sendSync("g", memberId: "m", generation: 1))?.errorCode
                == .coordinatorLoadInProgress)
        let commit = h.sendCommit("g", offsets: [("t", 0, 1)])
        #expect(
            h.commit(commit)?.topics.first?.partitions.first?.errorCode
                == .coordinatorLoadInProgress)
        #expect(listed(h)?.errorCode == .coordinatorLoadInProgress)
        #expect(h.coordinator.describe("g").errorCode == .coordinatorLoadInProgress)
        h.absorb(h.coordinator.completeLoading(offsetsPartition: partition, now: h.now))
        #expect(h.join(h.sendJoin("g"))?.errorCode == .memberIdRequired)
    }

    @Test(
        "a restarted coordinator replays the log: offsets, the Stable generation and its members survive"
    )
    func restartReplays() throws {
        let h = GroupHarness()
        let g = h.stableGroup("g", members: 2)
        h.sendCommit("g", memberId: g.ids[0], generation: g.generation, offsets: [("t", 0, 100)])
        let offsetsBefore = h.coordinator.offsets
        let assignments = g.ids.map { h.group("g")?.members[$0]?.assignment }
        h.restart()
        #expect(h.coordinator.offsets == offsetsBefore)
        let group = try #require(h.group("g"))
        #expect(
            group.state == .stable && group.generationId == g.generation
                && group.leaderId == g.leader)
        #expect(g.ids.map { group.members[$0]?.assignment } == assignments)
        #expect(
            h.heartbeat(h.sendHeartbeat("g", memberId: g.ids[1], generation: g.generation))?
                .errorCode == ErrorCode.none)
        let commit = h.sendCommit(
            "g", memberId: g.ids[1], generation: g.generation, offsets: [("t", 1, 5)])
        #expect(h.commit(commit)?.topics.first?.partitions.first?.errorCode == ErrorCode.none)
        h.advance(ms: 9_999)
        #expect(h.group("g")?.members.count == 2, "sessions restarted when the partition loaded")
        h.advance(ms: 1)
        #expect(
            h.group("g")?.members.isEmpty == true && h.group("g")?.state == .empty,
            "then expired without heartbeats")
    }

    @Test(
        "unloading a partition answers its parked requests NOT_COORDINATOR and forgets its groups")
    func unloadAnswersParked() {
        let h = GroupHarness()
        let (_, parked) = h.joinNewMember("g")
        #expect(h.join(parked) == nil)
        h.absorb(h.coordinator.unload(offsetsPartition: h.coordinator.offsetsPartition(for: "g")))
        #expect(h.join(parked)?.errorCode == .notCoordinator)
        #expect(h.group("g") == nil)
    }

    @Test(
        "a static member rejoining with a new process takes its old place without a rebalance; the old id is fenced"
    )
    func staticMemberReplacement() throws {
        let h = GroupHarness()
        let first = h.sendJoin("g", instanceId: "pod-1", client: "c")
        h.advance(ms: 300)
        let old = try #require(h.join(first))
        #expect(old.errorCode == ErrorCode.none, "static members skip MEMBER_ID_REQUIRED")
        #expect(old.memberId.hasPrefix("pod-1-"))
        let assignment = GroupHarness.rangeAssignments(old, partitions: ["t": 2])
        h.sendSync(
            "g", memberId: old.memberId, generation: old.generationId, assignments: assignment)
        #expect(h.group("g")?.state == .stable)
        let before = h.log.count

        let again = h.sendJoin("g", instanceId: "pod-1", version: 8, client: "c")
        let answer = try #require(h.join(again), "answered at once")
        #expect(
            answer.errorCode == ErrorCode.none && answer.generationId == old.generationId
                && answer.memberId != old.memberId)
        #expect(
            answer.leader == old.memberId,
            "before v9 the old leader id is named so the member does not reassign")
        #expect(h.group("g")?.state == .stable && h.log.count == before + 1)
        #expect(h.group("g")?.staticMembers["pod-1"] == answer.memberId)
        let fenced = h.sendHeartbeat(
            "g", memberId: old.memberId, generation: old.generationId, instanceId: "pod-1")
        #expect(h.heartbeat(fenced)?.errorCode == .fencedInstanceId)
        let resync = h.sendSync(
            "g", memberId: answer.memberId, generation: answer.generationId, instanceId: "pod-1")
        #expect(h.sync(resync)?.assignment == h.group("g")?.members[answer.memberId]?.assignment)

        let v9 = h.sendJoin("g", instanceId: "pod-1", version: 9, client: "c")
        #expect(h.join(v9)?.skipAssignment == true && h.join(v9)?.leader == h.join(v9)?.memberId)
    }

    @Test(
        "a static member replaced during CompletingRebalance restarts the rebalance; its old parked requests are fenced"
    )
    func staticReplacementWhileCompleting() throws {
        let h = GroupHarness()
        let first = h.sendJoin("g", instanceId: "pod-1")
        h.advance(ms: 300)
        let old = try #require(h.join(first))
        h.sendSync("g", memberId: old.memberId, generation: old.generationId, instanceId: "pod-1")
        #expect(h.group("g")?.state == .stable)
        // A second member and the leader's rejoin make a generation that waits in
        // CompletingRebalance for the leader's assignment.
        let (other, otherJoin) = h.joinNewMember("g", client: "o")
        h.sendJoin("g", memberId: old.memberId, instanceId: "pod-1")
        #expect(h.join(otherJoin)?.errorCode == ErrorCode.none)
        #expect(h.group("g")?.state == .completingRebalance)
        let waiting = h.sendSync("g", memberId: other, generation: h.group("g")?.generationId ?? -1)
        let replacement = h.sendJoin("g", instanceId: "pod-1")
        #expect(h.group("g")?.state == .preparingRebalance)
        #expect(h.sync(waiting)?.errorCode == .rebalanceInProgress)
        #expect(h.join(replacement) == nil, "parked in the new rebalance")
    }

    @Test("LeaveGroup by group.instance.id alone removes a static member (an admin's removal)")
    func adminRemovesStaticMember() throws {
        let h = GroupHarness()
        let join = h.sendJoin("g", instanceId: "pod-1")
        h.advance(ms: 300)
        #expect(h.join(join)?.errorCode == ErrorCode.none)
        let leave = h.send(
            .leaveGroup(
                LeaveGroupRequest(
                    groupId: "g",
                    members: [
                        .init(memberId: "", groupInstanceId: "pod-1"),
                        .init(memberId: "", groupInstanceId: "pod-2"),
                    ])),
            version: 4)
        #expect(h.leave(leave)?.members.map(\.errorCode) == [.none, .unknownMemberId])
        #expect(
            h.group("g")?.members.isEmpty == true && h.group("g")?.staticMembers.isEmpty == true)
    }

    @Test("the same seed gives the same member ids")
    func deterministicIds() {
        let a = GroupHarness(seed: 7)
        let b = GroupHarness(seed: 7)
        let c = GroupHarness(seed: 8)
        let ids = [a, b, c].map { h in h.join(h.sendJoin("g"))?.memberId }
        #expect(ids[0] == ids[1] && ids[0] != ids[2])
    }

    @Test("every setting carries Kafka's dotted name and default")
    func configNames() {
        let names = GroupConfig().entries.map(\.name)
        #expect(
            names == [
                "group.initial.rebalance.delay.ms", "group.min.session.timeout.ms",
                "group.max.session.timeout.ms",
                "offsets.topic.num.partitions", "group.max.size", "offset.metadata.max.bytes",
            ])
        #expect(
            GroupConfig().entries.first?.value == "300"
                && GroupConfig().entries.first?.kafkaDefault == "3000")
    }
}
