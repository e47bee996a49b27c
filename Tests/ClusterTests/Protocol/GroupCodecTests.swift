// Protocol tests: the classic group APIs' codecs. Goal: every supported version round-trips
// with every field its version carries, no prefix of a valid message decodes, and one
// hand-built fixture per API (from the JSON schemas) matches byte for byte.

import NIOCore
import Testing

@testable import Cluster

@Suite struct GroupCodecTests {
    // MARK: - Samples: every field a version carries, defaults for the rest

    static func findCoordinatorRequest(_ v: Int16) -> FindCoordinatorRequest {
        FindCoordinatorRequest(
            key: v <= 3 ? "my-group" : "", keyType: v >= 1 ? 1 : 0,
            coordinatorKeys: v >= 4 ? ["a", "b"] : [])
    }

    static func findCoordinatorResponse(_ v: Int16) -> FindCoordinatorResponse {
        if v >= 4 {
            return FindCoordinatorResponse(
                throttleTimeMs: 7,
                coordinators: [
                    .init(key: "a", nodeId: 1, host: "127.0.0.1", port: 9092),
                    .init(
                        key: "b", nodeId: -1, host: "", port: -1,
                        errorCode: .coordinatorNotAvailable, errorMessage: "x"),
                ])
        }
        return FindCoordinatorResponse(
            throttleTimeMs: v >= 1 ? 7 : 0, errorCode: .notCoordinator,
            errorMessage: v >= 1 ? "moved" : nil,
            nodeId: 2, host: "127.0.0.1", port: 9093)
    }

    static func joinGroupRequest(_ v: Int16) -> JoinGroupRequest {
        JoinGroupRequest(
            groupId: "g", sessionTimeoutMs: 10_000, rebalanceTimeoutMs: v >= 1 ? 30_000 : -1,
            memberId: "m-1",
            groupInstanceId: v >= 5 ? "i-1" : nil, protocolType: "consumer",
            protocols: [
                .init(name: "range", metadata: buffer([1, 2, 3])),
                .init(name: "roundrobin", metadata: buffer([])),
            ],
            reason: v >= 8 ? "why not" : nil)
    }

    static func joinGroupResponse(_ v: Int16) -> JoinGroupResponse {
        JoinGroupResponse(
            throttleTimeMs: v >= 2 ? 5 : 0, errorCode: .none, generationId: 3,
            protocolType: v >= 7 ? "consumer" : nil,
            protocolName: "range", leader: "m-1", skipAssignment: v >= 9, memberId: "m-1",
            members: [
                .init(
                    memberId: "m-1", groupInstanceId: v >= 5 ? "i-1" : nil, metadata: buffer([9])),
                .init(memberId: "m-2", metadata: buffer([])),
            ])
    }

    static func syncGroupRequest(_ v: Int16) -> SyncGroupRequest {
        SyncGroupRequest(
            groupId: "g", generationId: 3, memberId: "m-1", groupInstanceId: v >= 3 ? "i-1" : nil,
            protocolType: v >= 5 ? "consumer" : nil, protocolName: v >= 5 ? "range" : nil,
            assignments: [
                .init(memberId: "m-1", assignment: buffer([1])),
                .init(memberId: "m-2", assignment: buffer([])),
            ])
    }

    static func syncGroupResponse(_ v: Int16) -> SyncGroupResponse {
        SyncGroupResponse(
            throttleTimeMs: v >= 1 ? 4 : 0, errorCode: .rebalanceInProgress,
            protocolType: v >= 5 ? "consumer" : nil,
            protocolName: v >= 5 ? "range" : nil, assignment: buffer([0, 3, 0]))
    }

    static func heartbeatRequest(_ v: Int16) -> HeartbeatRequest {
        HeartbeatRequest(
            groupId: "g", generationId: 9, memberId: "m-1", groupInstanceId: v >= 3 ? "i-1" : nil)
    }

    static func heartbeatResponse(_ v: Int16) -> HeartbeatResponse {
        HeartbeatResponse(throttleTimeMs: v >= 1 ? 3 : 0, errorCode: .illegalGeneration)
    }

    static func leaveGroupRequest(_ v: Int16) -> LeaveGroupRequest {
        if v <= 2 { return LeaveGroupRequest(groupId: "g", members: [.init(memberId: "m-1")]) }
        return LeaveGroupRequest(
            groupId: "g",
            members: [
                .init(memberId: "m-1", groupInstanceId: "i-1", reason: v >= 5 ? "shutdown" : nil),
                .init(memberId: "", groupInstanceId: "i-2"),
            ])
    }

