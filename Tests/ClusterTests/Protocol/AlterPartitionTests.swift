// Protocol tests: AlterPartition (key 56). Goal: versions 2-3 round-trip (new_isr at v2,
// new_isr_with_epochs at v3), bytes written out by hand from the JSON schemas decode and
// re-encode exactly, and broken bytes only ever throw.

import NIOCore
import Testing

@testable import Cluster

@Suite struct AlterPartitionTests {
    static func request(version: Int16) -> AlterPartitionRequest {
        AlterPartitionRequest(
            brokerId: 1, brokerEpoch: 40,
            topics: [
                .init(
                    topicId: CodecChecks.sampleTopicId,
                    partitions: [
                        .init(
                            partitionIndex: 0, leaderEpoch: 3,
                            newIsr: version == 2 ? [1, 2] : [],
                            newIsrWithEpochs: version >= 3
                                ? [.init(brokerId: 1, brokerEpoch: 40), .init(brokerId: 2)] : [],
                            leaderRecoveryState: 1, partitionEpoch: 7)
                    ])
            ])
    }

    static let response = AlterPartitionResponse(
        throttleTimeMs: 5,
        topics: [
            .init(
                topicId: CodecChecks.sampleTopicId,
                partitions: [
                    .init(
                        partitionIndex: 0, leaderId: 1, leaderEpoch: 3, isr: [1, 2],
                        partitionEpoch: 8),
                    .init(partitionIndex: 1, errorCode: ErrorCode(rawValue: 107)),
                ])
        ])

    @Test(
        "every version round-trips request and response", arguments: AlterPartitionRequest.versions)
    func roundTrip(version: Int16) throws {
        try CodecChecks.expectRoundTrip(Self.request(version: version), version: version)
        try CodecChecks.expectRoundTrip(Self.response, version: version)
        try CodecChecks.expectRoundTrip(AlterPartitionRequest(brokerId: 0), version: version)
        try CodecChecks.expectRoundTrip(AlterPartitionResponse(), version: version)
    }

    @Test("every truncation throws a DecodeError", arguments: AlterPartitionRequest.versions)
    func truncations(version: Int16) {
        CodecChecks.expectEveryTruncationThrows(Self.request(version: version), version: version)
        CodecChecks.expectEveryTruncationThrows(Self.response, version: version)
    }

    @Test("Kafka 4.0 dropped v0 and v1: we start at v2, where topics are named by id")
    func versionRange() {
        #expect(AlterPartitionRequest.versions == 2...3)
        #expect(AlterPartitionRequest.isFlexible(2))
    }

    /// The bytes of both versions share everything but the ISR field.
    static func requestBytes(isr: [UInt8]) -> [UInt8] {
        [0x00, 0x00, 0x00, 0x01]  // broker_id 1
            + [0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x28]  // broker_epoch 40
            + [0x02]  // topics: compact count 1
            + CodecChecks.sampleTopicIdBytes  // topic_id
            + [0x02]  // partitions: compact count 1
            + [0x00, 0x00, 0x00, 0x00]  // partition_index 0
            + [0x00, 0x00, 0x00, 0x03]  // leader_epoch 3
            + isr
            + [0x00]  // leader_recovery_state 0
            + [0x00, 0x00, 0x00, 0x07]  // partition_epoch 7
            + [0x00, 0x00, 0x00]  // partition, topic and top-level tagged fields
    }

    @Test("v2 and v3 request bytes built from the schema decode and re-encode exactly")
    func fixtureRequests() throws {
        let v2 = Self.requestBytes(
            isr: [0x03]  // new_isr: compact count 2
                + [0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x02])  //   1, 2
        let v3 = Self.requestBytes(
            isr: [0x02]  // new_isr_with_epochs: compact count 1
                + [0x00, 0x00, 0x00, 0x02]  //   broker_id 2
                + [0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x29]  //   broker_epoch 41
                + [0x00])  //   broker tagged fields
        func partition(_ isr: [Int32], _ withEpochs: [AlterPartitionRequest.BrokerState])
            -> AlterPartitionRequest
        {
            AlterPartitionRequest(
                brokerId: 1, brokerEpoch: 40,
                topics: [
                    .init(
                        topicId: CodecChecks.sampleTopicId,
                        partitions: [
                            .init(
                                partitionIndex: 0, leaderEpoch: 3, newIsr: isr,
                                newIsrWithEpochs: withEpochs, partitionEpoch: 7)
                        ])
                ])
        }
        let expected2 = partition([1, 2], [])
        let expected3 = partition([], [.init(brokerId: 2, brokerEpoch: 41)])
        #expect(try CodecChecks.decode(AlterPartitionRequest.self, v2, version: 2) == expected2)
        #expect(CodecChecks.encode(expected2, version: 2) == v2)
        #expect(try CodecChecks.decode(AlterPartitionRequest.self, v3, version: 3) == expected3)
        #expect(CodecChecks.encode(expected3, version: 3) == v3)
        let decoded = try #require(expected3.topics.first?.partitions.first)
        #expect(decoded.isrBrokerIds(version: 3) == [2])
        #expect(expected2.topics.first?.partitions.first?.isrBrokerIds(version: 2) == [1, 2])
    }

    @Test("response bytes built from the schema decode and re-encode exactly")
    func fixtureResponse() throws {
        let bytes: [UInt8] =
            [0x00, 0x00, 0x00, 0x00]  // throttle_time_ms 0
            + [0x00, 0x00]  // error_code NONE
            + [0x02]  // topics: compact count 1
            + CodecChecks.sampleTopicIdBytes  // topic_id
            + [0x02]  // partitions: compact count 1
            + [0x00, 0x00, 0x00, 0x00]  // partition_index 0
            + [0x00, 0x00]  // error_code NONE
            + [0x00, 0x00, 0x00, 0x01]  // leader_id 1
            + [0x00, 0x00, 0x00, 0x03]  // leader_epoch 3
            + [0x03, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x02]  // isr: [1, 2]
            + [0x00]  // leader_recovery_state 0
            + [0x00, 0x00, 0x00, 0x08]  // partition_epoch 8
            + [0x00, 0x00, 0x00]  // partition, topic and top-level tagged fields
        let expected = AlterPartitionResponse(topics: [
            .init(
                topicId: CodecChecks.sampleTopicId,
                partitions: [
                    .init(
                        partitionIndex: 0, leaderId: 1, leaderEpoch: 3, isr: [1, 2],
                        partitionEpoch: 8)
                ])
        ])
        for version in AlterPartitionRequest.versions {
            #expect(
                try CodecChecks.decode(AlterPartitionResponse.self, bytes, version: version)
                    == expected)
            #expect(CodecChecks.encode(expected, version: version) == bytes)
        }
    }

    @Test("a forged ISR count of 0x7fffffff throws without allocating") func hugeCount() {
        var bytes = Self.requestBytes(isr: [0x80, 0x80, 0x80, 0x80, 0x08])
        bytes.append(contentsOf: [UInt8](repeating: 0, count: 8))
        #expect(throws: DecodeError.self) {
            _ = try CodecChecks.decode(AlterPartitionRequest.self, bytes, version: 2)
        }
    }

    @Test("seeded random bytes never trap") func randomBytes() {
        CodecChecks.feedRandomBytes(AlterPartitionRequest.self)
    }
}
