// Protocol tests: DeleteTopics (key 20). Goal: every version 1-6 round-trips, hand-built
// bytes from the JSON schema decode and re-encode exactly, and broken bytes only ever throw.

import NIOCore
import Testing

@testable import Cluster

@Suite struct DeleteTopicsTests {
    static func request(version: Int16) -> DeleteTopicsRequest {
        DeleteTopicsRequest(
            topics: version >= 6
                ? [.init(name: "orders"), .init(name: nil, topicId: CodecChecks.sampleTopicId)]
                : [.init(name: "orders"), .init(name: "payments")], timeoutMs: 15_000)
    }

    static func response(version: Int16) -> DeleteTopicsResponse {
        DeleteTopicsResponse(
            throttleTimeMs: version >= 1 ? 9 : 0,
            responses: [
                .init(name: "orders", topicId: version >= 6 ? CodecChecks.sampleTopicId : .zero),
                .init(
                    name: version >= 6 ? nil : "nope",
                    errorCode: version >= 6 ? .unknownTopicId : .unknownTopicOrPartition,
                    errorMessage: version >= 5 ? "This server does not host this topic ID." : nil),
            ])
    }

    @Test("every version round-trips request and response", arguments: DeleteTopicsRequest.versions)
    func roundTrip(version: Int16) throws {
        try CodecChecks.expectRoundTrip(Self.request(version: version), version: version)
        try CodecChecks.expectRoundTrip(Self.response(version: version), version: version)
        try CodecChecks.expectRoundTrip(DeleteTopicsRequest(), version: version)
        try CodecChecks.expectRoundTrip(DeleteTopicsResponse(), version: version)
    }

    @Test("every truncation throws a DecodeError", arguments: DeleteTopicsRequest.versions)
    func truncations(version: Int16) {
        CodecChecks.expectEveryTruncationThrows(Self.request(version: version), version: version)
        CodecChecks.expectEveryTruncationThrows(Self.response(version: version), version: version)
    }

    @Test("v1 request bytes built from the schema decode and re-encode exactly")
    func fixtureV1Request() throws {
        let bytes: [UInt8] =
            [0x00, 0x00, 0x00, 0x02]  // topic_names: count 2
            + [0x00, 0x01, 0x61]  // "a"
            + [0x00, 0x01, 0x62]  // "b"
            + [0x00, 0x00, 0x75, 0x30]  // timeout_ms 30000
        let expected = DeleteTopicsRequest(
            topics: [.init(name: "a"), .init(name: "b")], timeoutMs: 30_000)
        #expect(try CodecChecks.decode(DeleteTopicsRequest.self, bytes, version: 1) == expected)
        #expect(CodecChecks.encode(expected, version: 1) == bytes)
    }

    @Test("v6 request bytes built from the schema decode and re-encode exactly")
    func fixtureV6Request() throws {
        let bytes: [UInt8] =
            [0x03]  // topics: compact count 2
            + [0x02, 0x61]  // [0] name "a"
            + [UInt8](repeating: 0, count: 16)  // [0] topic_id zero
            + [0x00]  // [0] tagged fields
            + [0x00]  // [1] name: null
            + CodecChecks.sampleTopicIdBytes  // [1] topic_id
            + [0x00]  // [1] tagged fields
            + [0x00, 0x00, 0x75, 0x30]  // timeout_ms 30000
            + [0x00]  // tagged fields
        let expected = DeleteTopicsRequest(
            topics: [.init(name: "a"), .init(name: nil, topicId: CodecChecks.sampleTopicId)],
            timeoutMs: 30_000)
        #expect(try CodecChecks.decode(DeleteTopicsRequest.self, bytes, version: 6) == expected)
        #expect(CodecChecks.encode(expected, version: 6) == bytes)
    }

    @Test("v5 response bytes built from the schema decode and re-encode exactly")
    func fixtureV5Response() throws {
        let bytes: [UInt8] =
            [0x00, 0x00, 0x00, 0x00]  // throttle_time_ms 0
            + [0x02]  // responses: compact count 1
            + [0x02, 0x61]  // name "a"
            + [0x00, 0x03]  // error_code UNKNOWN_TOPIC_OR_PARTITION
            + [0x02, 0x6E]  // error_message "n"
            + [0x00]  // result tagged fields
            + [0x00]  // tagged fields
        let expected = DeleteTopicsResponse(responses: [
            .init(name: "a", errorCode: .unknownTopicOrPartition, errorMessage: "n")
        ])
        #expect(try CodecChecks.decode(DeleteTopicsResponse.self, bytes, version: 5) == expected)
        #expect(CodecChecks.encode(expected, version: 5) == bytes)
    }

    @Test("a forged topic count of 0x7fffffff throws without allocating") func hugeCount() {
        #expect(throws: DecodeError.self) {
            _ = try CodecChecks.decode(
                DeleteTopicsRequest.self, [0x7F, 0xFF, 0xFF, 0xFF, 0, 0, 0, 0], version: 1)
        }
        #expect(throws: DecodeError.self) {
            _ = try CodecChecks.decode(
                DeleteTopicsRequest.self, [0x80, 0x80, 0x80, 0x80, 0x08, 0x00], version: 6)
        }
    }

    @Test("seeded random bytes never trap") func randomBytes() {
        CodecChecks.feedRandomBytes(DeleteTopicsRequest.self)
    }
}
