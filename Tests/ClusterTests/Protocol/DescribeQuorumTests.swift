// Protocol tests: DescribeQuorum (key 55). Goal: every version 0-2 round-trips, bytes written
// out by hand from the JSON schemas decode and re-encode exactly (the v1 timestamps, the v2
// messages, directory ids and nodes), and broken bytes only ever throw.

import NIOCore
import Testing

@testable import Cluster

@Suite struct DescribeQuorumTests {
    static func response(version: Int16) -> DescribeQuorumResponse {
        let v1 = version >= 1
        let v2 = version >= 2
        return DescribeQuorumResponse(
            errorMessage: v2 ? "fine" : nil,
            topics: [
                .init(partitions: [
                    .init(
                        errorMessage: nil, leaderId: 1, leaderEpoch: 4, highWatermark: 250,
                        currentVoters: [
                            .init(
                                replicaId: 1,
                                replicaDirectoryId: v2 ? CodecChecks.sampleTopicId : .zero,
                                logEndOffset: 260,
                                lastFetchTimestamp: v1 ? 1_700_000_000_000 : -1,
                                lastCaughtUpTimestamp: v1 ? 1_700_000_000_000 : -1),
                            .init(replicaId: 2, logEndOffset: 240),
                        ], observers: [.init(replicaId: 4, logEndOffset: 200)]),
                    .init(
                        partitionIndex: 1, errorCode: .unknownTopicOrPartition,
                        errorMessage: v2 ? "no such partition" : nil),
                ])
            ],
            nodes: v2
                ? [
                    .init(
                        nodeId: 1,
                        listeners: [.init(name: "CONTROLLER", host: "127.0.0.1", port: 9_093)]),
                    .init(nodeId: 2),
                ] : [])
    }

    @Test(
        "every version round-trips request and response", arguments: DescribeQuorumRequest.versions)
    func roundTrip(version: Int16) throws {
        try CodecChecks.expectRoundTrip(DescribeQuorumRequest(), version: version)
        try CodecChecks.expectRoundTrip(DescribeQuorumRequest(topics: []), version: version)
        try CodecChecks.expectRoundTrip(Self.response(version: version), version: version)
        try CodecChecks.expectRoundTrip(DescribeQuorumResponse(), version: version)
    }

    @Test("every truncation throws a DecodeError", arguments: DescribeQuorumRequest.versions)
    func truncations(version: Int16) {
        CodecChecks.expectEveryTruncationThrows(DescribeQuorumRequest(), version: version)
        CodecChecks.expectEveryTruncationThrows(Self.response(version: version), version: version)
    }

