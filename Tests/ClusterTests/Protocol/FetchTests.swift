// Protocol tests: Fetch (key 1). Goal: every version 4-16 round-trips with records carried as
// untouched bytes, hand-built bytes from the JSON schema decode and re-encode exactly
// (sessions, topic ids, replica_state and the response tags), and broken bytes only throw.

import NIOCore
import Testing

@testable import Cluster

@Suite struct FetchTests {
    static let records = ByteBuffer(bytes: [
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x2A, 0xFF, 0x10,
    ])

    static func request(version: Int16) -> FetchRequest {
        let byId = version >= 13
        return FetchRequest(
            clusterId: version >= 12 ? "c-lu5ter" : nil, replicaId: 2,
            replicaEpoch: version >= 15 ? 11 : -1, maxWaitMs: 250, minBytes: 16, maxBytes: 1 << 20,
            isolationLevel: 1, sessionId: version >= 7 ? 77 : 0,
            sessionEpoch: version >= 7 ? 3 : -1,
            topics: [
                .init(
                    topic: byId ? "" : "orders", topicId: byId ? CodecChecks.sampleTopicId : .zero,
                    partitions: [
                        .init(
                            partition: 0, currentLeaderEpoch: version >= 9 ? 5 : -1,
                            fetchOffset: 100, lastFetchedEpoch: version >= 12 ? 4 : -1,
                            logStartOffset: version >= 5 ? 10 : -1, partitionMaxBytes: 65_536),
                        .init(partition: 1, fetchOffset: 0),
                    ])
            ],
            forgottenTopicsData: version >= 7
                ? [
                    .init(
                        topic: byId ? "" : "old",
                        topicId: byId
                            ? Uuid(mostSignificantBits: 1, leastSignificantBits: 2) : .zero,
                        partitions: [0, 3])
                ] : [], rackId: version >= 11 ? "rack-a" : "")
    }

    static func response(version: Int16) -> FetchResponse {
        let byId = version >= 13
        let flexible = version >= 12
        return FetchResponse(
            throttleTimeMs: 12, errorCode: version >= 7 ? .invalidFetchSessionEpoch : .none,
            sessionId: version >= 7 ? 77 : 0,
            responses: [
                .init(
                    topic: byId ? "" : "orders", topicId: byId ? CodecChecks.sampleTopicId : .zero,
                    partitions: [
                        .init(
                            partitionIndex: 0, highWatermark: 110, lastStableOffset: 105,
                            logStartOffset: version >= 5 ? 10 : -1,
                            abortedTransactions: [.init(producerId: 9, firstOffset: 101)],
                            preferredReadReplica: version >= 11 ? 3 : -1, records: records),
                        .init(
                            partitionIndex: 1, errorCode: .notLeaderOrFollower,
                            divergingEpoch: flexible ? .init(epoch: 3, endOffset: 50) : .init(),
                            currentLeader: flexible ? .init(leaderId: 2, leaderEpoch: 6) : .init(),
                            snapshotId: flexible ? .init(endOffset: 40, epoch: 2) : .init(),
                            records: nil),
                    ])
            ], nodeEndpoints: version >= 16 ? [.init(nodeId: 2, host: "127.0.0.1", port: 9093)] : []
        )
    }

    @Test("every version round-trips request and response", arguments: FetchRequest.versions)
    func roundTrip(version: Int16) throws {
        try CodecChecks.expectRoundTrip(Self.request(version: version), version: version)
        try CodecChecks.expectRoundTrip(Self.response(version: version), version: version)
        try CodecChecks.expectRoundTrip(FetchRequest(), version: version)
        try CodecChecks.expectRoundTrip(FetchResponse(), version: version)
    }

    @Test("every truncation throws a DecodeError", arguments: FetchRequest.versions)
    func truncations(version: Int16) {
        CodecChecks.expectEveryTruncationThrows(Self.request(version: version), version: version)
        CodecChecks.expectEveryTruncationThrows(Self.response(version: version), version: version)
    }

