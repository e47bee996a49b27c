// Protocol tests: ElectLeaders (key 43). Goal: every version 0-2 round-trips (a null partition
// list kept apart from an empty one), bytes kafka-python 3.0.12 encodes from Kafka's JSON
// schema decode and re-encode exactly, and broken bytes only ever throw.

import NIOCore
import Testing

@testable import Cluster

@Suite struct ElectLeadersTests {
    static func request(version: Int16) -> ElectLeadersRequest {
        ElectLeadersRequest(
            electionType: version >= 1 ? .unclean : .preferred,
            topicPartitions: [
                .init(topic: "orders", partitions: [0, 2]), .init(topic: "empty", partitions: []),
            ], timeoutMs: 15_000)
    }

    static func response(version: Int16) -> ElectLeadersResponse {
        ElectLeadersResponse(
            throttleTimeMs: 4, errorCode: version >= 1 ? .notController : .none,
            replicaElectionResults: [
                .init(
                    topic: "orders",
                    partitionResult: [
                        .init(partitionId: 0),
                        .init(
                            partitionId: 2, errorCode: .preferredLeaderNotAvailable,
                            errorMessage: "The preferred leader was not available."),
                    ]),
                .init(topic: "quiet"),
            ])
    }

    @Test("every version round-trips request and response", arguments: ElectLeadersRequest.versions)
    func roundTrip(version: Int16) throws {
        try CodecChecks.expectRoundTrip(Self.request(version: version), version: version)
        try CodecChecks.expectRoundTrip(Self.response(version: version), version: version)
        try CodecChecks.expectRoundTrip(ElectLeadersRequest(), version: version)
        try CodecChecks.expectRoundTrip(
            ElectLeadersRequest(topicPartitions: []), version: version)
        try CodecChecks.expectRoundTrip(ElectLeadersResponse(), version: version)
    }

    @Test("a null partition list (every partition) stays apart from an empty one")
    func nullIsNotEmpty() throws {
        for version in ElectLeadersRequest.versions {
            let all = try CodecChecks.decode(
                ElectLeadersRequest.self,
                CodecChecks.encode(ElectLeadersRequest(), version: version),
                version: version)
            let none = try CodecChecks.decode(
                ElectLeadersRequest.self,
                CodecChecks.encode(ElectLeadersRequest(topicPartitions: []), version: version),
                version: version)
            #expect(all.topicPartitions == nil && none.topicPartitions == [], "v\(version)")
        }
    }

