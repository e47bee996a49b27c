// Protocol tests: IncrementalAlterConfigs (key 44). Goal: versions 0-1 round-trip (unknown
// operation ids included), hand-built bytes from the JSON schema decode and re-encode
// exactly, and broken bytes only ever throw.

import NIOCore
import Testing

@testable import Cluster

@Suite struct IncrementalAlterConfigsTests {
    typealias Operation = IncrementalAlterConfigsRequest.ConfigOperation

    static let request = IncrementalAlterConfigsRequest(
        resources: [
            .init(
                resourceType: DescribeConfigsRequest.topicResourceType, resourceName: "orders",
                configs: [
                    .init(name: "retention.ms", configOperation: .set, value: "86400000"),
                    .init(name: "segment.ms", configOperation: .delete, value: nil),
                    .init(name: "cleanup.policy", configOperation: .append, value: "compact"),
                    .init(name: "cleanup.policy", configOperation: .subtract, value: "delete"),
                    .init(name: "x", configOperation: Operation(rawValue: 9), value: "y"),
                ]),
            .init(resourceType: DescribeConfigsRequest.brokerResourceType, resourceName: ""),
        ], validateOnly: true)

    static let response = IncrementalAlterConfigsResponse(
        throttleTimeMs: 2,
        responses: [
            .init(resourceType: DescribeConfigsRequest.topicResourceType, resourceName: "orders"),
            .init(
                errorCode: .invalidRequest, errorMessage: "Unknown operation 9",
                resourceType: DescribeConfigsRequest.brokerResourceType, resourceName: ""),
        ])

    @Test(
        "every version round-trips request and response",
        arguments: IncrementalAlterConfigsRequest.versions)
    func roundTrip(version: Int16) throws {
        try CodecChecks.expectRoundTrip(Self.request, version: version)
        try CodecChecks.expectRoundTrip(Self.response, version: version)
        try CodecChecks.expectRoundTrip(IncrementalAlterConfigsRequest(), version: version)
        try CodecChecks.expectRoundTrip(IncrementalAlterConfigsResponse(), version: version)
    }

    @Test(
        "every truncation throws a DecodeError", arguments: IncrementalAlterConfigsRequest.versions)
    func truncations(version: Int16) {
        CodecChecks.expectEveryTruncationThrows(Self.request, version: version)
        CodecChecks.expectEveryTruncationThrows(Self.response, version: version)
    }