    static func leaveGroupResponse(_ v: Int16) -> LeaveGroupResponse {
        LeaveGroupResponse(
            throttleTimeMs: v >= 1 ? 2 : 0, errorCode: v >= 3 ? .none : .unknownMemberId,
            members: v >= 3
                ? [
                    .init(memberId: "m-1", groupInstanceId: "i-1"),
                    .init(memberId: "", errorCode: .unknownMemberId),
                ] : [])
    }

    static func offsetCommitRequest(_ v: Int16) -> OffsetCommitRequest {
        OffsetCommitRequest(
            groupId: "g", generationIdOrMemberEpoch: v >= 1 ? 3 : -1, memberId: v >= 1 ? "m-1" : "",
            groupInstanceId: v >= 7 ? "i-1" : nil,
            retentionTimeMs: (2...4).contains(v) ? 60_000 : -1,
            topics: [
                .init(
                    name: "orders",
                    partitions: [
                        .init(
                            partitionIndex: 0, committedOffset: 42,
                            committedLeaderEpoch: v >= 6 ? 5 : -1,
                            commitTimestamp: v == 1 ? 1_234 : -1, committedMetadata: "md"),
                        .init(partitionIndex: 1, committedOffset: 7, committedMetadata: nil),
                    ])
            ])
    }

    static func offsetCommitResponse(_ v: Int16) -> OffsetCommitResponse {
        OffsetCommitResponse(
            throttleTimeMs: v >= 3 ? 1 : 0,
            topics: [
                .init(
                    name: "orders",
                    partitions: [
                        .init(partitionIndex: 0),
                        .init(partitionIndex: 1, errorCode: .illegalGeneration),
                    ])
            ])
    }

    static func offsetFetchRequest(_ v: Int16) -> OffsetFetchRequest {
        let topics: [OffsetFetchRequest.Topic] = [.init(name: "orders", partitionIndexes: [0, 1])]
        if v <= 7 {
            return OffsetFetchRequest(
                groups: [.init(groupId: "g", topics: topics)], requireStable: v >= 7)
        }
        return OffsetFetchRequest(
            groups: [
                .init(
                    groupId: "g", memberId: v >= 9 ? "m-1" : nil, memberEpoch: v >= 9 ? 4 : -1,
                    topics: topics),
                .init(groupId: "h", topics: nil),
            ],
            requireStable: true)
    }

    static func offsetFetchResponse(_ v: Int16) -> OffsetFetchResponse {
        let topics: [OffsetFetchResponse.Topic] = [
            .init(
                name: "orders",
                partitions: [
                    .init(
                        partitionIndex: 0, committedOffset: 42,
                        committedLeaderEpoch: v >= 5 ? 5 : -1, metadata: "md"),
                    .init(
                        partitionIndex: 1, committedOffset: -1, metadata: nil,
                        errorCode: .unstableOffsetCommit),
                ])
        ]
        if v <= 7 {
            return OffsetFetchResponse(
                throttleTimeMs: v >= 3 ? 6 : 0,
                groups: [
                    .init(groupId: "", topics: topics, errorCode: v >= 2 ? .notCoordinator : .none)
                ])
        }
        return OffsetFetchResponse(
            throttleTimeMs: 6,
            groups: [
                .init(groupId: "g", topics: topics),
                .init(groupId: "h", topics: [], errorCode: .notCoordinator),
            ])
    }

    static func listGroupsRequest(_ v: Int16) -> ListGroupsRequest {
        ListGroupsRequest(
            statesFilter: v >= 4 ? ["Stable", "Empty"] : [], typesFilter: v >= 5 ? ["classic"] : [])
    }

    static func listGroupsResponse(_ v: Int16) -> ListGroupsResponse {
        ListGroupsResponse(
            throttleTimeMs: v >= 1 ? 8 : 0, errorCode: .none,
            groups: [
                .init(
                    groupId: "g", protocolType: "consumer", groupState: v >= 4 ? "Stable" : "",
                    groupType: v >= 5 ? "classic" : ""),
                .init(
                    groupId: "simple", protocolType: "", groupState: v >= 4 ? "Empty" : "",
                    groupType: v >= 5 ? "classic" : ""),
            ])
    }

    static func describeGroupsRequest(_ v: Int16) -> DescribeGroupsRequest {
        DescribeGroupsRequest(groups: ["g", "h"], includeAuthorizedOperations: v >= 3)
    }

