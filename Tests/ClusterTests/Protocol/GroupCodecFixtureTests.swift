// Protocol tests: one hand-built fixture per classic group API, written from Kafka's JSON
// schemas field by field (Bytes builds only lengths and integers), checked both ways.

import Testing

@testable import Cluster

@Suite struct GroupCodecFixtureTests {
    typealias B = Bytes

    @Test("FindCoordinator v4 (batched keys) matches the schema")
    func findCoordinator() {
        Wire.checkFixture(
            FindCoordinatorRequest(keyType: 0, coordinatorKeys: ["g"]), version: 4,
            [0x00] + B.ccount(1) + B.cstr("g") + B.noTags)
        Wire.checkFixture(
            FindCoordinatorResponse(coordinators: [
                .init(key: "g", nodeId: 1, host: "localhost", port: 9092)
            ]), version: 4,
            B.i32(0) + B.ccount(1) + B.cstr("g") + B.i32(1) + B.cstr("localhost") + B.i32(9092)
                + B.i16(0)
                + B.nullCompact + B.noTags + B.noTags)
        Wire.checkFixture(
            FindCoordinatorRequest(key: "g"), version: 0, B.str("g"))
    }

    @Test("JoinGroup v5 request and v9 response match the schema")
    func joinGroup() {
        Wire.checkFixture(
            JoinGroupRequest(
                groupId: "g", sessionTimeoutMs: 10_000, rebalanceTimeoutMs: 30_000, memberId: "",
                groupInstanceId: "i",
                protocolType: "consumer",
                protocols: [.init(name: "range", metadata: buffer([1, 2]))]),
            version: 5,
            B.str("g") + B.i32(10_000) + B.i32(30_000) + B.str("") + B.str("i") + B.str("consumer")
                + B.count(1)
                + B.str("range") + B.bytes([1, 2]))
        Wire.checkFixture(
            JoinGroupResponse(
                generationId: 1, protocolType: "consumer", protocolName: "range", leader: "m",
                skipAssignment: true,
                memberId: "m", members: [.init(memberId: "m", metadata: buffer([1, 2]))]),
            version: 9,
            B.i32(0) + B.i16(0) + B.i32(1) + B.cstr("consumer") + B.cstr("range") + B.cstr("m") + [
                0x01
            ] + B.cstr("m")
                + B.ccount(1) + B.cstr("m") + B.nullCompact + B.cbytes([1, 2]) + B.noTags + B.noTags
        )
    }

    @Test("SyncGroup v5 request and v3 response match the schema")
    func syncGroup() {
        Wire.checkFixture(
            SyncGroupRequest(
                groupId: "g", generationId: 1, memberId: "m", protocolType: "consumer",
                protocolName: "range",
                assignments: [.init(memberId: "m", assignment: buffer([7]))]),
            version: 5,
            B.cstr("g") + B.i32(1) + B.cstr("m") + B.nullCompact + B.cstr("consumer")
                + B.cstr("range") + B.ccount(1)
                + B.cstr("m") + B.cbytes([7]) + B.noTags + B.noTags)
        Wire.checkFixture(
            SyncGroupResponse(errorCode: .rebalanceInProgress), version: 3,
            B.i32(0) + B.i16(27) + B.bytes([]))
    }

    @Test("Heartbeat v4 request and v0 response match the schema")
    func heartbeat() {
        Wire.checkFixture(
            HeartbeatRequest(groupId: "g", generationId: 5, memberId: "m"), version: 4,
            B.cstr("g") + B.i32(5) + B.cstr("m") + B.nullCompact + B.noTags)
        Wire.checkFixture(HeartbeatResponse(errorCode: .rebalanceInProgress), version: 0, B.i16(27))
    }

    @Test("LeaveGroup v2 (one member) and v5 (batch with reason) match the schema")
    func leaveGroup() {
        Wire.checkFixture(
            LeaveGroupRequest(groupId: "g", members: [.init(memberId: "m")]), version: 2,
            B.str("g") + B.str("m"))
        Wire.checkFixture(
            LeaveGroupRequest(
                groupId: "g", members: [.init(memberId: "m", groupInstanceId: "i", reason: "bye")]),
            version: 5,
            B.cstr("g") + B.ccount(1) + B.cstr("m") + B.cstr("i") + B.cstr("bye") + B.noTags
                + B.noTags)
        Wire.checkFixture(
            LeaveGroupResponse(members: [
                .init(memberId: "m", groupInstanceId: "i", errorCode: .unknownMemberId)
            ]), version: 4,
            B.i32(0) + B.i16(0) + B.ccount(1) + B.cstr("m") + B.cstr("i") + B.i16(25) + B.noTags
                + B.noTags)
    }

