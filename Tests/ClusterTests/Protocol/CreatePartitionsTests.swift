// Protocol tests: CreatePartitions (key 37). Goal: every version 0-3 round-trips (null and
// empty assignments kept apart), hand-built bytes from the JSON schema decode and re-encode
// exactly, and broken bytes only ever throw.

import NIOCore
import Testing

@testable import Cluster

@Suite struct CreatePartitionsTests {
    static let request = CreatePartitionsRequest(
        topics: [
            .init(name: "orders", count: 6),
            .init(
                name: "placed", count: 3,
                assignments: [.init(brokerIds: [1, 2]), .init(brokerIds: [2, 3])]),
            .init(name: "odd", count: 2, assignments: [.init(brokerIds: [])]),
            .init(name: "empty", count: 1, assignments: []),
        ], timeoutMs: 5_000, validateOnly: true)

    static let response = CreatePartitionsResponse(
        throttleTimeMs: 6,
        results: [
            .init(name: "orders"),
            .init(
                name: "placed", errorCode: .invalidPartitions,
                errorMessage:
                    "Topic currently has 3 partitions, which is higher than the requested 2."),
            .init(name: "busy", errorCode: .throttlingQuotaExceeded),
        ])

    @Test(
        "every version round-trips request and response",
        arguments: CreatePartitionsRequest.versions)
    func roundTrip(version: Int16) throws {
        try CodecChecks.expectRoundTrip(Self.request, version: version)
        try CodecChecks.expectRoundTrip(Self.response, version: version)
        try CodecChecks.expectRoundTrip(CreatePartitionsRequest(), version: version)
        try CodecChecks.expectRoundTrip(CreatePartitionsResponse(), version: version)
    }

    @Test("every truncation throws a DecodeError", arguments: CreatePartitionsRequest.versions)
    func truncations(version: Int16) {
        CodecChecks.expectEveryTruncationThrows(Self.request, version: version)
        CodecChecks.expectEveryTruncationThrows(Self.response, version: version)
    }

    @Test("v1 request bytes built from the schema decode and re-encode exactly")
    func fixtureV1Request() throws {
        let bytes: [UInt8] =
            [0x00, 0x00, 0x00, 0x01]  // topics: count 1
            + [0x00, 0x01, 0x74]  // name "t"
            + [0x00, 0x00, 0x00, 0x04]  // count 4
            + [0xFF, 0xFF, 0xFF, 0xFF]  // assignments: null (the controller places them)
            + [0x00, 0x00, 0xEA, 0x60]  // timeout_ms 60000
            + [0x00]  // validate_only false
        let expected = CreatePartitionsRequest(topics: [.init(name: "t", count: 4)])
        #expect(try CodecChecks.decode(CreatePartitionsRequest.self, bytes, version: 1) == expected)
        #expect(CodecChecks.encode(expected, version: 1) == bytes)
    }

    @Test("v3 request bytes built from the schema decode and re-encode exactly")
    func fixtureV3Request() throws {
        let bytes: [UInt8] =
            [0x02]  // topics: compact count 1
            + [0x02, 0x74]  // name "t"
            + [0x00, 0x00, 0x00, 0x03]  // count 3
            + [0x02]  // assignments: compact count 1
            + [0x03, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x02]  // broker_ids [1, 2]
            + [0x00]  // assignment tagged fields
            + [0x00]  // topic tagged fields
            + [0x00, 0x00, 0xEA, 0x60]  // timeout_ms 60000
            + [0x01]  // validate_only true
            + [0x00]  // tagged fields
        let expected = CreatePartitionsRequest(
            topics: [.init(name: "t", count: 3, assignments: [.init(brokerIds: [1, 2])])],
            validateOnly: true)
        #expect(try CodecChecks.decode(CreatePartitionsRequest.self, bytes, version: 3) == expected)
        #expect(CodecChecks.encode(expected, version: 3) == bytes)
    }

    @Test("v0 response bytes built from the schema decode and re-encode exactly")
    func fixtureV0Response() throws {
        let bytes: [UInt8] =
            [0x00, 0x00, 0x00, 0x00]  // throttle_time_ms 0
            + [0x00, 0x00, 0x00, 0x01]  // results: count 1
            + [0x00, 0x01, 0x74]  // name "t"
            + [0x00, 0x00]  // error_code NONE
            + [0xFF, 0xFF]  // error_message: null
        let expected = CreatePartitionsResponse(results: [.init(name: "t")])
        #expect(
            try CodecChecks.decode(CreatePartitionsResponse.self, bytes, version: 0) == expected)
        #expect(CodecChecks.encode(expected, version: 0) == bytes)
    }

    @Test("v3 response bytes built from the schema decode and re-encode exactly")
    func fixtureV3Response() throws {
        let bytes: [UInt8] =
            [0x00, 0x00, 0x00, 0x00]  // throttle_time_ms 0
            + [0x02]  // results: compact count 1
            + [0x02, 0x74]  // name "t"
            + [0x00, 0x25]  // error_code INVALID_PARTITIONS
            + [0x02, 0x6D]  // error_message "m"
            + [0x00]  // result tagged fields
            + [0x00]  // tagged fields
        let expected = CreatePartitionsResponse(results: [
            .init(name: "t", errorCode: .invalidPartitions, errorMessage: "m")
        ])
        #expect(
            try CodecChecks.decode(CreatePartitionsResponse.self, bytes, version: 3) == expected)
        #expect(CodecChecks.encode(expected, version: 3) == bytes)
    }

    @Test("forged topic and assignment counts of 0x7fffffff throw without allocating")
    func hugeCount() {
        #expect(throws: DecodeError.self) {
            _ = try CodecChecks.decode(
                CreatePartitionsRequest.self, [0x7F, 0xFF, 0xFF, 0xFF, 0x00], version: 0)
        }
        #expect(throws: DecodeError.self) {
            _ = try CodecChecks.decode(
                CreatePartitionsRequest.self, [0x80, 0x80, 0x80, 0x80, 0x08, 0x00, 0x00], version: 2
            )
        }
        #expect(throws: DecodeError.self) {
            _ = try CodecChecks.decode(
                CreatePartitionsRequest.self,
                [0x00, 0x00, 0x00, 0x01, 0x00, 0x01, 0x74, 0x00, 0x00, 0x00, 0x02]
                    + [0x7F, 0xFF, 0xFF, 0xFF, 0x00, 0x00], version: 1)
        }
    }

    @Test("seeded random bytes never trap") func randomBytes() {
        CodecChecks.feedRandomBytes(CreatePartitionsRequest.self)
    }
}
