// Protocol tests: the consumer protocol's subscription and assignment bytes. Goal: Kafka's
// layout for each version (fixtures), round trips, and newer versions read with our layout.

import NIOCore
import Testing

@testable import Cluster

@Suite struct ConsumerProtocolTests {
    typealias B = Bytes

    @Test("a v3 subscription matches ConsumerProtocolSubscription.json")
    func subscriptionFixture() throws {
        let subscription = ConsumerProtocolSubscription(
            topics: ["a", "b"], userData: nil,
            ownedPartitions: [.init(topic: "a", partitions: [0, 2])],
            generationId: 4, rackId: "r1")
        let bytes =
            B.i16(3) + B.count(2) + B.str("a") + B.str("b") + B.i32(-1) + B.count(1) + B.str("a")
            + B.count(2) + B.i32(0)
            + B.i32(2) + B.i32(4) + B.str("r1")
        #expect(Array(subscription.encoded().readableBytesView) == bytes)
        #expect(try ConsumerProtocolSubscription(decoding: buffer(bytes)) == subscription)
        #expect(try ConsumerProtocolSubscription.topics(in: buffer(bytes)) == ["a", "b"])
    }

    @Test("subscriptions round-trip at every version", arguments: Int16(0)...3)
    func subscriptionVersions(version: Int16) throws {
        let full = ConsumerProtocolSubscription(
            topics: ["orders"], userData: buffer([9]),
            ownedPartitions: [.init(topic: "orders", partitions: [1])],
            generationId: 2, rackId: "r")
        let expected = ConsumerProtocolSubscription(
            topics: ["orders"], userData: buffer([9]),
            ownedPartitions: version >= 1 ? full.ownedPartitions : [],
            generationId: version >= 2 ? 2 : -1, rackId: version >= 3 ? "r" : nil)
        #expect(
            try ConsumerProtocolSubscription(decoding: full.encoded(version: version)) == expected)
    }

    @Test("a newer subscription version is read with our layout, ignoring what follows")
    func newerSubscription() throws {
        let bytes =
            B.i16(7) + B.count(1) + B.str("a") + B.i32(-1) + B.count(0) + B.i32(1) + B.nullString
            + [0xAA, 0xBB]
        let decoded = try ConsumerProtocolSubscription(decoding: buffer(bytes))
        #expect(decoded.topics == ["a"] && decoded.generationId == 1)
    }

    @Test("an assignment matches ConsumerProtocolAssignment.json and round-trips")
    func assignmentFixture() throws {
        let assignment = ConsumerProtocolAssignment(assignedPartitions: [
            .init(topic: "t", partitions: [0, 1])
        ])
        let bytes =
            B.i16(3) + B.count(1) + B.str("t") + B.count(2) + B.i32(0) + B.i32(1) + B.i32(-1)
        #expect(Array(assignment.encoded().readableBytesView) == bytes)
        #expect(try ConsumerProtocolAssignment(decoding: buffer(bytes)) == assignment)
        #expect(
            try ConsumerProtocolAssignment(decoding: assignment.encoded(version: 0)) == assignment)
    }

    @Test("truncated or negative-version consumer protocol bytes are errors")
    func malformed() {
        #expect(throws: DecodeError.self) {
            try ConsumerProtocolSubscription(decoding: buffer(B.i16(-1)))
        }
        #expect(throws: DecodeError.self) {
            try ConsumerProtocolSubscription(decoding: buffer(B.i16(0) + B.count(1)))
        }
        #expect(throws: DecodeError.self) {
            try ConsumerProtocolAssignment(decoding: buffer([0x00]))
        }
    }
}