    static func describeGroupsResponse(_ v: Int16) -> DescribeGroupsResponse {
        DescribeGroupsResponse(
            throttleTimeMs: v >= 1 ? 9 : 0,
            groups: [
                .init(
                    groupId: "g", groupState: "Stable", protocolType: "consumer",
                    protocolData: "range",
                    members: [
                        .init(
                            memberId: "m-1", groupInstanceId: v >= 4 ? "i-1" : nil, clientId: "c",
                            clientHost: "/127.0.0.1",
                            memberMetadata: buffer([1]), memberAssignment: buffer([2]))
                    ],
                    authorizedOperations: v >= 3
                        ? 0x0F : DescribeGroupsResponse.authorizedOperationsOmitted),
                .init(errorCode: .notCoordinator, groupId: "h"),
            ])
    }

    static func deleteGroupsRequest(_ v: Int16) -> DeleteGroupsRequest {
        DeleteGroupsRequest(groupsNames: ["g", "h"])
    }

    static func deleteGroupsResponse(_ v: Int16) -> DeleteGroupsResponse {
        DeleteGroupsResponse(
            throttleTimeMs: 3,
            results: [.init(groupId: "g"), .init(groupId: "h", errorCode: .nonEmptyGroup)])
    }

    static let offsetDeleteRequest = OffsetDeleteRequest(
        groupId: "g", topics: [.init(name: "orders", partitionIndexes: [0, 2])])
    static let offsetDeleteResponse = OffsetDeleteResponse(
        errorCode: .none, throttleTimeMs: 0,
        topics: [
            .init(
                name: "orders",
                partitions: [
                    .init(partitionIndex: 0),
                    .init(partitionIndex: 2, errorCode: .groupSubscribedToTopic),
                ])
        ])

    // MARK: - Round trips

    @Test(
        "FindCoordinator round-trips at every version", arguments: FindCoordinatorRequest.versions)
    func findCoordinator(version: Int16) {
        Wire.checkRoundTrip(Self.findCoordinatorRequest(version), version: version)
        Wire.checkRoundTrip(Self.findCoordinatorResponse(version), version: version)
    }

    @Test("JoinGroup round-trips at every version", arguments: JoinGroupRequest.versions)
    func joinGroup(version: Int16) {
        Wire.checkRoundTrip(Self.joinGroupRequest(version), version: version)
        Wire.checkRoundTrip(Self.joinGroupResponse(version), version: version)
    }

    @Test(
        "a JoinGroup error answer with null protocol name round-trips from v7",
        arguments: Int16(7)...9)
    func joinGroupNullProtocol(version: Int16) {
        Wire.checkRoundTrip(
            JoinGroupResponse(errorCode: .memberIdRequired, memberId: "c-1"), version: version)
    }

    @Test("before v7 a null protocol name goes out as an empty string")
    func joinGroupNullBeforeV7() throws {
        let bytes = Wire.encode(JoinGroupResponse(errorCode: .unknownMemberId), 6)
        #expect(try Wire.decode(JoinGroupResponse.self, bytes, 6).protocolName == "")
    }

    @Test("SyncGroup round-trips at every version", arguments: SyncGroupRequest.versions)
    func syncGroup(version: Int16) {
        Wire.checkRoundTrip(Self.syncGroupRequest(version), version: version)
        Wire.checkRoundTrip(Self.syncGroupResponse(version), version: version)
    }

    @Test("Heartbeat round-trips at every version", arguments: HeartbeatRequest.versions)
    func heartbeat(version: Int16) {
        Wire.checkRoundTrip(Self.heartbeatRequest(version), version: version)
        Wire.checkRoundTrip(Self.heartbeatResponse(version), version: version)
    }

    @Test("LeaveGroup round-trips at every version", arguments: LeaveGroupRequest.versions)
    func leaveGroup(version: Int16) {
        Wire.checkRoundTrip(Self.leaveGroupRequest(version), version: version)
        Wire.checkRoundTrip(Self.leaveGroupResponse(version), version: version)
    }

    @Test(
        "OffsetCommit round-trips at every version, the removed 0-1 included",
        arguments: Int16(0)...9)
    func offsetCommit(version: Int16) {
        Wire.checkRoundTrip(Self.offsetCommitRequest(version), version: version)
        Wire.checkRoundTrip(Self.offsetCommitResponse(version), version: version)
    }

    @Test(
        "OffsetFetch round-trips at every version, the removed 0 included", arguments: Int16(0)...9)
    func offsetFetch(version: Int16) {
        Wire.checkRoundTrip(Self.offsetFetchRequest(version), version: version)
        Wire.checkRoundTrip(Self.offsetFetchResponse(version), version: version)
    }

    @Test(
        "OffsetFetch with null topics (all partitions) round-trips from v2", arguments: Int16(2)...7
    )
    func offsetFetchAllTopics(version: Int16) {
        Wire.checkRoundTrip(
            OffsetFetchRequest(
                groups: [.init(groupId: "g", topics: nil)], requireStable: version >= 7),
            version: version)
    }