    @Test("OffsetCommit v2 and v8 match the schema")
    func offsetCommit() {
        Wire.checkFixture(
            OffsetCommitRequest(
                groupId: "g", generationIdOrMemberEpoch: 3, memberId: "m",
                topics: [
                    .init(
                        name: "t",
                        partitions: [
                            .init(partitionIndex: 0, committedOffset: 42, committedMetadata: "")
                        ])
                ]),
            version: 2,
            B.str("g") + B.i32(3) + B.str("m") + B.i64(-1) + B.count(1) + B.str("t") + B.count(1)
                + B.i32(0) + B.i64(42)
                + B.str(""))
        Wire.checkFixture(
            OffsetCommitRequest(
                groupId: "g", generationIdOrMemberEpoch: 3, memberId: "m",
                topics: [
                    .init(name: "t", partitions: [.init(partitionIndex: 0, committedOffset: 42)])
                ]),
            version: 8,
            B.cstr("g") + B.i32(3) + B.cstr("m") + B.nullCompact + B.ccount(1) + B.cstr("t")
                + B.ccount(1) + B.i32(0)
                + B.i64(42) + B.i32(-1) + B.nullCompact + B.noTags + B.noTags + B.noTags)
        Wire.checkFixture(
            OffsetCommitResponse(topics: [
                .init(
                    name: "t", partitions: [.init(partitionIndex: 0, errorCode: .illegalGeneration)]
                )
            ]),
            version: 8,
            B.i32(0) + B.ccount(1) + B.cstr("t") + B.ccount(1) + B.i32(0) + B.i16(22) + B.noTags
                + B.noTags + B.noTags)
    }

    @Test("OffsetFetch v1 (one group) and v8 (batched, all topics) match the schema")
    func offsetFetch() {
        Wire.checkFixture(
            OffsetFetchRequest(groups: [
                .init(groupId: "g", topics: [.init(name: "t", partitionIndexes: [0])])
            ]), version: 1,
            B.str("g") + B.count(1) + B.str("t") + B.count(1) + B.i32(0))
        Wire.checkFixture(
            OffsetFetchRequest(groups: [.init(groupId: "g", topics: nil)], requireStable: true),
            version: 8,
            B.ccount(1) + B.cstr("g") + B.nullCompact + B.noTags + [0x01] + B.noTags)
        Wire.checkFixture(
            OffsetFetchResponse(
                groups: [
                    .init(
                        groupId: "",
                        topics: [
                            .init(
                                name: "t",
                                partitions: [.init(partitionIndex: 0, committedOffset: 42)])
                        ])
                ]),
            version: 1,
            B.count(1) + B.str("t") + B.count(1) + B.i32(0) + B.i64(42) + B.str("") + B.i16(0))
        Wire.checkFixture(
            OffsetFetchResponse(groups: [
                .init(groupId: "g", topics: [], errorCode: .notCoordinator)
            ]), version: 8,
            B.i32(0) + B.ccount(1) + B.cstr("g") + B.ccount(0) + B.i16(16) + B.noTags + B.noTags)
    }

    @Test("ListGroups v5 request and v4 response match the schema")
    func listGroups() {
        Wire.checkFixture(
            ListGroupsRequest(statesFilter: ["Stable"]), version: 5,
            B.ccount(1) + B.cstr("Stable") + B.ccount(0) + B.noTags)
        Wire.checkFixture(
            ListGroupsResponse(groups: [
                .init(groupId: "g", protocolType: "consumer", groupState: "Stable")
            ]), version: 4,
            B.i32(0) + B.i16(0) + B.ccount(1) + B.cstr("g") + B.cstr("consumer") + B.cstr("Stable")
                + B.noTags + B.noTags)
        Wire.checkFixture(ListGroupsRequest(), version: 0, [])
    }

    @Test("DescribeGroups v0 request and v5 response match the schema")
    func describeGroups() {
        Wire.checkFixture(DescribeGroupsRequest(groups: ["g"]), version: 0, B.count(1) + B.str("g"))
        Wire.checkFixture(
            DescribeGroupsResponse(groups: [
                .init(
                    groupId: "g", groupState: "Stable", protocolType: "consumer",
                    protocolData: "range",
                    members: [
                        .init(
                            memberId: "m", clientId: "c", clientHost: "/127.0.0.1",
                            memberMetadata: buffer([1]),
                            memberAssignment: buffer([2]))
                    ])
            ]),
            version: 5,
            B.i32(0) + B.ccount(1) + B.i16(0) + B.cstr("g") + B.cstr("Stable") + B.cstr("consumer")
                + B.cstr("range")
                + B.ccount(1) + B.cstr("m") + B.nullCompact + B.cstr("c") + B.cstr("/127.0.0.1")
                + B.cbytes([1])
                + B.cbytes([2]) + B.noTags + B.i32(Int32.min) + B.noTags + B.noTags)
    }

    @Test("DeleteGroups v2 request and v0 response match the schema")
    func deleteGroups() {
        Wire.checkFixture(
            DeleteGroupsRequest(groupsNames: ["g"]), version: 2,
            B.ccount(1) + B.cstr("g") + B.noTags)
        Wire.checkFixture(
            DeleteGroupsResponse(results: [.init(groupId: "g", errorCode: .groupIdNotFound)]),
            version: 0,
            B.i32(0) + B.count(1) + B.str("g") + B.i16(69))
    }

    @Test("OffsetDelete v0 matches the schema")
    func offsetDelete() {
        Wire.checkFixture(
            OffsetDeleteRequest(groupId: "g", topics: [.init(name: "t", partitionIndexes: [0])]),
            version: 0,
            B.str("g") + B.count(1) + B.str("t") + B.count(1) + B.i32(0))
        Wire.checkFixture(
            OffsetDeleteResponse(topics: [
                .init(
                    name: "t",
                    partitions: [.init(partitionIndex: 0, errorCode: .groupSubscribedToTopic)])
            ]),
            version: 0,
            B.i16(0) + B.i32(0) + B.count(1) + B.str("t") + B.count(1) + B.i32(0) + B.i16(86))
    }
}
