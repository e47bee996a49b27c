// Protocol tests: Metadata (key 3). Goal: every version 0-12 round-trips, hand-built bytes
// from the JSON schema decode and re-encode exactly, and broken bytes only ever throw.

import NIOCore
import Testing

@testable import Cluster

@Suite struct MetadataTests {
    static func request(version: Int16) -> MetadataRequest {
        MetadataRequest(
            topics: [
                .init(name: "orders", topicId: version >= 10 ? CodecChecks.sampleTopicId : .zero),
                .init(
                    name: version >= 10 ? nil : "payments",
                    topicId: version >= 10
                        ? Uuid(mostSignificantBits: 9, leastSignificantBits: 9) : .zero),
            ], allowAutoTopicCreation: version >= 4 ? false : true,
            includeClusterAuthorizedOperations: (8...10).contains(version),
            includeTopicAuthorizedOperations: version >= 8)
    }

    static func response(version: Int16) -> MetadataResponse {
        MetadataResponse(
            throttleTimeMs: version >= 3 ? 17 : 0,
            brokers: [
                .init(
                    nodeId: 1, host: "127.0.0.1", port: 9092, rack: version >= 1 ? "rack-a" : nil),
                .init(nodeId: 2, host: "127.0.0.1", port: 9093),
            ], clusterId: version >= 2 ? "c-lu5ter" : nil, controllerId: version >= 1 ? 1 : -1,
            topics: [
                .init(
                    name: "orders", topicId: version >= 10 ? CodecChecks.sampleTopicId : .zero,
                    isInternal: false,
                    partitions: [
                        .init(
                            partitionIndex: 0, leaderId: 1, leaderEpoch: version >= 7 ? 4 : -1,
                            replicaNodes: [1, 2], isrNodes: [1, 2],
                            offlineReplicas: version >= 5 ? [3] : []),
                        .init(
                            errorCode: .leaderNotAvailable, partitionIndex: 1, replicaNodes: [2],
                            isrNodes: []),
                    ],
                    topicAuthorizedOperations: version >= 8
                        ? 0x0F : MetadataResponse.authorizedOperationsOmitted),
                .init(
                    errorCode: .unknownTopicOrPartition, name: version >= 12 ? nil : "gone",
                    isInternal: version >= 1),
            ],
            clusterAuthorizedOperations: (8...10).contains(version)
                ? 0x7F : MetadataResponse.authorizedOperationsOmitted)
    }

    @Test("every version round-trips request and response", arguments: MetadataRequest.versions)
    func roundTrip(version: Int16) throws {
        try CodecChecks.expectRoundTrip(Self.request(version: version), version: version)
        try CodecChecks.expectRoundTrip(Self.response(version: version), version: version)
        try CodecChecks.expectRoundTrip(MetadataRequest(), version: version)
        try CodecChecks.expectRoundTrip(MetadataResponse(), version: version)
    }

    @Test("every truncation throws a DecodeError", arguments: MetadataRequest.versions)
    func truncations(version: Int16) {
        CodecChecks.expectEveryTruncationThrows(Self.request(version: version), version: version)
        CodecChecks.expectEveryTruncationThrows(Self.response(version: version), version: version)
    }

