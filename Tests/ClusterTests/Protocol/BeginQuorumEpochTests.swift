// Protocol tests: BeginQuorumEpoch (key 53). Goal: both versions round-trip (v0 plain, v1
// flexible), bytes written out by hand from the JSON schemas decode and re-encode exactly,
// and broken bytes only ever throw.

import NIOCore
import Testing

@testable import Cluster

@Suite struct BeginQuorumEpochTests {
    static func request(version: Int16) -> BeginQuorumEpochRequest {
        BeginQuorumEpochRequest(
            clusterId: "c-lu5ter", voterId: version >= 1 ? 2 : -1,
            topics: [
                .init(partitions: [
                    .init(
                        voterDirectoryId: version >= 1 ? CodecChecks.sampleTopicId : .zero,
                        leaderId: 1, leaderEpoch: 8)
                ])
            ],
            leaderEndpoints: version >= 1
                ? [.init(name: "CONTROLLER", host: "127.0.0.1", port: 9_093)] : [])
    }

    static func response(version: Int16) -> BeginQuorumEpochResponse {
        BeginQuorumEpochResponse(
            topics: [
                .init(partitions: [
                    .init(leaderId: 1, leaderEpoch: 8),
                    .init(partitionIndex: 1, errorCode: .notLeaderOrFollower),
                ])
            ],
            nodeEndpoints: version >= 1 ? [.init(nodeId: 1, host: "127.0.0.1", port: 9_093)] : [])
    }

    @Test(
        "every version round-trips request and response",
        arguments: BeginQuorumEpochRequest.versions)
    func roundTrip(version: Int16) throws {
        try CodecChecks.expectRoundTrip(Self.request(version: version), version: version)
        try CodecChecks.expectRoundTrip(Self.response(version: version), version: version)
        try CodecChecks.expectRoundTrip(BeginQuorumEpochRequest(), version: version)
        try CodecChecks.expectRoundTrip(BeginQuorumEpochResponse(), version: version)
    }

    @Test("every truncation throws a DecodeError", arguments: BeginQuorumEpochRequest.versions)
    func truncations(version: Int16) {
        CodecChecks.expectEveryTruncationThrows(Self.request(version: version), version: version)
        CodecChecks.expectEveryTruncationThrows(Self.response(version: version), version: version)
    }

    @Test("v0 request bytes are not flexible: int16 strings, int32 counts, no tags")
    func fixtureV0Request() throws {
        let bytes: [UInt8] =
            [0xFF, 0xFF]  // cluster_id: null (int16 -1)
            + [0x00, 0x00, 0x00, 0x01]  // topics: count 1
            + [0x00, 0x01, 0x74]  // topic_name "t"
            + [0x00, 0x00, 0x00, 0x01]  // partitions: count 1
            + [0x00, 0x00, 0x00, 0x00]  // partition_index 0
            + [0x00, 0x00, 0x00, 0x01]  // leader_id 1
            + [0x00, 0x00, 0x00, 0x08]  // leader_epoch 8
        let expected = BeginQuorumEpochRequest(topics: [
            .init(topicName: "t", partitions: [.init(leaderId: 1, leaderEpoch: 8)])
        ])
        #expect(try CodecChecks.decode(BeginQuorumEpochRequest.self, bytes, version: 0) == expected)
        #expect(CodecChecks.encode(expected, version: 0) == bytes)
    }