    @Test("ListGroups round-trips at every version", arguments: ListGroupsRequest.versions)
    func listGroups(version: Int16) {
        Wire.checkRoundTrip(Self.listGroupsRequest(version), version: version)
        Wire.checkRoundTrip(Self.listGroupsResponse(version), version: version)
    }

    @Test("DescribeGroups round-trips at every version", arguments: DescribeGroupsRequest.versions)
    func describeGroups(version: Int16) {
        Wire.checkRoundTrip(Self.describeGroupsRequest(version), version: version)
        Wire.checkRoundTrip(Self.describeGroupsResponse(version), version: version)
    }

    @Test("DeleteGroups round-trips at every version", arguments: DeleteGroupsRequest.versions)
    func deleteGroups(version: Int16) {
        Wire.checkRoundTrip(Self.deleteGroupsRequest(version), version: version)
        Wire.checkRoundTrip(Self.deleteGroupsResponse(version), version: version)
    }

    @Test("OffsetDelete round-trips at v0")
    func offsetDelete() {
        Wire.checkRoundTrip(Self.offsetDeleteRequest, version: 0)
        Wire.checkRoundTrip(Self.offsetDeleteResponse, version: 0)
    }

    @Test("declared versions match what Kafka 4.x brokers accept")
    func declaredVersions() {
        #expect(
            FindCoordinatorRequest.versions == 0...4
                && FindCoordinatorRequest.firstFlexibleVersion == 3)
        #expect(JoinGroupRequest.versions == 0...9 && JoinGroupRequest.firstFlexibleVersion == 6)
        #expect(SyncGroupRequest.versions == 0...5 && SyncGroupRequest.firstFlexibleVersion == 4)
        #expect(HeartbeatRequest.versions == 0...4 && HeartbeatRequest.firstFlexibleVersion == 4)
        #expect(LeaveGroupRequest.versions == 0...5 && LeaveGroupRequest.firstFlexibleVersion == 4)
        #expect(
            OffsetCommitRequest.versions == 2...9 && OffsetCommitRequest.firstFlexibleVersion == 8)
        #expect(
            OffsetFetchRequest.versions == 1...9 && OffsetFetchRequest.firstFlexibleVersion == 6)
        #expect(ListGroupsRequest.versions == 0...5 && ListGroupsRequest.firstFlexibleVersion == 3)
        #expect(
            DescribeGroupsRequest.versions == 0...5
                && DescribeGroupsRequest.firstFlexibleVersion == 5)
        #expect(
            DeleteGroupsRequest.versions == 0...2 && DeleteGroupsRequest.firstFlexibleVersion == 2)
        #expect(
            OffsetDeleteRequest.versions == 0...0 && OffsetDeleteRequest.firstFlexibleVersion == nil
        )
    }

    @Test("unknown tagged fields in a flexible request are skipped")
    func unknownTagsSkipped() throws {
        // Heartbeat v4 with one unknown tag (tag 9, two bytes) in the top-level section.
        let bytes =
            Bytes.cstr("g") + Bytes.i32(5) + Bytes.cstr("m") + Bytes.nullCompact + [
                0x01, 0x09, 0x02, 0xAB, 0xCD,
            ]
        #expect(
            try Wire.decode(HeartbeatRequest.self, bytes, 4)
                == HeartbeatRequest(groupId: "g", generationId: 5, memberId: "m"))
    }

    @Test("a forged array count larger than the bytes left is refused before allocating")
    func forgedCount() {
        let bytes = Bytes.count(2_000_000_000)
        #expect(throws: DecodeError.self) { try Wire.decode(DescribeGroupsRequest.self, bytes, 0) }
    }

    @Test("FindCoordinator answers before v4 take the first per-key answer")
    func findCoordinatorLegacyAnswer() {
        let coordinators = [
            FindCoordinatorResponse.Coordinator(key: "g", nodeId: 3, host: "127.0.0.1", port: 9094)
        ]
        let old = FindCoordinatorResponse(version: 3, coordinators: coordinators)
        #expect(old.nodeId == 3 && old.port == 9094 && old.coordinators.isEmpty)
        #expect(
            FindCoordinatorResponse(version: 4, coordinators: coordinators).coordinators
                == coordinators)
        #expect(FindCoordinatorRequest(key: "g").keys(version: 3) == ["g"])
        #expect(
            FindCoordinatorRequest(coordinatorKeys: ["a", "b"]).keys(version: 4) == ["a", "b"])
    }
}
