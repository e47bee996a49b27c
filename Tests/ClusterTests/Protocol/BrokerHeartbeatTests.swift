// Protocol tests: BrokerHeartbeat (key 63). Goal: both versions round-trip, bytes written out
// by hand from the JSON schemas decode and re-encode exactly (the tagged offline_log_dirs at
// v1, is_fenced defaulting to true), unknown tags are skipped, and broken bytes only throw.

import NIOCore
import Testing

@testable import Cluster

@Suite struct BrokerHeartbeatTests {
    static func request(version: Int16) -> BrokerHeartbeatRequest {
        BrokerHeartbeatRequest(
            brokerId: 2, brokerEpoch: 17, currentMetadataOffset: 1_024, wantFence: true,
            wantShutDown: true,
            offlineLogDirs: version >= 1 ? [CodecChecks.sampleTopicId, Uuid.zero] : [])
    }

    static let response = BrokerHeartbeatResponse(
        throttleTimeMs: 1, errorCode: .staleBrokerEpoch, isCaughtUp: true, isFenced: false,
        shouldShutDown: true)

    @Test(
        "every version round-trips request and response",
        arguments: BrokerHeartbeatRequest.versions)
    func roundTrip(version: Int16) throws {
        try CodecChecks.expectRoundTrip(Self.request(version: version), version: version)
        try CodecChecks.expectRoundTrip(BrokerHeartbeatRequest(brokerId: 0), version: version)
        try CodecChecks.expectRoundTrip(Self.response, version: version)
        try CodecChecks.expectRoundTrip(BrokerHeartbeatResponse(), version: version)
    }

    @Test("every truncation throws a DecodeError", arguments: BrokerHeartbeatRequest.versions)
    func truncations(version: Int16) {
        CodecChecks.expectEveryTruncationThrows(Self.request(version: version), version: version)
        CodecChecks.expectEveryTruncationThrows(Self.response, version: version)
    }

    static let requestHead: [UInt8] =
        [0x00, 0x00, 0x00, 0x02]  // broker_id 2
        + [0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x11]  // broker_epoch 17
        + [0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x04, 0x00]  // current_metadata_offset 1024
        + [0x00]  // want_fence false
        + [0x01]  // want_shut_down true

    @Test("v0 and v1 request bytes built from the schema decode and re-encode exactly")
    func fixtureRequests() throws {
        let v0 = Self.requestHead + [0x00]  // no tagged fields
        let v1 =
            Self.requestHead
            + [0x01, 0x00, 0x11]  // tagged: 1 field, tag 0 (offline_log_dirs), size 17
            + [0x02]  //   compact count 1
            + CodecChecks.sampleTopicIdBytes  //   the failed directory's id
        let plain = BrokerHeartbeatRequest(
            brokerId: 2, brokerEpoch: 17, currentMetadataOffset: 1_024, wantShutDown: true)
        var offline = plain
        offline.offlineLogDirs = [CodecChecks.sampleTopicId]
        #expect(try CodecChecks.decode(BrokerHeartbeatRequest.self, v0, version: 0) == plain)
        #expect(CodecChecks.encode(plain, version: 0) == v0)
        #expect(CodecChecks.encode(plain, version: 1) == v0)
        #expect(try CodecChecks.decode(BrokerHeartbeatRequest.self, v1, version: 1) == offline)
        #expect(CodecChecks.encode(offline, version: 1) == v1)
        // v0 has no offline_log_dirs: the same tag is an unknown one there, skipped.
        #expect(try CodecChecks.decode(BrokerHeartbeatRequest.self, v1, version: 0) == plain)
    }

    @Test("response bytes built from the schema decode and re-encode exactly")
    func fixtureResponse() throws {
        let bytes: [UInt8] =
            [0x00, 0x00, 0x00, 0x00]  // throttle_time_ms 0
            + [0x00, 0x00]  // error_code NONE
            + [0x00]  // is_caught_up false
            + [0x01]  // is_fenced true (Kafka's default)
            + [0x00]  // should_shut_down false
            + [0x02, 0x07, 0x00, 0x09, 0x01, 0xFF]  // tagged: unknown tags 7 and 9, skipped
        let clean = Array(bytes.prefix(9)) + [0x00]
        for version in BrokerHeartbeatRequest.versions {
            #expect(
                try CodecChecks.decode(BrokerHeartbeatResponse.self, bytes, version: version)
                    == BrokerHeartbeatResponse())
            #expect(CodecChecks.encode(BrokerHeartbeatResponse(), version: version) == clean)
        }
    }

    @Test("a forged offline_log_dirs count throws without allocating") func hugeCount() {
        let bytes =
            Self.requestHead + [0x01, 0x00, 0x05] + [0x80, 0x80, 0x80, 0x80, 0x08]
        #expect(throws: DecodeError.self) {
            _ = try CodecChecks.decode(BrokerHeartbeatRequest.self, bytes, version: 1)
        }
    }

    @Test("seeded random bytes never trap") func randomBytes() {
        CodecChecks.feedRandomBytes(BrokerHeartbeatRequest.self)
    }
}