    @Test("v1 request bytes built from the schema decode and re-encode exactly")
    func fixtureV1Request() throws {
        let bytes: [UInt8] =
            [0x02, 0x63]  // cluster_id "c"
            + [0x00, 0x00, 0x00, 0x02]  // voter_id 2
            + [0x02, 0x02, 0x74]  // topics: compact count 1, topic_name "t"
            + [0x02]  // partitions: compact count 1
            + [0x00, 0x00, 0x00, 0x00]  // partition_index 0
            + CodecChecks.sampleTopicIdBytes  // voter_directory_id
            + [0x00, 0x00, 0x00, 0x01]  // leader_id 1
            + [0x00, 0x00, 0x00, 0x08]  // leader_epoch 8
            + [0x00, 0x00]  // partition and topic tagged fields
            + [0x02]  // leader_endpoints: compact count 1
            + [0x02, 0x43]  //   name "C"
            + [0x02, 0x68]  //   host "h"
            + [0x23, 0x85]  //   port 9093 as uint16
            + [0x00]  //   endpoint tagged fields
            + [0x00]  // tagged fields
        let expected = BeginQuorumEpochRequest(
            clusterId: "c", voterId: 2,
            topics: [
                .init(
                    topicName: "t",
                    partitions: [
                        .init(
                            voterDirectoryId: CodecChecks.sampleTopicId, leaderId: 1,
                            leaderEpoch: 8)
                    ])
            ], leaderEndpoints: [.init(name: "C", host: "h", port: 9_093)])
        #expect(try CodecChecks.decode(BeginQuorumEpochRequest.self, bytes, version: 1) == expected)
        #expect(CodecChecks.encode(expected, version: 1) == bytes)
    }

    @Test("v0 and v1 response bytes built from the schema decode and re-encode exactly")
    func fixtureResponses() throws {
        let v0: [UInt8] =
            [0x00, 0x00]  // error_code NONE
            + [0x00, 0x00, 0x00, 0x01, 0x00, 0x01, 0x74]  // topics: count 1, topic_name "t"
            + [0x00, 0x00, 0x00, 0x01]  // partitions: count 1
            + [0x00, 0x00, 0x00, 0x00]  // partition_index 0
            + [0x00, 0x06]  // error_code NOT_LEADER_OR_FOLLOWER
            + [0x00, 0x00, 0x00, 0x01]  // leader_id 1
            + [0x00, 0x00, 0x00, 0x08]  // leader_epoch 8
        let v1: [UInt8] =
            [0x00, 0x00]  // error_code NONE
            + [0x02, 0x02, 0x74]  // topics: compact count 1, topic_name "t"
            + [0x02]  // partitions: compact count 1
            + [0x00, 0x00, 0x00, 0x00, 0x00, 0x06]  // partition_index 0, NOT_LEADER_OR_FOLLOWER
            + [0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x08]  // leader_id 1, leader_epoch 8
            + [0x00, 0x00]  // partition and topic tagged fields
            + [0x01, 0x00, 0x0A]  // tagged: 1 field, tag 0 (node_endpoints), size 10
            + [0x02, 0x00, 0x00, 0x00, 0x01]  //   compact count 1, node_id 1
            + [0x02, 0x68, 0x23, 0x85, 0x00]  //   host "h", port 9093, no tags
        let partition = BeginQuorumEpochResponse.PartitionData(
            errorCode: .notLeaderOrFollower, leaderId: 1, leaderEpoch: 8)
        let plain = BeginQuorumEpochResponse(topics: [
            .init(topicName: "t", partitions: [partition])
        ])
        var flexible = plain
        flexible.nodeEndpoints = [.init(nodeId: 1, host: "h", port: 9_093)]
        #expect(try CodecChecks.decode(BeginQuorumEpochResponse.self, v0, version: 0) == plain)
        #expect(CodecChecks.encode(plain, version: 0) == v0)
        #expect(try CodecChecks.decode(BeginQuorumEpochResponse.self, v1, version: 1) == flexible)
        #expect(CodecChecks.encode(flexible, version: 1) == v1)
    }

    @Test("a forged topic count of 0x7fffffff throws without allocating") func hugeCount() {
        #expect(throws: DecodeError.self) {
            _ = try CodecChecks.decode(
                BeginQuorumEpochRequest.self, [0xFF, 0xFF, 0x7F, 0xFF, 0xFF, 0xFF], version: 0)
        }
    }

    @Test("seeded random bytes never trap") func randomBytes() {
        CodecChecks.feedRandomBytes(BeginQuorumEpochRequest.self)
    }
}
