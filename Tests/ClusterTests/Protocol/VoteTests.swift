// Protocol tests: Vote (key 52). Goal: every version 0-2 round-trips, bytes written out by hand
// from VoteRequest.json/VoteResponse.json decode and re-encode exactly (directory ids, pre_vote,
// the tagged node_endpoints), unknown tags are skipped, and broken bytes only ever throw.

import NIOCore
import Testing

@testable import Cluster

@Suite struct VoteTests {
    static func request(version: Int16) -> VoteRequest {
        VoteRequest(
            clusterId: "c-lu5ter", voterId: version >= 1 ? 2 : -1,
            topics: [
                .init(partitions: [
                    .init(
                        candidateEpoch: 7, candidateId: 1,
                        candidateDirectoryId: version >= 1 ? CodecChecks.sampleTopicId : .zero,
                        voterDirectoryId: version >= 1
                            ? Uuid(mostSignificantBits: 3, leastSignificantBits: 4) : .zero,
                        lastOffsetEpoch: 6, lastOffset: 1_234, preVote: version >= 2)
                ])
            ])
    }

    static func response(version: Int16) -> VoteResponse {
        VoteResponse(
            errorCode: .none,
            topics: [
                .init(partitions: [
                    .init(leaderId: 3, leaderEpoch: 7, voteGranted: true),
                    .init(partitionIndex: 1, errorCode: .fencedLeaderEpoch),
                ])
            ],
            nodeEndpoints: version >= 1
                ? [
                    .init(nodeId: 3, host: "127.0.0.1", port: 9_093),
                    .init(nodeId: 4, host: "localhost", port: 65_535),
                ] : [])
    }

    @Test("every version round-trips request and response", arguments: VoteRequest.versions)
    func roundTrip(version: Int16) throws {
        try CodecChecks.expectRoundTrip(Self.request(version: version), version: version)
        try CodecChecks.expectRoundTrip(Self.response(version: version), version: version)
        try CodecChecks.expectRoundTrip(VoteRequest(), version: version)
        try CodecChecks.expectRoundTrip(VoteResponse(), version: version)
    }

    @Test("every truncation throws a DecodeError", arguments: VoteRequest.versions)
    func truncations(version: Int16) {
        CodecChecks.expectEveryTruncationThrows(Self.request(version: version), version: version)
        CodecChecks.expectEveryTruncationThrows(Self.response(version: version), version: version)
    }

    @Test("v2 request bytes built from the schema decode and re-encode exactly")
    func fixtureV2Request() throws {
        let bytes: [UInt8] =
            [0x02, 0x63]  // cluster_id "c"
            + [0x00, 0x00, 0x00, 0x02]  // voter_id 2
            + [0x02]  // topics: compact count 1
            + [0x13] + Array("__cluster_metadata".utf8)  // topic_name (18 bytes)
            + [0x02]  // partitions: compact count 1
            + [0x00, 0x00, 0x00, 0x00]  // partition_index 0
            + [0x00, 0x00, 0x00, 0x05]  // candidate_epoch 5
            + [0x00, 0x00, 0x00, 0x01]  // candidate_id 1
            + CodecChecks.sampleTopicIdBytes  // candidate_directory_id
            + [UInt8](repeating: 0, count: 15) + [0x09]  // voter_directory_id (0, 9)
            + [0x00, 0x00, 0x00, 0x04]  // last_offset_epoch 4
            + [0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x2A]  // last_offset 42
            + [0x01]  // pre_vote true
            + [0x00]  // partition tagged fields
            + [0x00]  // topic tagged fields
            + [0x00]  // tagged fields
        let expected = VoteRequest(
            clusterId: "c", voterId: 2,
            topics: [
                .init(partitions: [
                    .init(
                        candidateEpoch: 5, candidateId: 1,
                        candidateDirectoryId: CodecChecks.sampleTopicId,
                        voterDirectoryId: Uuid(mostSignificantBits: 0, leastSignificantBits: 9),
                        lastOffsetEpoch: 4, lastOffset: 42, preVote: true)
                ])
            ])
        #expect(try CodecChecks.decode(VoteRequest.self, bytes, version: 2) == expected)
        #expect(CodecChecks.encode(expected, version: 2) == bytes)
    }

