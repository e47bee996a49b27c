// Protocol tests: OffsetForLeaderEpoch (key 23). Goal: every version 0-4 round-trips, bytes
// hand-built from the JSON schema decode and re-encode exactly (one fixture per shape of the
// message: before and after current_leader_epoch, replica_id and flexible encoding), and broken
// bytes only ever throw.

import NIOCore
import Testing

@testable import Cluster

@Suite struct OffsetForLeaderEpochTests {
    /// A request using every field the version has; absent fields hold their schema defaults,
    /// which is what decoding yields for them.
    static func request(version: Int16) -> OffsetForLeaderEpochRequest {
        OffsetForLeaderEpochRequest(
            replicaId: version >= 3
                ? OffsetForLeaderEpochRequest.consumerReplicaId
                : OffsetForLeaderEpochRequest.debuggingReplicaId,
            topics: [
                .init(
                    topic: "orders",
                    partitions: [
                        .init(
                            partition: 0, currentLeaderEpoch: version >= 2 ? 7 : -1,
                            leaderEpoch: 6),
                        .init(partition: 1, leaderEpoch: 0),
                    ]),
                .init(topic: "payments", partitions: [.init(partition: 3, leaderEpoch: 2)]),
            ])
    }

    static func response(version: Int16) -> OffsetForLeaderEpochResponse {
        OffsetForLeaderEpochResponse(
            throttleTimeMs: version >= 2 ? 9 : 0,
            topics: [
                .init(
                    topic: "orders",
                    partitions: [
                        .init(partition: 0, leaderEpoch: version >= 1 ? 6 : -1, endOffset: 120),
                        .init(errorCode: .fencedLeaderEpoch, partition: 1),
                    ]),
                .init(
                    topic: "payments",
                    partitions: [.init(errorCode: .notLeaderOrFollower, partition: 3)]),
            ])
    }

    @Test(
        "every version round-trips request and response",
        arguments: OffsetForLeaderEpochRequest.versions)
    func roundTrip(version: Int16) throws {
        try CodecChecks.expectRoundTrip(Self.request(version: version), version: version)
        try CodecChecks.expectRoundTrip(Self.response(version: version), version: version)
        try CodecChecks.expectRoundTrip(OffsetForLeaderEpochRequest(), version: version)
        try CodecChecks.expectRoundTrip(OffsetForLeaderEpochResponse(), version: version)
    }

    @Test("every truncation throws a DecodeError", arguments: OffsetForLeaderEpochRequest.versions)
    func truncations(version: Int16) {
        CodecChecks.expectEveryTruncationThrows(Self.request(version: version), version: version)
        CodecChecks.expectEveryTruncationThrows(Self.response(version: version), version: version)
    }

    @Test("v0-2 carry no replica_id; it reads as -2, the schema's default")
    func replicaIdDefault() throws {
        let consumer = OffsetForLeaderEpochRequest(
            replicaId: OffsetForLeaderEpochRequest.consumerReplicaId,
            topics: [.init(topic: "t", partitions: [.init(partition: 0, leaderEpoch: 1)])])
        for version: Int16 in 0...2 {
            let bytes = CodecChecks.encode(consumer, version: version)
            let decoded = try CodecChecks.decode(
                OffsetForLeaderEpochRequest.self, bytes, version: version)
            #expect(decoded.replicaId == OffsetForLeaderEpochRequest.debuggingReplicaId)
        }
    }