    @Test("v4 request bytes built from the schema decode and re-encode exactly")
    func fixtureV4Request() throws {
        let bytes: [UInt8] =
            [0xFF, 0xFF, 0xFF, 0xFF]  // replica_id -1 (a consumer)
            + [0x00, 0x00, 0x01, 0xF4]  // max_wait_ms 500
            + [0x00, 0x00, 0x00, 0x01]  // min_bytes 1
            + [0x7F, 0xFF, 0xFF, 0xFF]  // max_bytes 0x7fffffff
            + [0x01]  // isolation_level READ_COMMITTED
            + [0x00, 0x00, 0x00, 0x01]  // topics: count 1
            + [0x00, 0x01, 0x74]  // topic "t"
            + [0x00, 0x00, 0x00, 0x01]  // partitions: count 1
            + [0x00, 0x00, 0x00, 0x00]  // partition 0
            + [0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x0A]  // fetch_offset 10
            + [0x00, 0x10, 0x00, 0x00]  // partition_max_bytes 1 MiB
        let expected = FetchRequest(
            isolationLevel: 1,
            topics: [.init(topic: "t", partitions: [.init(partition: 0, fetchOffset: 10)])])
        #expect(try CodecChecks.decode(FetchRequest.self, bytes, version: 4) == expected)
        #expect(CodecChecks.encode(expected, version: 4) == bytes)
    }

    @Test("v15 request bytes with cluster_id and replica_state tags decode and re-encode exactly")
    func fixtureV15Request() throws {
        let bytes: [UInt8] =
            [0x00, 0x00, 0x01, 0xF4]  // max_wait_ms 500 (no replica_id from v15)
            + [0x00, 0x00, 0x00, 0x01]  // min_bytes 1
            + [0x7F, 0xFF, 0xFF, 0xFF]  // max_bytes
            + [0x00]  // isolation_level READ_UNCOMMITTED
            + [0x00, 0x00, 0x00, 0x00]  // session_id 0
            + [0xFF, 0xFF, 0xFF, 0xFF]  // session_epoch -1
            + [0x02]  // topics: compact count 1
            + CodecChecks.sampleTopicIdBytes  // topic_id
            + [0x02]  // partitions: compact count 1
            + [0x00, 0x00, 0x00, 0x00]  // partition 0
            + [0x00, 0x00, 0x00, 0x03]  // current_leader_epoch 3
            + [0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x0A]  // fetch_offset 10
            + [0x00, 0x00, 0x00, 0x02]  // last_fetched_epoch 2
            + [0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00]  // log_start_offset 0
            + [0x00, 0x10, 0x00, 0x00]  // partition_max_bytes 1 MiB
            + [0x00]  // partition tagged fields
            + [0x00]  // topic tagged fields
            + [0x01]  // forgotten_topics_data: compact count 0
            + [0x01]  // rack_id: ""
            + [0x02]  // tagged: 2 fields
            + [0x00, 0x02, 0x02, 0x63]  //   tag 0 (cluster_id), size 2, "c"
            + [0x01, 0x0D]  //   tag 1 (replica_state), size 13
            + [0x00, 0x00, 0x00, 0x01]  //     replica_id 1
            + [0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x05]  //     replica_epoch 5
            + [0x00]  //     no tags
        let expected = FetchRequest(
            clusterId: "c", replicaId: 1, replicaEpoch: 5,
            topics: [
                .init(
                    topicId: CodecChecks.sampleTopicId,
                    partitions: [
                        .init(
                            partition: 0, currentLeaderEpoch: 3, fetchOffset: 10,
                            lastFetchedEpoch: 2, logStartOffset: 0)
                    ])
            ])
        #expect(try CodecChecks.decode(FetchRequest.self, bytes, version: 15) == expected)
        #expect(CodecChecks.encode(expected, version: 15) == bytes)
    }