    @Test("the default request asks about __cluster_metadata-0, the same at every version")
    func fixtureRequest() throws {
        let bytes: [UInt8] =
            [0x02]  // topics: compact count 1
            + [0x13] + Array("__cluster_metadata".utf8)  // topic_name (18 bytes)
            + [0x02]  // partitions: compact count 1
            + [0x00, 0x00, 0x00, 0x00]  // partition_index 0
            + [0x00, 0x00, 0x00]  // partition, topic and top-level tagged fields
        for version in DescribeQuorumRequest.versions {
            #expect(CodecChecks.encode(DescribeQuorumRequest(), version: version) == bytes)
            #expect(
                try CodecChecks.decode(DescribeQuorumRequest.self, bytes, version: version)
                    == DescribeQuorumRequest())
        }
    }

    @Test("v0 response bytes built from the schema decode and re-encode exactly")
    func fixtureV0Response() throws {
        let bytes: [UInt8] =
            [0x00, 0x00]  // error_code NONE
            + [0x02, 0x02, 0x74, 0x02]  // one topic "t", one partition
            + [0x00, 0x00, 0x00, 0x00, 0x00, 0x00]  // partition_index 0, error_code NONE
            + [0x00, 0x00, 0x00, 0x01]  // leader_id 1
            + [0x00, 0x00, 0x00, 0x04]  // leader_epoch 4
            + [0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x0A]  // high_watermark 10
            + [0x02]  // current_voters: compact count 1
            + [0x00, 0x00, 0x00, 0x01]  //   replica_id 1
            + [0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x0B]  //   log_end_offset 11
            + [0x00]  //   replica tagged fields
            + [0x01]  // observers: compact count 0
            + [0x00, 0x00, 0x00]  // partition, topic and top-level tagged fields
        let expected = DescribeQuorumResponse(topics: [
            .init(
                topicName: "t",
                partitions: [
                    .init(
                        leaderId: 1, leaderEpoch: 4, highWatermark: 10,
                        currentVoters: [.init(replicaId: 1, logEndOffset: 11)])
                ])
        ])
        #expect(try CodecChecks.decode(DescribeQuorumResponse.self, bytes, version: 0) == expected)
        #expect(CodecChecks.encode(expected, version: 0) == bytes)
    }

    @Test("v2 response bytes built from the schema decode and re-encode exactly")
    func fixtureV2Response() throws {
        let bytes: [UInt8] =
            [0x00, 0x00]  // error_code NONE
            + [0x00]  // error_message: null
            + [0x02, 0x02, 0x74, 0x02]  // one topic "t", one partition
            + [0x00, 0x00, 0x00, 0x00, 0x00, 0x00]  // partition_index 0, error_code NONE
            + [0x00]  // error_message: null
            + [0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x04]  // leader_id 1, leader_epoch 4
            + [0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x0A]  // high_watermark 10
            + [0x01]  // current_voters: compact count 0
            + [0x02]  // observers: compact count 1
            + [0x00, 0x00, 0x00, 0x05]  //   replica_id 5
            + CodecChecks.sampleTopicIdBytes  //   replica_directory_id
            + [0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x09]  //   log_end_offset 9
            + [0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x64]  //   last_fetch_timestamp 100
            + [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF]  //   last_caught_up_timestamp -1
            + [0x00]  //   replica tagged fields
            + [0x00, 0x00]  // partition and topic tagged fields
            + [0x02]  // nodes: compact count 1
            + [0x00, 0x00, 0x00, 0x01]  //   node_id 1
            + [0x02, 0x02, 0x43, 0x02, 0x68, 0x23, 0x85, 0x00]  //   listeners: "C" h:9093
            + [0x00]  //   node tagged fields
            + [0x00]  // tagged fields
        let expected = DescribeQuorumResponse(
            topics: [
                .init(
                    topicName: "t",
                    partitions: [
                        .init(
                            leaderId: 1, leaderEpoch: 4, highWatermark: 10,
                            observers: [
                                .init(
                                    replicaId: 5, replicaDirectoryId: CodecChecks.sampleTopicId,
                                    logEndOffset: 9, lastFetchTimestamp: 100)
                            ])
                    ])
            ],
            nodes: [.init(nodeId: 1, listeners: [.init(name: "C", host: "h", port: 9_093)])])
        #expect(try CodecChecks.decode(DescribeQuorumResponse.self, bytes, version: 2) == expected)
        #expect(CodecChecks.encode(expected, version: 2) == bytes)
    }

    @Test("a forged voter count of 0x7fffffff throws without allocating") func hugeCount() {
        let head: [UInt8] =
            [0x00, 0x00, 0x02, 0x02, 0x74, 0x02, 0, 0, 0, 0, 0, 0]
            + [0, 0, 0, 1, 0, 0, 0, 4, 0, 0, 0, 0, 0, 0, 0, 0x0A]
        #expect(throws: DecodeError.self) {
            _ = try CodecChecks.decode(
                DescribeQuorumResponse.self, head + [0x80, 0x80, 0x80, 0x80, 0x08, 0x01, 0x00],
                version: 0)
        }
    }

    @Test("seeded random bytes never trap") func randomBytes() {
        CodecChecks.feedRandomBytes(DescribeQuorumRequest.self)
    }
}