    @Test("v2 request bytes built from the schema decode and re-encode exactly")
    func fixtureV2Request() throws {
        let bytes: [UInt8] =
            [0x00, 0x00, 0x00, 0x01]  // topics: count 1
            + [0x00, 0x01, 0x74]  // topic "t"
            + [0x00, 0x00, 0x00, 0x01]  // partitions: count 1
            + [0x00, 0x00, 0x00, 0x00]  // partition 0
            + [0x00, 0x00, 0x00, 0x05]  // current_leader_epoch 5
            + [0x00, 0x00, 0x00, 0x03]  // leader_epoch 3
        let expected = OffsetForLeaderEpochRequest(
            replicaId: OffsetForLeaderEpochRequest.debuggingReplicaId,
            topics: [
                .init(
                    topic: "t",
                    partitions: [.init(partition: 0, currentLeaderEpoch: 5, leaderEpoch: 3)])
            ])
        #expect(
            try CodecChecks.decode(OffsetForLeaderEpochRequest.self, bytes, version: 2) == expected)
        #expect(CodecChecks.encode(expected, version: 2) == bytes)
    }

    @Test("v3 request bytes built from the schema decode and re-encode exactly")
    func fixtureV3Request() throws {
        let bytes: [UInt8] =
            [0x00, 0x00, 0x00, 0x02]  // replica_id 2 (a follower)
            + [0x00, 0x00, 0x00, 0x01]  // topics: count 1
            + [0x00, 0x01, 0x74]  // topic "t"
            + [0x00, 0x00, 0x00, 0x01]  // partitions: count 1
            + [0x00, 0x00, 0x00, 0x04]  // partition 4
            + [0xFF, 0xFF, 0xFF, 0xFF]  // current_leader_epoch -1 (not sent)
            + [0x00, 0x00, 0x00, 0x00]  // leader_epoch 0
        let expected = OffsetForLeaderEpochRequest(
            replicaId: 2,
            topics: [.init(topic: "t", partitions: [.init(partition: 4, leaderEpoch: 0)])])
        #expect(
            try CodecChecks.decode(OffsetForLeaderEpochRequest.self, bytes, version: 3) == expected)
        #expect(CodecChecks.encode(expected, version: 3) == bytes)
    }

    @Test("v4 request bytes built from the schema decode and re-encode exactly")
    func fixtureV4Request() throws {
        let bytes: [UInt8] =
            [0xFF, 0xFF, 0xFF, 0xFF]  // replica_id -1 (a consumer)
            + [0x02]  // topics: compact count 1
            + [0x02, 0x74]  // topic "t"
            + [0x02]  // partitions: compact count 1
            + [0x00, 0x00, 0x00, 0x01]  // partition 1
            + [0x00, 0x00, 0x00, 0x05]  // current_leader_epoch 5
            + [0x00, 0x00, 0x00, 0x03]  // leader_epoch 3
            + [0x00]  // partition tagged fields
            + [0x00]  // topic tagged fields
            + [0x00]  // tagged fields
        let expected = OffsetForLeaderEpochRequest(
            replicaId: OffsetForLeaderEpochRequest.consumerReplicaId,
            topics: [
                .init(
                    topic: "t",
                    partitions: [.init(partition: 1, currentLeaderEpoch: 5, leaderEpoch: 3)])
            ])
        #expect(
            try CodecChecks.decode(OffsetForLeaderEpochRequest.self, bytes, version: 4) == expected)
        #expect(CodecChecks.encode(expected, version: 4) == bytes)
    }

    @Test("v0 response bytes (error code before partition, no leader_epoch) decode and re-encode")
    func fixtureV0Response() throws {
        let bytes: [UInt8] =
            [0x00, 0x00, 0x00, 0x01]  // topics: count 1
            + [0x00, 0x01, 0x74]  // topic "t"
            + [0x00, 0x00, 0x00, 0x01]  // partitions: count 1
            + [0x00, 0x00]  // error_code NONE
            + [0x00, 0x00, 0x00, 0x02]  // partition 2
            + [0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x2A]  // end_offset 42
        let expected = OffsetForLeaderEpochResponse(topics: [
            .init(topic: "t", partitions: [.init(partition: 2, endOffset: 42)])
        ])
        #expect(
            try CodecChecks.decode(OffsetForLeaderEpochResponse.self, bytes, version: 0) == expected
        )
        #expect(CodecChecks.encode(expected, version: 0) == bytes)
    }

    @Test("v4 response bytes built from the schema decode and re-encode exactly")
    func fixtureV4Response() throws {
        let bytes: [UInt8] =
            [0x00, 0x00, 0x00, 0x00]  // throttle_time_ms 0
            + [0x02]  // topics: compact count 1
            + [0x02, 0x74]  // topic "t"
            + [0x03]  // partitions: compact count 2
            + [0x00, 0x00]  // error_code NONE
            + [0x00, 0x00, 0x00, 0x00]  // partition 0
            + [0x00, 0x00, 0x00, 0x02]  // leader_epoch 2
            + [0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x2A]  // end_offset 42
            + [0x00]  // partition tagged fields
            + [0x00, 0x4A]  // error_code 74 FENCED_LEADER_EPOCH
            + [0x00, 0x00, 0x00, 0x01]  // partition 1
            + [0xFF, 0xFF, 0xFF, 0xFF]  // leader_epoch -1
            + [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF]  // end_offset -1
            + [0x00]  // partition tagged fields
            + [0x00]  // topic tagged fields
            + [0x00]  // tagged fields
        let expected = OffsetForLeaderEpochResponse(topics: [
            .init(
                topic: "t",
                partitions: [
                    .init(partition: 0, leaderEpoch: 2, endOffset: 42),
                    .init(errorCode: .fencedLeaderEpoch, partition: 1),
                ])
        ])
        #expect(
            try CodecChecks.decode(OffsetForLeaderEpochResponse.self, bytes, version: 4) == expected
        )
        #expect(CodecChecks.encode(expected, version: 4) == bytes)
    }

    @Test("a forged topic count of 0x7fffffff throws without allocating") func hugeCount() {
        #expect(throws: DecodeError.self) {
            _ = try CodecChecks.decode(
                OffsetForLeaderEpochRequest.self, [0x7F, 0xFF, 0xFF, 0xFF], version: 2)
        }
        #expect(throws: DecodeError.self) {
            _ = try CodecChecks.decode(
                OffsetForLeaderEpochRequest.self,
                [0xFF, 0xFF, 0xFF, 0xFF, 0x80, 0x80, 0x80, 0x80, 0x08, 0x00], version: 4)
        }
    }

    @Test("seeded random bytes never trap") func randomBytes() {
        CodecChecks.feedRandomBytes(OffsetForLeaderEpochRequest.self)
    }
}