    @Test("at v0 an empty topic array means all topics and decodes as nil")
    func versionZeroAllTopics() throws {
        #expect(CodecChecks.encode(MetadataRequest(topics: nil), version: 0) == [0, 0, 0, 0])
        #expect(
            try CodecChecks.decode(MetadataRequest.self, [0, 0, 0, 0], version: 0).topics == nil)
        #expect(
            CodecChecks.encode(MetadataRequest(topics: nil), version: 1) == [
                0xFF, 0xFF, 0xFF, 0xFF,
            ])
        #expect(
            try CodecChecks.decode(MetadataRequest.self, [0, 0, 0, 0], version: 1).topics == [])
    }

    @Test("v4 request bytes built from the schema decode and re-encode exactly")
    func fixtureV4Request() throws {
        let bytes: [UInt8] = [
            0x00, 0x00, 0x00, 0x01,  // topics: int32 count 1
            0x00, 0x01, 0x74,  // name: int16 length 1, "t"
            0x00,  // allow_auto_topic_creation: false
        ]
        let expected = MetadataRequest(topics: [.init(name: "t")], allowAutoTopicCreation: false)
        #expect(try CodecChecks.decode(MetadataRequest.self, bytes, version: 4) == expected)
        #expect(CodecChecks.encode(expected, version: 4) == bytes)
    }

    @Test("v12 request bytes built from the schema decode and re-encode exactly")
    func fixtureV12Request() throws {
        let bytes: [UInt8] =
            [0x03]  // topics: compact count 2 (+1)
            + CodecChecks.sampleTopicIdBytes  // [0] topic_id
            + [0x00]  // [0] name: compact null
            + [0x00]  // [0] tagged fields: none
            + [UInt8](repeating: 0, count: 16)  // [1] topic_id: zero
            + [0x02, 0x74]  // [1] name: compact length 1 (+1), "t"
            + [0x00]  // [1] tagged fields: none
            + [0x01]  // allow_auto_topic_creation: true
            + [0x01]  // include_topic_authorized_operations: true
            + [0x00]  // tagged fields: none
        let expected = MetadataRequest(
            topics: [.init(name: nil, topicId: CodecChecks.sampleTopicId), .init(name: "t")],
            includeTopicAuthorizedOperations: true)
        #expect(try CodecChecks.decode(MetadataRequest.self, bytes, version: 12) == expected)
        #expect(CodecChecks.encode(expected, version: 12) == bytes)
    }

    @Test("v1 response bytes built from the schema decode and re-encode exactly")
    func fixtureV1Response() throws {
        let bytes: [UInt8] =
            [0x00, 0x00, 0x00, 0x01]  // brokers: count 1
            + [0x00, 0x00, 0x00, 0x01]  // node_id 1
            + [0x00, 0x01, 0x68]  // host "h"
            + [0x00, 0x00, 0x23, 0x84]  // port 9092
            + [0xFF, 0xFF]  // rack: null
            + [0x00, 0x00, 0x00, 0x01]  // controller_id 1
            + [0x00, 0x00, 0x00, 0x01]  // topics: count 1
            + [0x00, 0x00]  // error_code NONE
            + [0x00, 0x01, 0x74]  // name "t"
            + [0x00]  // is_internal false
            + [0x00, 0x00, 0x00, 0x01]  // partitions: count 1
            + [0x00, 0x00]  // error_code NONE
            + [0x00, 0x00, 0x00, 0x00]  // partition_index 0
            + [0x00, 0x00, 0x00, 0x01]  // leader_id 1
            + [0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01]  // replica_nodes [1]
            + [0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01]  // isr_nodes [1]
        let expected = MetadataResponse(
            brokers: [.init(nodeId: 1, host: "h", port: 9092)], controllerId: 1,
            topics: [
                .init(
                    name: "t",
                    partitions: [
                        .init(partitionIndex: 0, leaderId: 1, replicaNodes: [1], isrNodes: [1])
                    ])
            ])
        #expect(try CodecChecks.decode(MetadataResponse.self, bytes, version: 1) == expected)
        #expect(CodecChecks.encode(expected, version: 1) == bytes)
    }

    @Test("v12 response bytes built from the schema decode and re-encode exactly")
    func fixtureV12Response() throws {
        let bytes: [UInt8] =
            [0x00, 0x00, 0x00, 0x00]  // throttle_time_ms 0
            + [0x02]  // brokers: compact count 1
            + [0x00, 0x00, 0x00, 0x01]  // node_id 1
            + [0x02, 0x68]  // host "h"
            + [0x00, 0x00, 0x23, 0x84]  // port 9092
            + [0x02, 0x72]  // rack "r"
            + [0x00]  // broker tagged fields
            + [0x02, 0x63]  // cluster_id "c"
            + [0x00, 0x00, 0x00, 0x01]  // controller_id 1
            + [0x02]  // topics: compact count 1
            + [0x00, 0x00]  // error_code NONE
            + [0x02, 0x74]  // name "t"
            + CodecChecks.sampleTopicIdBytes  // topic_id
            + [0x00]  // is_internal false
            + [0x02]  // partitions: compact count 1
            + [0x00, 0x00]  // error_code NONE
            + [0x00, 0x00, 0x00, 0x00]  // partition_index 0
            + [0x00, 0x00, 0x00, 0x01]  // leader_id 1
            + [0x00, 0x00, 0x00, 0x05]  // leader_epoch 5
            + [0x02, 0x00, 0x00, 0x00, 0x01]  // replica_nodes [1]
            + [0x02, 0x00, 0x00, 0x00, 0x01]  // isr_nodes [1]
            + [0x01]  // offline_replicas []
            + [0x00]  // partition tagged fields
            + [0x80, 0x00, 0x00, 0x00]  // topic_authorized_operations: INT32_MIN (omitted)
            + [0x00]  // topic tagged fields
            + [0x00]  // tagged fields
        let expected = MetadataResponse(
            brokers: [.init(nodeId: 1, host: "h", port: 9092, rack: "r")], clusterId: "c",
            controllerId: 1,
            topics: [
                .init(
                    name: "t", topicId: CodecChecks.sampleTopicId,
                    partitions: [
                        .init(
                            partitionIndex: 0, leaderId: 1, leaderEpoch: 5, replicaNodes: [1],
                            isrNodes: [1])
                    ])
            ])
        #expect(try CodecChecks.decode(MetadataResponse.self, bytes, version: 12) == expected)
        #expect(CodecChecks.encode(expected, version: 12) == bytes)
    }

    @Test("a forged topic count of 0x7fffffff throws without allocating") func hugeCount() {
        #expect(throws: DecodeError.self) {
            _ = try CodecChecks.decode(
                MetadataRequest.self, [0x7F, 0xFF, 0xFF, 0xFF, 0x00], version: 4)
        }
        // Compact: the unsigned varint 0x80000000 is a count of 0x7fffffff.
        #expect(throws: DecodeError.self) {
            _ = try CodecChecks.decode(
                MetadataRequest.self, [0x80, 0x80, 0x80, 0x80, 0x08, 0x00], version: 12)
        }
        #expect(throws: DecodeError.self) {
            _ = try CodecChecks.decode(
                MetadataResponse.self, [0, 0, 0, 0, 0x7F, 0xFF, 0xFF, 0xFF], version: 3)
        }
    }

    @Test("seeded random bytes never trap") func randomBytes() {
        CodecChecks.feedRandomBytes(MetadataRequest.self)
    }
}
