// Protocol tests: InitProducerId (key 22). Goal: every version 0-5 round-trips, hand-built
// bytes from the JSON schema decode and re-encode exactly, and broken bytes only ever throw.

import NIOCore
import Testing

@testable import Cluster

@Suite struct InitProducerIdTests {
    static func request(version: Int16) -> InitProducerIdRequest {
        InitProducerIdRequest(
            transactionalId: "tx-1", transactionTimeoutMs: 30_000,
            producerId: version >= 3 ? 1_000 : -1, producerEpoch: version >= 3 ? 4 : -1)
    }

    static func response(version: Int16) -> InitProducerIdResponse {
        InitProducerIdResponse(
            throttleTimeMs: 2, errorCode: .none, producerId: 1_000, producerEpoch: 5)
    }

    @Test(
        "every version round-trips request and response", arguments: InitProducerIdRequest.versions)
    func roundTrip(version: Int16) throws {
        try CodecChecks.expectRoundTrip(Self.request(version: version), version: version)
        try CodecChecks.expectRoundTrip(Self.response(version: version), version: version)
        try CodecChecks.expectRoundTrip(InitProducerIdRequest(), version: version)
        try CodecChecks.expectRoundTrip(
            InitProducerIdResponse(errorCode: .producerFenced), version: version)
    }

    @Test("every truncation throws a DecodeError", arguments: InitProducerIdRequest.versions)
    func truncations(version: Int16) {
        CodecChecks.expectEveryTruncationThrows(Self.request(version: version), version: version)
        CodecChecks.expectEveryTruncationThrows(Self.response(version: version), version: version)
    }

    @Test("v1 request bytes built from the schema decode and re-encode exactly")
    func fixtureV1Request() throws {
        let bytes: [UInt8] =
            [0xFF, 0xFF]  // transactional_id: null (idempotent producer)
            + [0x00, 0x00, 0xEA, 0x60]  // transaction_timeout_ms 60000
        let expected = InitProducerIdRequest()
        #expect(try CodecChecks.decode(InitProducerIdRequest.self, bytes, version: 1) == expected)
        #expect(CodecChecks.encode(expected, version: 1) == bytes)
    }

    @Test("v4 request bytes built from the schema decode and re-encode exactly")
    func fixtureV4Request() throws {
        let bytes: [UInt8] =
            [0x03, 0x74, 0x78]  // transactional_id "tx"
            + [0x00, 0x00, 0x75, 0x30]  // transaction_timeout_ms 30000
            + [0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x03, 0xE8]  // producer_id 1000
            + [0x00, 0x02]  // producer_epoch 2
            + [0x00]  // tagged fields
        let expected = InitProducerIdRequest(
            transactionalId: "tx", transactionTimeoutMs: 30_000, producerId: 1_000, producerEpoch: 2
        )
        #expect(try CodecChecks.decode(InitProducerIdRequest.self, bytes, version: 4) == expected)
        #expect(CodecChecks.encode(expected, version: 4) == bytes)
    }

    @Test("v0 and v2 response bytes built from the schema decode and re-encode exactly")
    func fixtureResponses() throws {
        let v0: [UInt8] =
            [0x00, 0x00, 0x00, 0x00]  // throttle_time_ms 0
            + [0x00, 0x00]  // error_code NONE
            + [0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x07]  // producer_id 7
            + [0x00, 0x00]  // producer_epoch 0
        let expected = InitProducerIdResponse(producerId: 7, producerEpoch: 0)
        #expect(try CodecChecks.decode(InitProducerIdResponse.self, v0, version: 0) == expected)
        #expect(CodecChecks.encode(expected, version: 0) == v0)
        #expect(
            try CodecChecks.decode(InitProducerIdResponse.self, v0 + [0x00], version: 2) == expected
        )
        #expect(CodecChecks.encode(expected, version: 2) == v0 + [0x00])  // + tagged fields
    }

    @Test("a forged transactional_id length of 0x7fffffff throws without allocating")
    func hugeLength() {
        #expect(throws: DecodeError.self) {
            _ = try CodecChecks.decode(
                InitProducerIdRequest.self, [0x80, 0x80, 0x80, 0x80, 0x08, 0, 0, 0, 0, 0],
                version: 2)
        }
    }

    @Test("seeded random bytes never trap") func randomBytes() {
        CodecChecks.feedRandomBytes(InitProducerIdRequest.self)
    }
}