    @Test("v11 response bytes built from the schema decode and re-encode exactly")
    func fixtureV11Response() throws {
        let bytes: [UInt8] =
            [0x00, 0x00, 0x00, 0x00]  // throttle_time_ms 0
            + [0x00, 0x00]  // error_code NONE
            + [0x00, 0x00, 0x00, 0x00]  // session_id 0
            + [0x00, 0x00, 0x00, 0x01]  // responses: count 1
            + [0x00, 0x01, 0x74]  // topic "t"
            + [0x00, 0x00, 0x00, 0x01]  // partitions: count 1
            + [0x00, 0x00, 0x00, 0x00]  // partition_index 0
            + [0x00, 0x00]  // error_code NONE
            + [0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x0A]  // high_watermark 10
            + [0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x0A]  // last_stable_offset 10
            + [0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00]  // log_start_offset 0
            + [0xFF, 0xFF, 0xFF, 0xFF]  // aborted_transactions: null
            + [0xFF, 0xFF, 0xFF, 0xFF]  // preferred_read_replica -1
            + [0x00, 0x00, 0x00, 0x03, 0xDE, 0xAD, 0xBE]  // records: int32 length 3, raw bytes
        let expected = FetchResponse(responses: [
            .init(
                topic: "t",
                partitions: [
                    .init(
                        partitionIndex: 0, highWatermark: 10, lastStableOffset: 10,
                        logStartOffset: 0, records: ByteBuffer(bytes: [0xDE, 0xAD, 0xBE]))
                ])
        ])
        #expect(try CodecChecks.decode(FetchResponse.self, bytes, version: 11) == expected)
        #expect(CodecChecks.encode(expected, version: 11) == bytes)
    }

    @Test("v16 response bytes with partition and top-level tags decode and re-encode exactly")
    func fixtureV16Response() throws {
        let bytes: [UInt8] =
            [0x00, 0x00, 0x00, 0x00]  // throttle_time_ms 0
            + [0x00, 0x00]  // error_code NONE
            + [0x00, 0x00, 0x00, 0x07]  // session_id 7
            + [0x02]  // responses: compact count 1
            + CodecChecks.sampleTopicIdBytes  // topic_id
            + [0x02]  // partitions: compact count 1
            + [0x00, 0x00, 0x00, 0x00]  // partition_index 0
            + [0x00, 0x06]  // error_code NOT_LEADER_OR_FOLLOWER
            + [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF]  // high_watermark -1
            + [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF]  // last_stable_offset -1
            + [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF]  // log_start_offset -1
            + [0x00]  // aborted_transactions: null
            + [0xFF, 0xFF, 0xFF, 0xFF]  // preferred_read_replica -1
            + [0x01]  // records: compact length 0 (empty, not null)
            + [0x01, 0x01, 0x09]  // tagged: 1 field, tag 1 (current_leader), size 9
            + [0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00, 0x04]  //   leader_id 2, leader_epoch 4
            + [0x00]  //   no tags
            + [0x00]  // topic tagged fields
            + [0x01, 0x00, 0x0D]  // tagged: 1 field, tag 0 (node_endpoints), size 13
            + [0x02, 0x00, 0x00, 0x00, 0x02]  //   compact count 1, node_id 2
            + [0x02, 0x68, 0x00, 0x00, 0x23, 0x85]  //   host "h", port 9093
            + [0x00, 0x00]  //   rack null, no tags
        let expected = FetchResponse(
            sessionId: 7,
            responses: [
                .init(
                    topicId: CodecChecks.sampleTopicId,
                    partitions: [
                        .init(
                            partitionIndex: 0, errorCode: .notLeaderOrFollower,
                            currentLeader: .init(leaderId: 2, leaderEpoch: 4))
                    ])
            ], nodeEndpoints: [.init(nodeId: 2, host: "h", port: 9093)])
        #expect(try CodecChecks.decode(FetchResponse.self, bytes, version: 16) == expected)
        #expect(CodecChecks.encode(expected, version: 16) == bytes)
    }

    // MARK: - KRaft followers fetching __cluster_metadata-0

