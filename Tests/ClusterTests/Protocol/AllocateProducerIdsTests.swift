// Protocol tests: AllocateProducerIds (key 67). Goal: v0 round-trips, bytes written out by
// hand from the JSON schemas decode and re-encode exactly, unknown tags are skipped, and broken
// bytes only throw.

import NIOCore
import Testing

@testable import Cluster

@Suite struct AllocateProducerIdsTests {
    static let request = AllocateProducerIdsRequest(brokerId: 2, brokerEpoch: 17)
    static let response = AllocateProducerIdsResponse(
        throttleTimeMs: 1, errorCode: .none, producerIdStart: 3_000, producerIdLen: 1_000)

    @Test("v0 round-trips request and response", arguments: AllocateProducerIdsRequest.versions)
    func roundTrip(version: Int16) throws {
        try CodecChecks.expectRoundTrip(Self.request, version: version)
        try CodecChecks.expectRoundTrip(AllocateProducerIdsRequest(brokerId: 0), version: version)
        try CodecChecks.expectRoundTrip(Self.response, version: version)
        try CodecChecks.expectRoundTrip(
            AllocateProducerIdsResponse(errorCode: .staleBrokerEpoch), version: version)
    }

    @Test("every truncation throws a DecodeError", arguments: AllocateProducerIdsRequest.versions)
    func truncations(version: Int16) {
        CodecChecks.expectEveryTruncationThrows(Self.request, version: version)
        CodecChecks.expectEveryTruncationThrows(Self.response, version: version)
    }

    @Test("request bytes built from the schema decode and re-encode exactly")
    func fixtureRequest() throws {
        let bytes: [UInt8] =
            [0x00, 0x00, 0x00, 0x02]  // broker_id 2
            + [0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x11]  // broker_epoch 17
            + [0x00]  // no tagged fields
        #expect(
            try CodecChecks.decode(AllocateProducerIdsRequest.self, bytes, version: 0)
                == Self.request)
        #expect(CodecChecks.encode(Self.request, version: 0) == bytes)
        #expect(
            AllocateProducerIdsRequest.apiKey.rawValue == 67
                && AllocateProducerIdsRequest.apiKey.name == "AllocateProducerIds")
        #expect(AllocateProducerIdsRequest.requestHeaderVersion(0) == 2)
    }

    @Test(
        "response bytes built from the schema decode and re-encode exactly; unknown tags are skipped"
    )
    func fixtureResponse() throws {
        let head: [UInt8] =
            [0x00, 0x00, 0x00, 0x01]  // throttle_time_ms 1
            + [0x00, 0x00]  // error_code NONE
            + [0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x0B, 0xB8]  // producer_id_start 3000
            + [0x00, 0x00, 0x03, 0xE8]  // producer_id_len 1000
        #expect(
            try CodecChecks.decode(AllocateProducerIdsResponse.self, head + [0x00], version: 0)
                == Self.response)
        #expect(CodecChecks.encode(Self.response, version: 0) == head + [0x00])
        let tagged = head + [0x01, 0x05, 0x01, 0xFF]  // one unknown tag 5, one byte
        #expect(
            try CodecChecks.decode(AllocateProducerIdsResponse.self, tagged, version: 0)
                == Self.response)
        #expect(Self.response.block == 3_000..<4_000)
        #expect(
            AllocateProducerIdsResponse(
                errorCode: .notController, producerIdStart: 5, producerIdLen: 5
            ).block.isEmpty)
        #expect(AllocateProducerIdsResponse(producerIdStart: .max, producerIdLen: 5).block.isEmpty)
    }

    @Test("seeded random bytes never trap") func randomBytes() {
        CodecChecks.feedRandomBytes(AllocateProducerIdsRequest.self)
    }
}
