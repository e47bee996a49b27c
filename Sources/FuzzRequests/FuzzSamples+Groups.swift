// Fuzz harness: sample requests and responses of FindCoordinator and the group coordinator's
// APIs, with consumer-protocol metadata and assignments, for the seed corpus.

import Cluster
import NIOCore

extension FuzzSamples {
    static let subscription = ConsumerProtocolSubscription(
        topics: ["orders", "payments"], userData: ByteBuffer(bytes: [1, 2]),
        ownedPartitions: [.init(topic: "orders", partitions: [0, 2])], generationId: 3,
        rackId: "rack-a"
    ).encoded()
    static let assignment = ConsumerProtocolAssignment(
        assignedPartitions: [.init(topic: "orders", partitions: [0, 1])]
    ).encoded()

    static let findCoordinator = [
        FindCoordinatorRequest(key: "group-1", keyType: 0, coordinatorKeys: []),
        FindCoordinatorRequest(key: "", keyType: 1, coordinatorKeys: ["tx-1", "tx-2"]),
    ]
    static let findCoordinatorResponses = [
        FindCoordinatorResponse(errorCode: .none, nodeId: 1, host: "127.0.0.1", port: 9092),
        FindCoordinatorResponse(
            errorCode: .coordinatorNotAvailable, errorMessage: "not yet",
            coordinators: [.init(key: "g", nodeId: 2, host: "h", port: 9093, errorCode: .none)]),
    ]

    static let joinGroup = [
        JoinGroupRequest(
            groupId: "group-1", sessionTimeoutMs: 10_000, rebalanceTimeoutMs: 30_000,
            memberId: "m-1", groupInstanceId: "instance-1", protocolType: "consumer",
            protocols: [.init(name: "range", metadata: subscription)], reason: "joining"),
        JoinGroupRequest(
            groupId: "g", sessionTimeoutMs: 6_000, protocolType: "consumer", protocols: []),
    ]
    static let joinGroupResponses = [
        JoinGroupResponse(
            errorCode: .none, generationId: 1, protocolType: "consumer", protocolName: "range",
            leader: "m-1", memberId: "m-1",
            members: [.init(memberId: "m-1", groupInstanceId: "i", metadata: subscription)]),
        JoinGroupResponse(errorCode: .memberIdRequired, memberId: "m-2"),
    ]

    static let syncGroup = [
        SyncGroupRequest(
            groupId: "group-1", generationId: 1, memberId: "m-1", groupInstanceId: "i",
            protocolType: "consumer", protocolName: "range",
            assignments: [.init(memberId: "m-1", assignment: assignment)]),
        SyncGroupRequest(groupId: "g", generationId: 2, memberId: "m-2"),
    ]
    static let syncGroupResponses = [
        SyncGroupResponse(
            errorCode: .none, protocolType: "consumer", protocolName: "range", assignment: assignment),
        SyncGroupResponse(errorCode: .rebalanceInProgress),
    ]

    static let heartbeat = [
        HeartbeatRequest(groupId: "group-1", generationId: 1, memberId: "m-1", groupInstanceId: "i"),
        HeartbeatRequest(groupId: "g", generationId: -1, memberId: ""),
    ]
    static let heartbeatResponses = [
        HeartbeatResponse(errorCode: .none), HeartbeatResponse(errorCode: .rebalanceInProgress),
    ]

    static let leaveGroup = [
        LeaveGroupRequest(groupId: "group-1", members: [.init(memberId: "m-1", reason: "bye")]),
        LeaveGroupRequest(groupId: "g", members: [.init(memberId: "m-2", groupInstanceId: "i")]),
    ]
    static let leaveGroupResponses = [
        LeaveGroupResponse(errorCode: .none, members: [.init(memberId: "m-1")]),
        LeaveGroupResponse(errorCode: .unknownMemberId),
    ]

    static let offsetCommit = [
        OffsetCommitRequest(
            groupId: "group-1", generationIdOrMemberEpoch: 1, memberId: "m-1",
            groupInstanceId: "i", retentionTimeMs: -1,
            topics: [
                .init(
                    name: "orders",
                    partitions: [
                        .init(partitionIndex: 0, committedOffset: 42, committedLeaderEpoch: 3,
                              committedMetadata: "meta"),
                        .init(partitionIndex: 1, committedOffset: 0, committedMetadata: nil),
                    ])
            ]),
        OffsetCommitRequest(groupId: "g", topics: []),
    ]
    static let offsetCommitResponses = [
        OffsetCommitResponse(
            topics: [.init(name: "orders", partitions: [.init(partitionIndex: 0, errorCode: .none)])]),
        OffsetCommitResponse(
            topics: [.init(name: "t", partitions: [.init(partitionIndex: 1, errorCode: .illegalGeneration)])]),
    ]

    static let offsetFetch = [
        OffsetFetchRequest(
            groups: [.init(groupId: "group-1", topics: [.init(name: "orders", partitionIndexes: [0, 1])])],
            requireStable: true),
        OffsetFetchRequest(groups: [.init(groupId: "g", memberId: "m", memberEpoch: 2, topics: nil)]),
    ]
    static let offsetFetchResponses = [
        OffsetFetchResponse(groups: [
            .init(
                groupId: "group-1",
                topics: [
                    .init(
                        name: "orders",
                        partitions: [
                            .init(partitionIndex: 0, committedOffset: 42, committedLeaderEpoch: 3, metadata: "meta")
                        ])
                ])
        ]),
        OffsetFetchResponse(groups: [.init(groupId: "g", topics: [], errorCode: .notCoordinator)]),
    ]

    static let listGroups = [
        ListGroupsRequest(), ListGroupsRequest(statesFilter: ["Stable"], typesFilter: ["classic"]),
    ]
    static let listGroupsResponses = [
        ListGroupsResponse(groups: [
            .init(groupId: "group-1", protocolType: "consumer", groupState: "Stable", groupType: "classic")
        ]),
        ListGroupsResponse(errorCode: .coordinatorLoadInProgress),
    ]

    static let describeGroups = [
        DescribeGroupsRequest(groups: ["group-1", "g"], includeAuthorizedOperations: true),
        DescribeGroupsRequest(groups: []),
    ]
    static let describeGroupsResponses = [
        DescribeGroupsResponse(groups: [
            .init(
                groupId: "group-1", groupState: "Stable", protocolType: "consumer",
                protocolData: "range",
                members: [
                    .init(
                        memberId: "m-1", groupInstanceId: "i", clientId: "c", clientHost: "/127.0.0.1",
                        memberMetadata: subscription, memberAssignment: assignment)
                ])
        ]),
        DescribeGroupsResponse(groups: [.init(errorCode: .notCoordinator, groupId: "g")]),
    ]

    static let deleteGroups = [
        DeleteGroupsRequest(groupsNames: ["group-1", "g"]), DeleteGroupsRequest(groupsNames: []),
    ]
    static let deleteGroupsResponses = [
        DeleteGroupsResponse(results: [
            .init(groupId: "group-1"), .init(groupId: "g", errorCode: .nonEmptyGroup),
        ])
    ]

    static let offsetDelete = [
        OffsetDeleteRequest(groupId: "group-1", topics: [.init(name: "orders", partitionIndexes: [0, 1])]),
        OffsetDeleteRequest(groupId: "g", topics: []),
    ]
    static let offsetDeleteResponses = [
        OffsetDeleteResponse(topics: [
            .init(name: "orders", partitions: [.init(partitionIndex: 0, errorCode: .groupSubscribedToTopic)])
        ]),
        OffsetDeleteResponse(errorCode: .groupIdNotFound),
    ]
}