    static let metadataTopicIdBytes: [UInt8] = [UInt8](repeating: 0, count: 15) + [0x01]

    @Test("a KRaft follower's v16 fetch of __cluster_metadata-0 decodes and re-encodes exactly")
    func fixtureMetadataFetchRequest() throws {
        let bytes: [UInt8] =
            [0x00, 0x00, 0x01, 0xF4]  // max_wait_ms 500
            + [0x00, 0x00, 0x00, 0x01]  // min_bytes 1
            + [0x7F, 0xFF, 0xFF, 0xFF]  // max_bytes
            + [0x00]  // isolation_level READ_UNCOMMITTED
            + [0x00, 0x00, 0x00, 0x00]  // session_id 0
            + [0xFF, 0xFF, 0xFF, 0xFF]  // session_epoch -1
            + [0x02]  // topics: compact count 1
            + Self.metadataTopicIdBytes  // topic_id: Uuid.METADATA_TOPIC_ID
            + [0x02]  // partitions: compact count 1
            + [0x00, 0x00, 0x00, 0x00]  // partition 0
            + [0x00, 0x00, 0x00, 0x05]  // current_leader_epoch 5 (the quorum epoch)
            + [0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x78]  // fetch_offset 120
            + [0x00, 0x00, 0x00, 0x04]  // last_fetched_epoch 4
            + [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF]  // log_start_offset -1
            + [0x00, 0x10, 0x00, 0x00]  // partition_max_bytes 1 MiB
            + [0x00, 0x00]  // partition and topic tagged fields
            + [0x01]  // forgotten_topics_data: compact count 0
            + [0x01]  // rack_id: ""
            + [0x02]  // tagged: 2 fields
            + [0x00, 0x02, 0x02, 0x63]  //   tag 0 (cluster_id), size 2, "c"
            + [0x01, 0x0D]  //   tag 1 (replica_state), size 13
            + [0x00, 0x00, 0x00, 0x02]  //     replica_id 2
            + [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF]  //     replica_epoch -1
            + [0x00]  //     no tags
        let expected = FetchRequest(
            clusterId: "c", replicaId: 2,
            topics: [
                .init(
                    topicId: MetadataTopic.topicId,
                    partitions: [
                        .init(
                            partition: MetadataTopic.partition, currentLeaderEpoch: 5,
                            fetchOffset: 120, lastFetchedEpoch: 4)
                    ])
            ])
        #expect(try CodecChecks.decode(FetchRequest.self, bytes, version: 16) == expected)
        #expect(CodecChecks.encode(expected, version: 16) == bytes)
    }

    @Test("a v16 metadata fetch response with high watermark, all three partition tags and records")
    func fixtureMetadataFetchResponse() throws {
        let bytes: [UInt8] =
            [0x00, 0x00, 0x00, 0x00]  // throttle_time_ms 0
            + [0x00, 0x00]  // error_code NONE
            + [0x00, 0x00, 0x00, 0x00]  // session_id 0
            + [0x02]  // responses: compact count 1
            + Self.metadataTopicIdBytes  // topic_id: Uuid.METADATA_TOPIC_ID
            + [0x02]  // partitions: compact count 1
            + [0x00, 0x00, 0x00, 0x00]  // partition_index 0
            + [0x00, 0x00]  // error_code NONE
            + [0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x64]  // high_watermark 100
            + [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF]  // last_stable_offset -1
            + [0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00]  // log_start_offset 0
            + [0x00]  // aborted_transactions: null
            + [0xFF, 0xFF, 0xFF, 0xFF]  // preferred_read_replica -1
            + [0x04, 0xDE, 0xAD, 0xBE]  // records: compact length 3, raw bytes
            + [0x03]  // tagged: 3 fields
            + [0x00, 0x0D]  //   tag 0 (diverging_epoch), size 13
            + [0x00, 0x00, 0x00, 0x03]  //     epoch 3
            + [0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x5A]  //     end_offset 90
            + [0x00]  //     no tags
            + [0x01, 0x09]  //   tag 1 (current_leader), size 9
            + [0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x05]  //     leader_id 1, leader_epoch 5
            + [0x00]  //     no tags
            + [0x02, 0x0D]  //   tag 2 (snapshot_id), size 13
            + [0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x50]  //     end_offset 80
            + [0x00, 0x00, 0x00, 0x02]  //     epoch 2
            + [0x00]  //     no tags
            + [0x00]  // topic tagged fields
            + [0x00]  // tagged fields
        let expected = FetchResponse(responses: [
            .init(
                topicId: MetadataTopic.topicId,
                partitions: [
                    .init(
                        partitionIndex: MetadataTopic.partition, highWatermark: 100,
                        logStartOffset: 0, divergingEpoch: .init(epoch: 3, endOffset: 90),
                        currentLeader: .init(leaderId: 1, leaderEpoch: 5),
                        snapshotId: .init(endOffset: 80, epoch: 2),
                        records: ByteBuffer(bytes: [0xDE, 0xAD, 0xBE]))
                ])
        ])
        for version: Int16 in 13...16 {
            #expect(try CodecChecks.decode(FetchResponse.self, bytes, version: version) == expected)
            #expect(CodecChecks.encode(expected, version: version) == bytes)
        }
    }

