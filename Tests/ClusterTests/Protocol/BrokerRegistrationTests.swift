// Protocol tests: BrokerRegistration (key 62). Goal: every version 0-4 round-trips, bytes
// written out by hand from the JSON schemas decode and re-encode exactly (listeners with
// uint16 ports, features, log_dirs, previous_broker_epoch), and broken bytes only ever throw.

import NIOCore
import Testing

@testable import Cluster

@Suite struct BrokerRegistrationTests {
    static func request(version: Int16) -> BrokerRegistrationRequest {
        BrokerRegistrationRequest(
            brokerId: 1, clusterId: "c-lu5ter", incarnationId: CodecChecks.sampleTopicId,
            listeners: [
                .init(name: "PLAINTEXT", host: "127.0.0.1", port: 9_092),
                .init(name: "SSL", host: "localhost", port: 65_535, securityProtocol: 1),
            ],
            features: [
                .init(name: "metadata.version", minSupportedVersion: 7, maxSupportedVersion: 25),
                .init(
                    name: "kraft.version", minSupportedVersion: version >= 4 ? 0 : 1,
                    maxSupportedVersion: 1),
            ], rack: "rack-a", isMigratingZkBroker: version >= 1,
            logDirs: version >= 2
                ? [
                    Uuid(mostSignificantBits: 5, leastSignificantBits: 6),
                    CodecChecks.sampleTopicId,
                ]
                : [], previousBrokerEpoch: version >= 3 ? 99 : -1)
    }

    @Test(
        "every version round-trips request and response",
        arguments: BrokerRegistrationRequest.versions)
    func roundTrip(version: Int16) throws {
        try CodecChecks.expectRoundTrip(Self.request(version: version), version: version)
        try CodecChecks.expectRoundTrip(BrokerRegistrationRequest(brokerId: 0), version: version)
        try CodecChecks.expectRoundTrip(
            BrokerRegistrationResponse(throttleTimeMs: 2, brokerEpoch: 12), version: version)
        try CodecChecks.expectRoundTrip(BrokerRegistrationResponse(), version: version)
    }

    @Test("every truncation throws a DecodeError", arguments: BrokerRegistrationRequest.versions)
    func truncations(version: Int16) {
        CodecChecks.expectEveryTruncationThrows(Self.request(version: version), version: version)
        CodecChecks.expectEveryTruncationThrows(
            BrokerRegistrationResponse(brokerEpoch: 12), version: version)
    }

    /// The fields every version shares, before `rack`.
    static let commonBytes: [UInt8] =
        [0x00, 0x00, 0x00, 0x01]  // broker_id 1
        + [0x02, 0x63]  // cluster_id "c"
        + CodecChecks.sampleTopicIdBytes  // incarnation_id
        + [0x02]  // listeners: compact count 1
        + [0x02, 0x50]  //   name "P"
        + [0x02, 0x68]  //   host "h"
        + [0x23, 0x84]  //   port 9092 as uint16
        + [0x00, 0x00]  //   security_protocol PLAINTEXT
        + [0x00]  //   listener tagged fields
        + [0x02]  // features: compact count 1
        + [0x02, 0x6D]  //   name "m"
        + [0x00, 0x01, 0x00, 0x05]  //   min_supported_version 1, max_supported_version 5
        + [0x00]  //   feature tagged fields
        + [0x00]  // rack: null

    static let commonValue = BrokerRegistrationRequest(
        brokerId: 1, clusterId: "c", incarnationId: CodecChecks.sampleTopicId,
        listeners: [.init(name: "P", host: "h", port: 9_092)],
        features: [.init(name: "m", minSupportedVersion: 1, maxSupportedVersion: 5)])

    @Test("v0 request bytes built from the schema decode and re-encode exactly")
    func fixtureV0Request() throws {
        let bytes = Self.commonBytes + [0x00]  // tagged fields
        #expect(
            try CodecChecks.decode(BrokerRegistrationRequest.self, bytes, version: 0)
                == Self.commonValue)
        #expect(CodecChecks.encode(Self.commonValue, version: 0) == bytes)
    }

    @Test("v4 request bytes built from the schema decode and re-encode exactly")
    func fixtureV4Request() throws {
        let bytes =
            Self.commonBytes
            + [0x00]  // is_migrating_zk_broker false
            + [0x02] + [UInt8](repeating: 0, count: 15) + [0x07]  // log_dirs: [(0, 7)]
            + [0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x0C]  // previous_broker_epoch 12
            + [0x00]  // tagged fields
        var expected = Self.commonValue
        expected.logDirs = [Uuid(mostSignificantBits: 0, leastSignificantBits: 7)]
        expected.previousBrokerEpoch = 12
        #expect(
            try CodecChecks.decode(BrokerRegistrationRequest.self, bytes, version: 4) == expected)
        #expect(CodecChecks.encode(expected, version: 4) == bytes)
    }

    @Test("response bytes built from the schema decode and re-encode exactly")
    func fixtureResponse() throws {
        let bytes: [UInt8] =
            [0x00, 0x00, 0x00, 0x00]  // throttle_time_ms 0
            + [0x00, 0x00]  // error_code NONE
            + [0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x2A]  // broker_epoch 42
            + [0x00]  // tagged fields
        let expected = BrokerRegistrationResponse(brokerEpoch: 42)
        for version in BrokerRegistrationRequest.versions {
            #expect(
                try CodecChecks.decode(BrokerRegistrationResponse.self, bytes, version: version)
                    == expected)
            #expect(CodecChecks.encode(expected, version: version) == bytes)
        }
    }

    @Test("a forged log_dirs count of 0x7fffffff throws without allocating") func hugeCount() {
        let bytes = Self.commonBytes + [0x00, 0x80, 0x80, 0x80, 0x80, 0x08, 0x00]
        #expect(throws: DecodeError.self) {
            _ = try CodecChecks.decode(BrokerRegistrationRequest.self, bytes, version: 2)
        }
    }

    @Test("seeded random bytes never trap") func randomBytes() {
        CodecChecks.feedRandomBytes(BrokerRegistrationRequest.self)
    }
}
