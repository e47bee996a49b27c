// Protocol tests: DescribeConfigs (key 32). Goal: every version 1-4 round-trips, hand-built
// bytes from the JSON schema decode and re-encode exactly, and broken bytes only ever throw.

import NIOCore
import Testing

@testable import Cluster

@Suite struct DescribeConfigsTests {
    static func request(version: Int16) -> DescribeConfigsRequest {
        DescribeConfigsRequest(
            resources: [
                .init(
                    resourceType: DescribeConfigsRequest.topicResourceType, resourceName: "orders",
                    configurationKeys: ["retention.ms", "cleanup.policy"]),
                .init(resourceType: DescribeConfigsRequest.brokerResourceType, resourceName: "1"),
            ], includeSynonyms: true, includeDocumentation: version >= 3)
    }

    static func response(version: Int16) -> DescribeConfigsResponse {
        DescribeConfigsResponse(
            throttleTimeMs: 1,
            results: [
                .init(
                    resourceType: DescribeConfigsRequest.topicResourceType, resourceName: "orders",
                    configs: [
                        .init(
                            name: "retention.ms", value: "604800000", configSource: 1,
                            synonyms: [
                                .init(name: "retention.ms", value: "604800000", source: 1),
                                .init(name: "log.retention.ms", value: nil, source: 5),
                            ], configType: version >= 3 ? 5 : 0,
                            documentation: version >= 3 ? "How long to keep a log segment." : nil),
                        .init(
                            name: "ssl.key.password", value: nil, readOnly: true, configSource: 4,
                            isSensitive: true),
                    ]),
                .init(
                    errorCode: .unknownTopicOrPartition, errorMessage: "no topic", resourceType: 2,
                    resourceName: "gone"),
            ])
    }

    @Test(
        "every version round-trips request and response", arguments: DescribeConfigsRequest.versions
    ) func roundTrip(version: Int16) throws {
        try CodecChecks.expectRoundTrip(Self.request(version: version), version: version)
        try CodecChecks.expectRoundTrip(Self.response(version: version), version: version)
        try CodecChecks.expectRoundTrip(DescribeConfigsRequest(), version: version)
        try CodecChecks.expectRoundTrip(DescribeConfigsResponse(), version: version)
    }

    @Test("every truncation throws a DecodeError", arguments: DescribeConfigsRequest.versions)
    func truncations(version: Int16) {
        CodecChecks.expectEveryTruncationThrows(Self.request(version: version), version: version)
        CodecChecks.expectEveryTruncationThrows(Self.response(version: version), version: version)
    }

    @Test("v1 request bytes built from the schema decode and re-encode exactly")
    func fixtureV1Request() throws {
        let bytes: [UInt8] =
            [0x00, 0x00, 0x00, 0x01]  // resources: count 1
            + [0x02]  // resource_type TOPIC
            + [0x00, 0x01, 0x74]  // resource_name "t"
            + [0xFF, 0xFF, 0xFF, 0xFF]  // configuration_keys: null (all keys)
            + [0x01]  // include_synonyms true
        let expected = DescribeConfigsRequest(
            resources: [.init(resourceType: 2, resourceName: "t")], includeSynonyms: true)
        #expect(try CodecChecks.decode(DescribeConfigsRequest.self, bytes, version: 1) == expected)
        #expect(CodecChecks.encode(expected, version: 1) == bytes)
    }

    @Test("v4 request bytes built from the schema decode and re-encode exactly")
    func fixtureV4Request() throws {
        let bytes: [UInt8] =
            [0x02]  // resources: compact count 1
            + [0x04]  // resource_type BROKER
            + [0x02, 0x31]  // resource_name "1"
            + [0x02, 0x02, 0x61]  // configuration_keys: compact count 1, "a"
            + [0x00]  // resource tagged fields
            + [0x00]  // include_synonyms false
            + [0x01]  // include_documentation true
            + [0x00]  // tagged fields
        let expected = DescribeConfigsRequest(
            resources: [.init(resourceType: 4, resourceName: "1", configurationKeys: ["a"])],
            includeDocumentation: true)
        #expect(try CodecChecks.decode(DescribeConfigsRequest.self, bytes, version: 4) == expected)
        #expect(CodecChecks.encode(expected, version: 4) == bytes)
    }

    @Test("v4 response bytes built from the schema decode and re-encode exactly")
    func fixtureV4Response() throws {
        let bytes: [UInt8] =
            [0x00, 0x00, 0x00, 0x00]  // throttle_time_ms 0
            + [0x02]  // results: compact count 1
            + [0x00, 0x00]  // error_code NONE
            + [0x00]  // error_message: null
            + [0x02]  // resource_type TOPIC
            + [0x02, 0x74]  // resource_name "t"
            + [0x02]  // configs: compact count 1
            + [0x02, 0x6B]  // name "k"
            + [0x02, 0x76]  // value "v"
            + [0x00]  // read_only false
            + [0x05]  // config_source DEFAULT_CONFIG
            + [0x00]  // is_sensitive false
            + [0x02]  // synonyms: compact count 1
            + [0x02, 0x6B, 0x02, 0x76, 0x05, 0x00]  //   name "k", value "v", source 5, no tags
            + [0x02]  // config_type STRING
            + [0x00]  // documentation: null
            + [0x00]  // config tagged fields
            + [0x00]  // result tagged fields
            + [0x00]  // tagged fields
        let expected = DescribeConfigsResponse(results: [
            .init(
                resourceType: 2, resourceName: "t",
                configs: [
                    .init(
                        name: "k", value: "v", configSource: 5,
                        synonyms: [.init(name: "k", value: "v", source: 5)], configType: 2)
                ])
        ])
        #expect(try CodecChecks.decode(DescribeConfigsResponse.self, bytes, version: 4) == expected)
        #expect(CodecChecks.encode(expected, version: 4) == bytes)
    }

    @Test("a forged resource count of 0x7fffffff throws without allocating") func hugeCount() {
        #expect(throws: DecodeError.self) {
            _ = try CodecChecks.decode(
                DescribeConfigsRequest.self, [0x7F, 0xFF, 0xFF, 0xFF, 0x00], version: 1)
        }
        #expect(throws: DecodeError.self) {
            _ = try CodecChecks.decode(
                DescribeConfigsRequest.self, [0x80, 0x80, 0x80, 0x80, 0x08, 0x00, 0x00], version: 4)
        }
    }

    @Test("seeded random bytes never trap") func randomBytes() {
        CodecChecks.feedRandomBytes(DescribeConfigsRequest.self)
    }
}
