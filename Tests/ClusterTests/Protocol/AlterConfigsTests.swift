// Protocol tests: AlterConfigs (key 33). Goal: every version 0-2 round-trips, hand-built
// bytes from the JSON schema decode and re-encode exactly, and broken bytes only ever throw.

import NIOCore
import Testing

@testable import Cluster

@Suite struct AlterConfigsTests {
    static let request = AlterConfigsRequest(
        resources: [
            .init(
                resourceType: DescribeConfigsRequest.topicResourceType, resourceName: "orders",
                configs: [
                    .init(name: "retention.ms", value: "86400000"),
                    .init(name: "cleanup.policy", value: nil),
                ]),
            .init(resourceType: DescribeConfigsRequest.brokerResourceType, resourceName: "1"),
        ], validateOnly: true)

    static let response = AlterConfigsResponse(
        throttleTimeMs: 2,
        responses: [
            .init(resourceType: DescribeConfigsRequest.topicResourceType, resourceName: "orders"),
            .init(
                errorCode: .invalidConfig, errorMessage: "Invalid value x for retention.ms",
                resourceType: DescribeConfigsRequest.brokerResourceType, resourceName: "1"),
        ])

    @Test("every version round-trips request and response", arguments: AlterConfigsRequest.versions)
    func roundTrip(version: Int16) throws {
        try CodecChecks.expectRoundTrip(Self.request, version: version)
        try CodecChecks.expectRoundTrip(Self.response, version: version)
        try CodecChecks.expectRoundTrip(AlterConfigsRequest(), version: version)
        try CodecChecks.expectRoundTrip(AlterConfigsResponse(), version: version)
    }

    @Test("every truncation throws a DecodeError", arguments: AlterConfigsRequest.versions)
    func truncations(version: Int16) {
        CodecChecks.expectEveryTruncationThrows(Self.request, version: version)
        CodecChecks.expectEveryTruncationThrows(Self.response, version: version)
    }

    @Test("v0 request bytes built from the schema decode and re-encode exactly")
    func fixtureV0Request() throws {
        let bytes: [UInt8] =
            [0x00, 0x00, 0x00, 0x01]  // resources: count 1
            + [0x02]  // resource_type TOPIC
            + [0x00, 0x01, 0x74]  // resource_name "t"
            + [0x00, 0x00, 0x00, 0x01]  // configs: count 1
            + [0x00, 0x01, 0x61]  // name "a"
            + [0x00, 0x01, 0x62]  // value "b"
            + [0x00]  // validate_only false
        let expected = AlterConfigsRequest(resources: [
            .init(resourceType: 2, resourceName: "t", configs: [.init(name: "a", value: "b")])
        ])
        #expect(try CodecChecks.decode(AlterConfigsRequest.self, bytes, version: 0) == expected)
        #expect(CodecChecks.encode(expected, version: 0) == bytes)
    }

    @Test("v2 request bytes built from the schema decode and re-encode exactly")
    func fixtureV2Request() throws {
        let bytes: [UInt8] =
            [0x02]  // resources: compact count 1
            + [0x04]  // resource_type BROKER
            + [0x01]  // resource_name "" (the cluster-wide default)
            + [0x02]  // configs: compact count 1
            + [0x02, 0x61]  // name "a"
            + [0x00]  // value: compact null
            + [0x00]  // config tagged fields
            + [0x00]  // resource tagged fields
            + [0x01]  // validate_only true
            + [0x00]  // tagged fields
        let expected = AlterConfigsRequest(
            resources: [
                .init(resourceType: 4, resourceName: "", configs: [.init(name: "a", value: nil)])
            ], validateOnly: true)
        #expect(try CodecChecks.decode(AlterConfigsRequest.self, bytes, version: 2) == expected)
        #expect(CodecChecks.encode(expected, version: 2) == bytes)
    }

    @Test("v1 response bytes built from the schema decode and re-encode exactly")
    func fixtureV1Response() throws {
        let bytes: [UInt8] =
            [0x00, 0x00, 0x00, 0x00]  // throttle_time_ms 0
            + [0x00, 0x00, 0x00, 0x01]  // responses: count 1
            + [0x00, 0x28]  // error_code INVALID_CONFIG
            + [0x00, 0x01, 0x6D]  // error_message "m"
            + [0x02]  // resource_type TOPIC
            + [0x00, 0x01, 0x74]  // resource_name "t"
        let expected = AlterConfigsResponse(responses: [
            .init(errorCode: .invalidConfig, errorMessage: "m", resourceType: 2, resourceName: "t")
        ])
        #expect(try CodecChecks.decode(AlterConfigsResponse.self, bytes, version: 1) == expected)
        #expect(CodecChecks.encode(expected, version: 1) == bytes)
    }

    @Test("v2 response bytes built from the schema decode and re-encode exactly")
    func fixtureV2Response() throws {
        let bytes: [UInt8] =
            [0x00, 0x00, 0x00, 0x00]  // throttle_time_ms 0
            + [0x02]  // responses: compact count 1
            + [0x00, 0x00]  // error_code NONE
            + [0x00]  // error_message: compact null
            + [0x02]  // resource_type TOPIC
            + [0x02, 0x74]  // resource_name "t"
            + [0x00]  // response tagged fields
            + [0x00]  // tagged fields
        let expected = AlterConfigsResponse(responses: [.init(resourceType: 2, resourceName: "t")])
        #expect(try CodecChecks.decode(AlterConfigsResponse.self, bytes, version: 2) == expected)
        #expect(CodecChecks.encode(expected, version: 2) == bytes)
    }

    @Test("a forged resource count of 0x7fffffff throws without allocating") func hugeCount() {
        #expect(throws: DecodeError.self) {
            _ = try CodecChecks.decode(
                AlterConfigsRequest.self, [0x7F, 0xFF, 0xFF, 0xFF, 0x00], version: 0)
        }
        #expect(throws: DecodeError.self) {
            _ = try CodecChecks.decode(
                AlterConfigsRequest.self, [0x80, 0x80, 0x80, 0x80, 0x08, 0x00, 0x00], version: 2)
        }
        #expect(throws: DecodeError.self) {
            _ = try CodecChecks.decode(
                AlterConfigsResponse.self, [0x00, 0x00, 0x00, 0x00, 0x7F, 0xFF, 0xFF, 0xFF],
                version: 1)
        }
    }

    @Test("seeded random bytes never trap") func randomBytes() {
        CodecChecks.feedRandomBytes(AlterConfigsRequest.self)
    }
}
