// Protocol tests: EndQuorumEpoch (key 54). Goal: both versions round-trip (v0 plain with
// preferred_successors, v1 flexible with preferred_candidates), bytes written out by hand from
// the JSON schemas decode and re-encode exactly, and broken bytes only ever throw.

import NIOCore
import Testing

@testable import Cluster

@Suite struct EndQuorumEpochTests {
    static let candidates: [EndQuorumEpochRequest.ReplicaInfo] = [
        .init(candidateId: 2, candidateDirectoryId: CodecChecks.sampleTopicId),
        .init(candidateId: 3),
    ]

    static func request(version: Int16) -> EndQuorumEpochRequest {
        EndQuorumEpochRequest(
            clusterId: "c-lu5ter",
            topics: [
                .init(partitions: [
                    .init(
                        leaderId: 1, leaderEpoch: 8,
                        preferredSuccessors: version == 0 ? [2, 3] : [],
                        preferredCandidates: version >= 1 ? candidates : [])
                ])
            ],
            leaderEndpoints: version >= 1
                ? [.init(name: "CONTROLLER", host: "127.0.0.1", port: 9_093)] : [])
    }

    static func response(version: Int16) -> EndQuorumEpochResponse {
        EndQuorumEpochResponse(
            topics: [.init(partitions: [.init(leaderId: -1, leaderEpoch: 8)])],
            nodeEndpoints: version >= 1 ? [.init(nodeId: 2, host: "127.0.0.1", port: 9_094)] : [])
    }

    @Test(
        "every version round-trips request and response", arguments: EndQuorumEpochRequest.versions)
    func roundTrip(version: Int16) throws {
        try CodecChecks.expectRoundTrip(Self.request(version: version), version: version)
        try CodecChecks.expectRoundTrip(Self.response(version: version), version: version)
        try CodecChecks.expectRoundTrip(EndQuorumEpochRequest(), version: version)
        try CodecChecks.expectRoundTrip(EndQuorumEpochResponse(), version: version)
    }

    @Test("every truncation throws a DecodeError", arguments: EndQuorumEpochRequest.versions)
    func truncations(version: Int16) {
        CodecChecks.expectEveryTruncationThrows(Self.request(version: version), version: version)
        CodecChecks.expectEveryTruncationThrows(Self.response(version: version), version: version)
    }

    @Test("v0 request bytes carry preferred_successors as a plain int32 array")
    func fixtureV0Request() throws {
        let bytes: [UInt8] =
            [0x00, 0x01, 0x63]  // cluster_id "c" (int16 length)
            + [0x00, 0x00, 0x00, 0x01, 0x00, 0x01, 0x74]  // topics: count 1, topic_name "t"
            + [0x00, 0x00, 0x00, 0x01]  // partitions: count 1
            + [0x00, 0x00, 0x00, 0x00]  // partition_index 0
            + [0x00, 0x00, 0x00, 0x01]  // leader_id 1
            + [0x00, 0x00, 0x00, 0x08]  // leader_epoch 8
            + [0x00, 0x00, 0x00, 0x02]  // preferred_successors: count 2
            + [0x00, 0x00, 0x00, 0x03, 0x00, 0x00, 0x00, 0x02]  //   3, 2
        let expected = EndQuorumEpochRequest(
            clusterId: "c",
            topics: [
                .init(
                    topicName: "t",
                    partitions: [.init(leaderId: 1, leaderEpoch: 8, preferredSuccessors: [3, 2])])
            ])
        #expect(try CodecChecks.decode(EndQuorumEpochRequest.self, bytes, version: 0) == expected)
        #expect(CodecChecks.encode(expected, version: 0) == bytes)
    }

    @Test("v1 request bytes carry preferred_candidates and leader_endpoints")
    func fixtureV1Request() throws {
        let bytes: [UInt8] =
            [0x00]  // cluster_id: null
            + [0x02, 0x02, 0x74]  // topics: compact count 1, topic_name "t"
            + [0x02]  // partitions: compact count 1
            + [0x00, 0x00, 0x00, 0x00]  // partition_index 0
            + [0x00, 0x00, 0x00, 0x01]  // leader_id 1
            + [0x00, 0x00, 0x00, 0x08]  // leader_epoch 8
            + [0x02]  // preferred_candidates: compact count 1
            + [0x00, 0x00, 0x00, 0x03]  //   candidate_id 3
            + CodecChecks.sampleTopicIdBytes  //   candidate_directory_id
            + [0x00]  //   candidate tagged fields
            + [0x00, 0x00]  // partition and topic tagged fields
            + [0x02, 0x02, 0x43, 0x02, 0x68, 0x23, 0x85, 0x00]  // leader_endpoints: "C" h:9093
            + [0x00]  // tagged fields
        let expected = EndQuorumEpochRequest(
            topics: [
                .init(
                    topicName: "t",
                    partitions: [
                        .init(
                            leaderId: 1, leaderEpoch: 8,
                            preferredCandidates: [
                                .init(
                                    candidateId: 3, candidateDirectoryId: CodecChecks.sampleTopicId)
                            ])
                    ])
            ], leaderEndpoints: [.init(name: "C", host: "h", port: 9_093)])
        #expect(try CodecChecks.decode(EndQuorumEpochRequest.self, bytes, version: 1) == expected)
        #expect(CodecChecks.encode(expected, version: 1) == bytes)
    }

    @Test("v1 response bytes with the tagged node_endpoints decode and re-encode exactly")
    func fixtureV1Response() throws {
        let bytes: [UInt8] =
            [0x00, 0x00]  // error_code NONE
            + [0x02, 0x02, 0x74, 0x02]  // one topic "t", one partition
            + [0x00, 0x00, 0x00, 0x00, 0x00, 0x00]  // partition_index 0, error_code NONE
            + [0xFF, 0xFF, 0xFF, 0xFF]  // leader_id -1
            + [0x00, 0x00, 0x00, 0x09]  // leader_epoch 9
            + [0x00, 0x00]  // partition and topic tagged fields
            + [0x01, 0x00, 0x0A]  // tagged: 1 field, tag 0 (node_endpoints), size 10
            + [0x02, 0x00, 0x00, 0x00, 0x02, 0x02, 0x68, 0x23, 0x86, 0x00]  // node 2, h:9094
        let expected = EndQuorumEpochResponse(
            topics: [.init(topicName: "t", partitions: [.init(leaderEpoch: 9)])],
            nodeEndpoints: [.init(nodeId: 2, host: "h", port: 9_094)])
        #expect(try CodecChecks.decode(EndQuorumEpochResponse.self, bytes, version: 1) == expected)
        #expect(CodecChecks.encode(expected, version: 1) == bytes)
    }

    @Test("seeded random bytes never trap") func randomBytes() {
        CodecChecks.feedRandomBytes(EndQuorumEpochRequest.self)
    }
}