    @Test("operations carry Kafka's OpType ids and names") func operationNames() {
        #expect([Operation.set, .delete, .append, .subtract].map(\.rawValue) == [0, 1, 2, 3])
        #expect(
            [Operation.set, .delete, .append, .subtract, Operation(rawValue: 9)].map(\.description)
                == ["SET", "DELETE", "APPEND", "SUBTRACT", "OpType(9)"])
    }

    @Test("v0 request bytes built from the schema decode and re-encode exactly")
    func fixtureV0Request() throws {
        let bytes: [UInt8] =
            [0x00, 0x00, 0x00, 0x01]  // resources: count 1
            + [0x02]  // resource_type TOPIC
            + [0x00, 0x01, 0x74]  // resource_name "t"
            + [0x00, 0x00, 0x00, 0x01]  // configs: count 1
            + [0x00, 0x01, 0x61]  // name "a"
            + [0x01]  // config_operation DELETE
            + [0xFF, 0xFF]  // value: null
            + [0x01]  // validate_only true
        let expected = IncrementalAlterConfigsRequest(
            resources: [
                .init(
                    resourceType: 2, resourceName: "t",
                    configs: [.init(name: "a", configOperation: .delete, value: nil)])
            ], validateOnly: true)
        #expect(
            try CodecChecks.decode(IncrementalAlterConfigsRequest.self, bytes, version: 0)
                == expected)
        #expect(CodecChecks.encode(expected, version: 0) == bytes)
    }

    @Test("v1 request bytes built from the schema decode and re-encode exactly")
    func fixtureV1Request() throws {
        let bytes: [UInt8] =
            [0x02]  // resources: compact count 1
            + [0x04]  // resource_type BROKER
            + [0x02, 0x31]  // resource_name "1"
            + [0x02]  // configs: compact count 1
            + [0x02, 0x61]  // name "a"
            + [0x02]  // config_operation APPEND
            + [0x02, 0x62]  // value "b"
            + [0x00]  // config tagged fields
            + [0x00]  // resource tagged fields
            + [0x00]  // validate_only false
            + [0x00]  // tagged fields
        let expected = IncrementalAlterConfigsRequest(resources: [
            .init(
                resourceType: 4, resourceName: "1",
                configs: [.init(name: "a", configOperation: .append, value: "b")])
        ])
        #expect(
            try CodecChecks.decode(IncrementalAlterConfigsRequest.self, bytes, version: 1)
                == expected)
        #expect(CodecChecks.encode(expected, version: 1) == bytes)
    }

    @Test("v0 response bytes built from the schema decode and re-encode exactly")
    func fixtureV0Response() throws {
        let bytes: [UInt8] =
            [0x00, 0x00, 0x00, 0x00]  // throttle_time_ms 0
            + [0x00, 0x00, 0x00, 0x01]  // responses: count 1
            + [0x00, 0x2C]  // error_code POLICY_VIOLATION
            + [0x00, 0x01, 0x6D]  // error_message "m"
            + [0x02]  // resource_type TOPIC
            + [0x00, 0x01, 0x74]  // resource_name "t"
        let expected = IncrementalAlterConfigsResponse(responses: [
            .init(
                errorCode: .policyViolation, errorMessage: "m", resourceType: 2, resourceName: "t")
        ])
        #expect(
            try CodecChecks.decode(IncrementalAlterConfigsResponse.self, bytes, version: 0)
                == expected)
        #expect(CodecChecks.encode(expected, version: 0) == bytes)
    }

    @Test("v1 response bytes built from the schema decode and re-encode exactly")
    func fixtureV1Response() throws {
        let bytes: [UInt8] =
            [0x00, 0x00, 0x00, 0x00]  // throttle_time_ms 0
            + [0x02]  // responses: compact count 1
            + [0x00, 0x00]  // error_code NONE
            + [0x00]  // error_message: compact null
            + [0x04]  // resource_type BROKER
            + [0x02, 0x31]  // resource_name "1"
            + [0x00]  // response tagged fields
            + [0x00]  // tagged fields
        let expected = IncrementalAlterConfigsResponse(responses: [
            .init(resourceType: 4, resourceName: "1")
        ])
        #expect(
            try CodecChecks.decode(IncrementalAlterConfigsResponse.self, bytes, version: 1)
                == expected)
        #expect(CodecChecks.encode(expected, version: 1) == bytes)
    }

    @Test("a forged resource count of 0x7fffffff throws without allocating") func hugeCount() {
        #expect(throws: DecodeError.self) {
            _ = try CodecChecks.decode(
                IncrementalAlterConfigsRequest.self, [0x7F, 0xFF, 0xFF, 0xFF, 0x00], version: 0)
        }
        #expect(throws: DecodeError.self) {
            _ = try CodecChecks.decode(
                IncrementalAlterConfigsRequest.self, [0x80, 0x80, 0x80, 0x80, 0x08, 0x00, 0x00],
                version: 1)
        }
        #expect(throws: DecodeError.self) {
            _ = try CodecChecks.decode(
                IncrementalAlterConfigsResponse.self,
                [0x00, 0x00, 0x00, 0x00, 0x80, 0x80, 0x80, 0x80, 0x08, 0x00], version: 1)
        }
    }

    @Test("seeded random bytes never trap") func randomBytes() {
        CodecChecks.feedRandomBytes(IncrementalAlterConfigsRequest.self)
    }
}