    @Test("unknown tags in a partition and inside replica_state are skipped")
    func unknownTagsSkipped() throws {
        var follower = CodecChecks.encode(
            FetchRequest(
                replicaId: 2, replicaEpoch: 9,
                topics: [
                    .init(
                        topicId: MetadataTopic.topicId,
                        partitions: [.init(partition: 0, fetchOffset: 7)])
                ]), version: 16)
        // The body ends with replica_state: size 13, replica_id, replica_epoch, no tags. Give it
        // an unknown inner tag 3 holding one byte, and grow the size to 16 to match.
        let sizeAt = follower.count - 14
        #expect(follower[sizeAt] == 0x0D)
        follower[sizeAt] = 0x10
        follower.removeLast()
        follower += [0x01, 0x03, 0x01, 0xEE]
        let decoded = try CodecChecks.decode(FetchRequest.self, follower, version: 16)
        #expect(decoded.replicaId == 2 && decoded.replicaEpoch == 9)
        #expect(decoded.topics.first?.partitions.first?.fetchOffset == 7)
    }

    @Test("a v14 request keeps replica_id in the body; v15 sends it only when set")
    func replicaIdByVersion() throws {
        let consumer = FetchRequest()
        let follower = FetchRequest(replicaId: 3)
        #expect(CodecChecks.encode(consumer, version: 14).prefix(4) == [0xFF, 0xFF, 0xFF, 0xFF])
        #expect(CodecChecks.encode(consumer, version: 15).last == 0x00)  // no tagged fields
        let decoded = try CodecChecks.decode(
            FetchRequest.self, CodecChecks.encode(follower, version: 15), version: 15)
        #expect(decoded.replicaId == 3)
    }

    @Test("a forged count of 0x7fffffff throws without allocating") func hugeCount() {
        let head: [UInt8] = [
            0xFF, 0xFF, 0xFF, 0xFF, 0, 0, 1, 0xF4, 0, 0, 0, 1, 0x7F, 0xFF, 0xFF, 0xFF, 0,
        ]
        #expect(throws: DecodeError.self) {
            _ = try CodecChecks.decode(
                FetchRequest.self, head + [0x7F, 0xFF, 0xFF, 0xFF, 0x00], version: 4)
        }
        #expect(throws: DecodeError.self) {
            _ = try CodecChecks.decode(
                FetchRequest.self,
                head + [0, 0, 0, 0, 0xFF, 0xFF, 0xFF, 0xFF, 0x80, 0x80, 0x80, 0x80, 0x08, 0x00],
                version: 12)
        }
    }

    @Test("seeded random bytes never trap") func randomBytes() {
        CodecChecks.feedRandomBytes(FetchRequest.self)
    }
}