    @Test("v0 request bytes: a null cluster_id and no v1 fields")
    func fixtureV0Request() throws {
        let bytes: [UInt8] =
            [0x00]  // cluster_id: null
            + [0x02, 0x02, 0x74]  // topics: count 1, topic_name "t"
            + [0x02]  // partitions: count 1
            + [0x00, 0x00, 0x00, 0x00]  // partition_index 0
            + [0x00, 0x00, 0x00, 0x01]  // candidate_epoch 1
            + [0x00, 0x00, 0x00, 0x03]  // candidate_id 3
            + [0xFF, 0xFF, 0xFF, 0xFF]  // last_offset_epoch -1
            + [0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00]  // last_offset 0
            + [0x00, 0x00, 0x00]  // partition, topic and top-level tagged fields
        let expected = VoteRequest(topics: [
            .init(
                topicName: "t",
                partitions: [
                    .init(candidateEpoch: 1, candidateId: 3, lastOffsetEpoch: -1, lastOffset: 0)
                ])
        ])
        #expect(try CodecChecks.decode(VoteRequest.self, bytes, version: 0) == expected)
        #expect(CodecChecks.encode(expected, version: 0) == bytes)
    }

    @Test("v1 response bytes with the tagged node_endpoints decode and re-encode exactly")
    func fixtureV1Response() throws {
        let bytes: [UInt8] =
            [0x00, 0x00]  // error_code NONE
            + [0x02, 0x02, 0x74]  // topics: count 1, topic_name "t"
            + [0x02]  // partitions: count 1
            + [0x00, 0x00, 0x00, 0x00]  // partition_index 0
            + [0x00, 0x00]  // error_code NONE
            + [0x00, 0x00, 0x00, 0x03]  // leader_id 3
            + [0x00, 0x00, 0x00, 0x07]  // leader_epoch 7
            + [0x01]  // vote_granted true
            + [0x00, 0x00]  // partition and topic tagged fields
            + [0x01, 0x00, 0x0A]  // tagged: 1 field, tag 0 (node_endpoints), size 10
            + [0x02]  //   compact count 1
            + [0x00, 0x00, 0x00, 0x03]  //   node_id 3
            + [0x02, 0x68]  //   host "h"
            + [0x23, 0x85]  //   port 9093 as uint16
            + [0x00]  //   endpoint tagged fields
        let expected = VoteResponse(
            topics: [
                .init(
                    topicName: "t",
                    partitions: [.init(leaderId: 3, leaderEpoch: 7, voteGranted: true)])
            ], nodeEndpoints: [.init(nodeId: 3, host: "h", port: 9_093)])
        #expect(try CodecChecks.decode(VoteResponse.self, bytes, version: 1) == expected)
        #expect(CodecChecks.encode(expected, version: 1) == bytes)
    }

    @Test("v0 has no node_endpoints: tag 0 is skipped there, and never written")
    func nodeEndpointsOnlyFromV1() throws {
        let withTag: [UInt8] = [0x00, 0x00, 0x01] + [0x01, 0x00, 0x02, 0x01, 0x00]
        #expect(try CodecChecks.decode(VoteResponse.self, withTag, version: 0) == VoteResponse())
        let endpoints = VoteResponse(nodeEndpoints: [.init(nodeId: 1, host: "h", port: 1)])
        #expect(CodecChecks.encode(endpoints, version: 0) == [0x00, 0x00, 0x01, 0x00])
    }

    @Test("unknown tagged fields are skipped at every level")
    func unknownTagsSkipped() throws {
        let bytes: [UInt8] =
            [0x00]  // cluster_id: null
            + [0x02, 0x02, 0x74, 0x02]  // one topic "t", one partition
            + [0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 3, 0xFF, 0xFF, 0xFF, 0xFF, 0, 0, 0, 0, 0, 0, 0, 0]
            + [0x01, 0x05, 0x02, 0xAB, 0xCD]  // partition: unknown tag 5, 2 bytes
            + [0x00]  // topic tagged fields
            + [0x01, 0x09, 0x00]  // top level: unknown tag 9, empty
        let decoded = try CodecChecks.decode(VoteRequest.self, bytes, version: 0)
        #expect(decoded.topics.first?.partitions.first?.candidateId == 3)
    }

    @Test("a forged topic count of 0x7fffffff throws without allocating") func hugeCount() {
        #expect(throws: DecodeError.self) {
            _ = try CodecChecks.decode(
                VoteResponse.self, [0x00, 0x00, 0x80, 0x80, 0x80, 0x80, 0x08, 0x00], version: 1)
        }
    }

    @Test("seeded random bytes never trap") func randomBytes() {
        CodecChecks.feedRandomBytes(VoteRequest.self)
    }
}
