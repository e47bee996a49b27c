// Protocol tests: DeleteRecords (key 21). Goal: every version 0-2 round-trips, hand-built
// bytes from the JSON schema decode and re-encode exactly, and broken bytes only ever throw.

import NIOCore
import Testing

@testable import Cluster

@Suite struct DeleteRecordsTests {
    static let request = DeleteRecordsRequest(
        topics: [
            .init(
                name: "orders",
                partitions: [
                    .init(partitionIndex: 0, offset: 100),
                    .init(partitionIndex: 1, offset: DeleteRecordsRequest.highWatermark),
                ]),
            .init(name: "empty"),
        ], timeoutMs: 5_000)

    static let response = DeleteRecordsResponse(
        throttleTimeMs: 4,
        topics: [
            .init(
                name: "orders",
                partitions: [
                    .init(partitionIndex: 0, lowWatermark: 100),
                    .init(partitionIndex: 1, lowWatermark: Int64.max),
                    .init(partitionIndex: 2, errorCode: .offsetOutOfRange),
                ]),
            .init(
                name: "gone",
                partitions: [.init(partitionIndex: 0, errorCode: .unknownTopicOrPartition)]),
        ])

    @Test(
        "every version round-trips request and response", arguments: DeleteRecordsRequest.versions)
    func roundTrip(version: Int16) throws {
        try CodecChecks.expectRoundTrip(Self.request, version: version)
        try CodecChecks.expectRoundTrip(Self.response, version: version)
        try CodecChecks.expectRoundTrip(DeleteRecordsRequest(), version: version)
        try CodecChecks.expectRoundTrip(DeleteRecordsResponse(), version: version)
    }

    @Test("every truncation throws a DecodeError", arguments: DeleteRecordsRequest.versions)
    func truncations(version: Int16) {
        CodecChecks.expectEveryTruncationThrows(Self.request, version: version)
        CodecChecks.expectEveryTruncationThrows(Self.response, version: version)
    }

    @Test("v0 request bytes built from the schema decode and re-encode exactly")
    func fixtureV0Request() throws {
        let bytes: [UInt8] =
            [0x00, 0x00, 0x00, 0x01]  // topics: count 1
            + [0x00, 0x01, 0x74]  // name "t"
            + [0x00, 0x00, 0x00, 0x01]  // partitions: count 1
            + [0x00, 0x00, 0x00, 0x00]  // partition_index 0
            + [0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x2A]  // offset 42
            + [0x00, 0x00, 0x75, 0x30]  // timeout_ms 30000
        let expected = DeleteRecordsRequest(topics: [
            .init(name: "t", partitions: [.init(partitionIndex: 0, offset: 42)])
        ])
        #expect(try CodecChecks.decode(DeleteRecordsRequest.self, bytes, version: 0) == expected)
        #expect(CodecChecks.encode(expected, version: 0) == bytes)
    }

    @Test("v2 request bytes built from the schema decode and re-encode exactly")
    func fixtureV2Request() throws {
        let bytes: [UInt8] =
            [0x02]  // topics: compact count 1
            + [0x02, 0x74]  // name "t"
            + [0x02]  // partitions: compact count 1
            + [0x00, 0x00, 0x00, 0x01]  // partition_index 1
            + [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF]  // offset -1 (high watermark)
            + [0x00]  // partition tagged fields
            + [0x00]  // topic tagged fields
            + [0x00, 0x00, 0x03, 0xE8]  // timeout_ms 1000
            + [0x00]  // tagged fields
        let expected = DeleteRecordsRequest(
            topics: [.init(name: "t", partitions: [.init(partitionIndex: 1, offset: -1)])],
            timeoutMs: 1_000)
        #expect(try CodecChecks.decode(DeleteRecordsRequest.self, bytes, version: 2) == expected)
        #expect(CodecChecks.encode(expected, version: 2) == bytes)
    }

    @Test("v0 response bytes built from the schema decode and re-encode exactly")
    func fixtureV0Response() throws {
        let bytes: [UInt8] =
            [0x00, 0x00, 0x00, 0x00]  // throttle_time_ms 0
            + [0x00, 0x00, 0x00, 0x01]  // topics: count 1
            + [0x00, 0x01, 0x74]  // name "t"
            + [0x00, 0x00, 0x00, 0x01]  // partitions: count 1
            + [0x00, 0x00, 0x00, 0x00]  // partition_index 0
            + [0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x2A]  // low_watermark 42
            + [0x00, 0x00]  // error_code NONE
        let expected = DeleteRecordsResponse(topics: [
            .init(name: "t", partitions: [.init(partitionIndex: 0, lowWatermark: 42)])
        ])
        #expect(try CodecChecks.decode(DeleteRecordsResponse.self, bytes, version: 0) == expected)
        #expect(CodecChecks.encode(expected, version: 0) == bytes)
    }

    @Test("v2 response bytes built from the schema decode and re-encode exactly")
    func fixtureV2Response() throws {
        let bytes: [UInt8] =
            [0x00, 0x00, 0x00, 0x05]  // throttle_time_ms 5
            + [0x02]  // topics: compact count 1
            + [0x02, 0x74]  // name "t"
            + [0x02]  // partitions: compact count 1
            + [0x00, 0x00, 0x00, 0x00]  // partition_index 0
            + [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF]  // low_watermark -1
            + [0x00, 0x01]  // error_code OFFSET_OUT_OF_RANGE
            + [0x00]  // partition tagged fields
            + [0x00]  // topic tagged fields
            + [0x00]  // tagged fields
        let expected = DeleteRecordsResponse(
            throttleTimeMs: 5,
            topics: [
                .init(
                    name: "t", partitions: [.init(partitionIndex: 0, errorCode: .offsetOutOfRange)])
            ])
        #expect(try CodecChecks.decode(DeleteRecordsResponse.self, bytes, version: 2) == expected)
        #expect(CodecChecks.encode(expected, version: 2) == bytes)
    }

    @Test("forged topic and partition counts of 0x7fffffff throw without allocating")
    func hugeCount() {
        #expect(throws: DecodeError.self) {
            _ = try CodecChecks.decode(
                DeleteRecordsRequest.self, [0x7F, 0xFF, 0xFF, 0xFF, 0x00], version: 0)
        }
        #expect(throws: DecodeError.self) {
            _ = try CodecChecks.decode(
                DeleteRecordsRequest.self, [0x80, 0x80, 0x80, 0x80, 0x08, 0x00, 0x00], version: 2)
        }
        #expect(throws: DecodeError.self) {
            _ = try CodecChecks.decode(
                DeleteRecordsRequest.self,
                [0x02, 0x02, 0x74, 0x80, 0x80, 0x80, 0x80, 0x08, 0x00, 0x00, 0x00], version: 2)
        }
    }

    @Test("seeded random bytes never trap") func randomBytes() {
        CodecChecks.feedRandomBytes(DeleteRecordsRequest.self)
    }
}
