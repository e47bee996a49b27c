// Protocol tests: ListOffsets (key 2). Goal: every version 1-9 round-trips, hand-built bytes
// from the JSON schema decode and re-encode exactly, and broken bytes only ever throw.

import NIOCore
import Testing

@testable import Cluster

@Suite struct ListOffsetsTests {
    static func request(version: Int16) -> ListOffsetsRequest {
        ListOffsetsRequest(
            replicaId: -1, isolationLevel: version >= 2 ? 1 : 0,
            topics: [
                .init(
                    name: "orders",
                    partitions: [
                        .init(
                            partitionIndex: 0, currentLeaderEpoch: version >= 4 ? 3 : -1,
                            timestamp: ListOffsetsRequest.earliestTimestamp),
                        .init(partitionIndex: 1, timestamp: ListOffsetsRequest.latestTimestamp),
                        .init(
                            partitionIndex: 2,
                            timestamp: version >= 7
                                ? ListOffsetsRequest.maxTimestamp : 1_700_000_000_000),
                    ])
            ])
    }

    static func response(version: Int16) -> ListOffsetsResponse {
        ListOffsetsResponse(
            throttleTimeMs: version >= 2 ? 4 : 0,
            topics: [
                .init(
                    name: "orders",
                    partitions: [
                        .init(
                            partitionIndex: 0, timestamp: -1, offset: 0,
                            leaderEpoch: version >= 4 ? 3 : -1),
                        .init(partitionIndex: 1, errorCode: .notLeaderOrFollower),
                    ])
            ])
    }

    @Test("every version round-trips request and response", arguments: ListOffsetsRequest.versions)
    func roundTrip(version: Int16) throws {
        try CodecChecks.expectRoundTrip(Self.request(version: version), version: version)
        try CodecChecks.expectRoundTrip(Self.response(version: version), version: version)
        try CodecChecks.expectRoundTrip(ListOffsetsRequest(), version: version)
        try CodecChecks.expectRoundTrip(ListOffsetsResponse(), version: version)
    }

    @Test("every truncation throws a DecodeError", arguments: ListOffsetsRequest.versions)
    func truncations(version: Int16) {
        CodecChecks.expectEveryTruncationThrows(Self.request(version: version), version: version)
        CodecChecks.expectEveryTruncationThrows(Self.response(version: version), version: version)
    }

    @Test("v1 request bytes built from the schema decode and re-encode exactly")
    func fixtureV1Request() throws {
        let bytes: [UInt8] =
            [0xFF, 0xFF, 0xFF, 0xFF]  // replica_id -1
            + [0x00, 0x00, 0x00, 0x01]  // topics: count 1
            + [0x00, 0x01, 0x74]  // name "t"
            + [0x00, 0x00, 0x00, 0x01]  // partitions: count 1
            + [0x00, 0x00, 0x00, 0x00]  // partition_index 0
            + [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFE]  // timestamp -2 (earliest)
        let expected = ListOffsetsRequest(topics: [
            .init(
                name: "t",
                partitions: [
                    .init(partitionIndex: 0, timestamp: ListOffsetsRequest.earliestTimestamp)
                ])
        ])
        #expect(try CodecChecks.decode(ListOffsetsRequest.self, bytes, version: 1) == expected)
        #expect(CodecChecks.encode(expected, version: 1) == bytes)
    }

    @Test("v7 request bytes built from the schema decode and re-encode exactly")
    func fixtureV7Request() throws {
        let bytes: [UInt8] =
            [0xFF, 0xFF, 0xFF, 0xFF]  // replica_id -1
            + [0x01]  // isolation_level READ_COMMITTED
            + [0x02]  // topics: compact count 1
            + [0x02, 0x74]  // name "t"
            + [0x02]  // partitions: compact count 1
            + [0x00, 0x00, 0x00, 0x02]  // partition_index 2
            + [0x00, 0x00, 0x00, 0x05]  // current_leader_epoch 5
            + [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFD]  // timestamp -3 (max timestamp)
            + [0x00]  // partition tagged fields
            + [0x00]  // topic tagged fields
            + [0x00]  // tagged fields
        let expected = ListOffsetsRequest(
            isolationLevel: 1,
            topics: [
                .init(
                    name: "t",
                    partitions: [
                        .init(
                            partitionIndex: 2, currentLeaderEpoch: 5,
                            timestamp: ListOffsetsRequest.maxTimestamp)
                    ])
            ])
        #expect(try CodecChecks.decode(ListOffsetsRequest.self, bytes, version: 7) == expected)
        #expect(CodecChecks.encode(expected, version: 7) == bytes)
    }

    @Test("v6 response bytes built from the schema decode and re-encode exactly")
    func fixtureV6Response() throws {
        let bytes: [UInt8] =
            [0x00, 0x00, 0x00, 0x00]  // throttle_time_ms 0
            + [0x02]  // topics: compact count 1
            + [0x02, 0x74]  // name "t"
            + [0x02]  // partitions: compact count 1
            + [0x00, 0x00, 0x00, 0x00]  // partition_index 0
            + [0x00, 0x00]  // error_code NONE
            + [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF]  // timestamp -1
            + [0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x2A]  // offset 42
            + [0x00, 0x00, 0x00, 0x01]  // leader_epoch 1
            + [0x00]  // partition tagged fields
            + [0x00]  // topic tagged fields
            + [0x00]  // tagged fields
        let expected = ListOffsetsResponse(topics: [
            .init(name: "t", partitions: [.init(partitionIndex: 0, offset: 42, leaderEpoch: 1)])
        ])
        #expect(try CodecChecks.decode(ListOffsetsResponse.self, bytes, version: 6) == expected)
        #expect(CodecChecks.encode(expected, version: 6) == bytes)
    }

    @Test("a forged topic count of 0x7fffffff throws without allocating") func hugeCount() {
        #expect(throws: DecodeError.self) {
            _ = try CodecChecks.decode(
                ListOffsetsRequest.self, [0xFF, 0xFF, 0xFF, 0xFF, 0x7F, 0xFF, 0xFF, 0xFF],
                version: 1)
        }
        #expect(throws: DecodeError.self) {
            _ = try CodecChecks.decode(
                ListOffsetsRequest.self,
                [0xFF, 0xFF, 0xFF, 0xFF, 0x00, 0x80, 0x80, 0x80, 0x80, 0x08, 0x00], version: 6)
        }
    }

    @Test("seeded random bytes never trap") func randomBytes() {
        CodecChecks.feedRandomBytes(ListOffsetsRequest.self)
    }
}