    @Test("v0 has no election type: it always asks for PREFERRED")
    func v0IsPreferred() throws {
        let bytes = CodecChecks.encode(ElectLeadersRequest(electionType: .unclean), version: 0)
        #expect(
            try CodecChecks.decode(ElectLeadersRequest.self, bytes, version: 0).electionType
                == .preferred)
    }

    @Test("every truncation throws a DecodeError", arguments: ElectLeadersRequest.versions)
    func truncations(version: Int16) {
        CodecChecks.expectEveryTruncationThrows(Self.request(version: version), version: version)
        CodecChecks.expectEveryTruncationThrows(Self.response(version: version), version: version)
    }

    // MARK: - Bytes from kafka-python 3.0.12 (its encoder is generated from Kafka's JSON schemas)

    @Test("kafka-python's v2 request decodes and re-encodes exactly")
    func kafkaPythonV2Request() throws {
        let bytes: [UInt8] =
            [0x01]  // election_type UNCLEAN
            + [0x02]  // topic_partitions: compact count 1
            + [0x07, 0x6F, 0x72, 0x64, 0x65, 0x72, 0x73]  // topic "orders"
            + [0x03, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02]  // partitions [0, 2]
            + [0x00]  // topic tagged fields
            + [0x00, 0x00, 0x75, 0x30]  // timeout_ms 30000
            + [0x00]  // tagged fields
        let expected = ElectLeadersRequest(
            electionType: .unclean, topicPartitions: [.init(topic: "orders", partitions: [0, 2])],
            timeoutMs: 30_000)
        #expect(try CodecChecks.decode(ElectLeadersRequest.self, bytes, version: 2) == expected)
        #expect(CodecChecks.encode(expected, version: 2) == bytes)
    }

    @Test("kafka-python's v2 request for every partition carries a null list")
    func kafkaPythonV2AllPartitions() throws {
        let bytes: [UInt8] =
            [0x00]  // election_type PREFERRED
            + [0x00]  // topic_partitions: null
            + [0x00, 0x00, 0xEA, 0x60]  // timeout_ms 60000
            + [0x00]  // tagged fields
        #expect(
            try CodecChecks.decode(ElectLeadersRequest.self, bytes, version: 2)
                == ElectLeadersRequest())
        #expect(CodecChecks.encode(ElectLeadersRequest(), version: 2) == bytes)
    }

    @Test("kafka-python's v1 and v0 requests decode and re-encode exactly")
    func kafkaPythonV1AndV0Requests() throws {
        let v1: [UInt8] =
            [0x01]  // election_type UNCLEAN
            + [0x00, 0x00, 0x00, 0x01]  // topic_partitions: count 1
            + [0x00, 0x06, 0x6F, 0x72, 0x64, 0x65, 0x72, 0x73]  // topic "orders"
            + [0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01]  // partitions [1]
            + [0x00, 0x00, 0x75, 0x30]  // timeout_ms 30000
        let expectedV1 = ElectLeadersRequest(
            electionType: .unclean, topicPartitions: [.init(topic: "orders", partitions: [1])],
            timeoutMs: 30_000)
        #expect(try CodecChecks.decode(ElectLeadersRequest.self, v1, version: 1) == expectedV1)
        #expect(CodecChecks.encode(expectedV1, version: 1) == v1)
        let v0: [UInt8] =
            [0x00, 0x00, 0x00, 0x01]  // topic_partitions: count 1
            + [0x00, 0x01, 0x74]  // topic "t"
            + [0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00]  // partitions [0]
            + [0x00, 0x00, 0xEA, 0x60]  // timeout_ms 60000
        let expectedV0 = ElectLeadersRequest(topicPartitions: [.init(topic: "t", partitions: [0])])
        #expect(try CodecChecks.decode(ElectLeadersRequest.self, v0, version: 0) == expectedV0)
        #expect(CodecChecks.encode(expectedV0, version: 0) == v0)
    }

    @Test("kafka-python's v2 and v1 responses decode and re-encode exactly")
    func kafkaPythonResponses() throws {
        let message = "Leader election not needed for topic partition."
        let v2: [UInt8] =
            [0x00, 0x00, 0x00, 0x00]  // throttle_time_ms 0
            + [0x00, 0x00]  // error_code NONE
            + [0x02]  // replica_election_results: compact count 1
            + [0x07, 0x6F, 0x72, 0x64, 0x65, 0x72, 0x73]  // topic "orders"
            + [0x03]  // partition_result: compact count 2
            + [0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00]  // [0] id 0, NONE, message null
            + [0x00]  // [0] tagged fields
            + [0x00, 0x00, 0x00, 0x01, 0x00, 0x54]  // [1] id 1, ELECTION_NOT_NEEDED (84)
            + [0x30] + Array(message.utf8)  // [1] message, compact length 47 + 1
            + [0x00]  // [1] tagged fields
            + [0x00]  // result tagged fields
            + [0x00]  // tagged fields
        let expectedV2 = ElectLeadersResponse(replicaElectionResults: [
            .init(
                topic: "orders",
                partitionResult: [
                    .init(partitionId: 0),
                    .init(partitionId: 1, errorCode: .electionNotNeeded, errorMessage: message),
                ])
        ])
        #expect(try CodecChecks.decode(ElectLeadersResponse.self, v2, version: 2) == expectedV2)
        #expect(CodecChecks.encode(expectedV2, version: 2) == v2)
        let v1: [UInt8] =
            [0x00, 0x00, 0x00, 0x00]  // throttle_time_ms 0
            + [0x00, 0x00]  // error_code NONE
            + [0x00, 0x00, 0x00, 0x01]  // replica_election_results: count 1
            + [0x00, 0x01, 0x74]  // topic "t"
            + [0x00, 0x00, 0x00, 0x01]  // partition_result: count 1
            + [0x00, 0x00, 0x00, 0x00, 0x00, 0x50]  // id 0, PREFERRED_LEADER_NOT_AVAILABLE (80)
            + [0xFF, 0xFF]  // error_message null
        let expectedV1 = ElectLeadersResponse(replicaElectionResults: [
            .init(
                topic: "t",
                partitionResult: [.init(partitionId: 0, errorCode: .preferredLeaderNotAvailable)])
        ])
        #expect(try CodecChecks.decode(ElectLeadersResponse.self, v1, version: 1) == expectedV1)
        #expect(CodecChecks.encode(expectedV1, version: 1) == v1)
    }

    @Test("the error codes carry Kafka's names and numbers")
    func errorCodes() {
        #expect(ErrorCode.preferredLeaderNotAvailable.rawValue == 80)
        #expect(ErrorCode.preferredLeaderNotAvailable.name == "PREFERRED_LEADER_NOT_AVAILABLE")
        #expect(ErrorCode.eligibleLeadersNotAvailable.rawValue == 83)
        #expect(ErrorCode.eligibleLeadersNotAvailable.name == "ELIGIBLE_LEADERS_NOT_AVAILABLE")
        #expect(ErrorCode.electionNotNeeded.rawValue == 84)
        #expect(ErrorCode.electionNotNeeded.name == "ELECTION_NOT_NEEDED")
        #expect(
            ErrorCode.electionNotNeeded.explanation
                == "Leader election not needed for topic partition.")
        #expect(ApiKey.electLeaders.rawValue == 43 && ApiKey.electLeaders.name == "ElectLeaders")
        #expect(
            ElectionType.preferred.description == "PREFERRED" && ElectionType.unclean.rawValue == 1)
    }

    @Test("brokers advertise ElectLeaders 0-2 in ApiVersions and forward it to the controller")
    func advertised() {
        #expect(Broker.supportedVersions[.electLeaders] == 0...2)
        #expect(Broker.firstFlexibleVersions[.electLeaders] == 2)
        #expect(ControllerRequest.forwarded.contains(.electLeaders))
    }

    @Test("a forged count of 0x7fffffff throws without allocating") func hugeCount() {
        #expect(throws: DecodeError.self) {
            _ = try CodecChecks.decode(
                ElectLeadersRequest.self, [0x01, 0x7F, 0xFF, 0xFF, 0xFF, 0, 0, 0, 0], version: 1)
        }
        #expect(throws: DecodeError.self) {
            _ = try CodecChecks.decode(
                ElectLeadersResponse.self, [0, 0, 0, 0, 0, 0, 0x80, 0x80, 0x80, 0x80, 0x08],
                version: 2)
        }
    }

    @Test("seeded random bytes never trap") func randomBytes() {
        CodecChecks.feedRandomBytes(ElectLeadersRequest.self)
    }
}
