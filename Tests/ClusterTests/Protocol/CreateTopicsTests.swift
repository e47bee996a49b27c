// Protocol tests: CreateTopics (key 19). Goal: every version 2-7 round-trips, hand-built
// bytes from the JSON schema decode and re-encode exactly, and broken bytes only ever throw.

import NIOCore
import Testing

@testable import Cluster

@Suite struct CreateTopicsTests {
    static func request(version: Int16) -> CreateTopicsRequest {
        CreateTopicsRequest(
            topics: [
                .init(
                    name: "orders", numPartitions: 3, replicationFactor: 2,
                    configs: [
                        .init(name: "cleanup.policy", value: "compact"),
                        .init(name: "x", value: nil),
                    ]),
                .init(
                    name: "by-hand",
                    assignments: [
                        .init(partitionIndex: 0, brokerIds: [1, 2]),
                        .init(partitionIndex: 1, brokerIds: []),
                    ]),
            ], timeoutMs: 5_000, validateOnly: true)
    }

    static func response(version: Int16) -> CreateTopicsResponse {
        CreateTopicsResponse(
            throttleTimeMs: 3,
            topics: [
                .init(
                    name: "orders", topicId: version >= 7 ? CodecChecks.sampleTopicId : .zero,
                    numPartitions: version >= 5 ? 3 : -1, replicationFactor: version >= 5 ? 2 : -1,
                    configs: version >= 5
                        ? [
                            .init(
                                name: "cleanup.policy", value: "compact", readOnly: false,
                                configSource: 1, isSensitive: false),
                            .init(
                                name: "secret", value: nil, readOnly: true, configSource: 5,
                                isSensitive: true),
                        ] : []),
                .init(
                    name: "taken", errorCode: .topicAlreadyExists,
                    errorMessage: "Topic 'taken' already exists.",
                    topicConfigErrorCode: version >= 5 ? .topicAuthorizationFailed : .none,
                    configs: version >= 5 ? nil : []),
            ])
    }

    @Test("every version round-trips request and response", arguments: CreateTopicsRequest.versions)
    func roundTrip(version: Int16) throws {
        try CodecChecks.expectRoundTrip(Self.request(version: version), version: version)
        try CodecChecks.expectRoundTrip(Self.response(version: version), version: version)
        try CodecChecks.expectRoundTrip(CreateTopicsRequest(), version: version)
        try CodecChecks.expectRoundTrip(CreateTopicsResponse(), version: version)
    }

    @Test("every truncation throws a DecodeError", arguments: CreateTopicsRequest.versions)
    func truncations(version: Int16) {
        CodecChecks.expectEveryTruncationThrows(Self.request(version: version), version: version)
        CodecChecks.expectEveryTruncationThrows(Self.response(version: version), version: version)
    }

    @Test("v2 request bytes built from the schema decode and re-encode exactly")
    func fixtureV2Request() throws {
        let bytes: [UInt8] =
            [0x00, 0x00, 0x00, 0x01]  // topics: count 1
            + [0x00, 0x01, 0x74]  // name "t"
            + [0x00, 0x00, 0x00, 0x03]  // num_partitions 3
            + [0x00, 0x01]  // replication_factor 1
            + [0x00, 0x00, 0x00, 0x00]  // assignments: count 0
            + [0x00, 0x00, 0x00, 0x01]  // configs: count 1
            + [0x00, 0x01, 0x61]  // name "a"
            + [0xFF, 0xFF]  // value: null
            + [0x00, 0x00, 0xEA, 0x60]  // timeout_ms 60000
            + [0x01]  // validate_only true
        let expected = CreateTopicsRequest(
            topics: [
                .init(
                    name: "t", numPartitions: 3, replicationFactor: 1,
                    configs: [.init(name: "a", value: nil)])
            ], validateOnly: true)
        #expect(try CodecChecks.decode(CreateTopicsRequest.self, bytes, version: 2) == expected)
        #expect(CodecChecks.encode(expected, version: 2) == bytes)
    }

    @Test("v5 request bytes built from the schema decode and re-encode exactly")
    func fixtureV5Request() throws {
        let bytes: [UInt8] =
            [0x02]  // topics: compact count 1
            + [0x02, 0x74]  // name "t"
            + [0xFF, 0xFF, 0xFF, 0xFF]  // num_partitions -1 (assignments given)
            + [0xFF, 0xFF]  // replication_factor -1
            + [0x02]  // assignments: compact count 1
            + [0x00, 0x00, 0x00, 0x00]  // partition_index 0
            + [0x03, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x02]  // broker_ids [1, 2]
            + [0x00]  // assignment tagged fields
            + [0x01]  // configs: compact count 0
            + [0x00]  // topic tagged fields
            + [0x00, 0x00, 0xEA, 0x60]  // timeout_ms 60000
            + [0x00]  // validate_only false
            + [0x00]  // tagged fields
        let expected = CreateTopicsRequest(topics: [
            .init(name: "t", assignments: [.init(partitionIndex: 0, brokerIds: [1, 2])])
        ])
        #expect(try CodecChecks.decode(CreateTopicsRequest.self, bytes, version: 5) == expected)
        #expect(CodecChecks.encode(expected, version: 5) == bytes)
    }

    @Test("v7 response bytes with a tagged topic_config_error_code decode and re-encode exactly")
    func fixtureV7Response() throws {
        let bytes: [UInt8] =
            [0x00, 0x00, 0x00, 0x00]  // throttle_time_ms 0
            + [0x02]  // topics: compact count 1
            + [0x02, 0x74]  // name "t"
            + CodecChecks.sampleTopicIdBytes  // topic_id
            + [0x00, 0x00]  // error_code NONE
            + [0x00]  // error_message: compact null
            + [0x00, 0x00, 0x00, 0x03]  // num_partitions 3
            + [0x00, 0x01]  // replication_factor 1
            + [0x00]  // configs: compact null
            + [0x01, 0x00, 0x02]  // tagged: 1 field, tag 0 (topic_config_error_code), size 2
            + [0x00, 0x1D]  //   TOPIC_AUTHORIZATION_FAILED
            + [0x00]  // tagged fields
        let expected = CreateTopicsResponse(topics: [
            .init(
                name: "t", topicId: CodecChecks.sampleTopicId,
                topicConfigErrorCode: .topicAuthorizationFailed, numPartitions: 3,
                replicationFactor: 1, configs: nil)
        ])
        #expect(try CodecChecks.decode(CreateTopicsResponse.self, bytes, version: 7) == expected)
        #expect(CodecChecks.encode(expected, version: 7) == bytes)
    }

    @Test("a forged topic count of 0x7fffffff throws without allocating") func hugeCount() {
        #expect(throws: DecodeError.self) {
            _ = try CodecChecks.decode(
                CreateTopicsRequest.self, [0x7F, 0xFF, 0xFF, 0xFF, 0x00], version: 2)
        }
        #expect(throws: DecodeError.self) {
            _ = try CodecChecks.decode(
                CreateTopicsRequest.self, [0x80, 0x80, 0x80, 0x80, 0x08, 0x00], version: 5)
        }
    }

    @Test("seeded random bytes never trap") func randomBytes() {
        CodecChecks.feedRandomBytes(CreateTopicsRequest.self)
    }
}
