// Client tests: the metadata cache. Goal: leaders, topic ids and brokers follow each
// Metadata answer; a partial answer updates only the topics it was asked about.

import Testing

@testable import Cluster

@Suite struct MetadataCacheTests {
    static let orders = Uuid(mostSignificantBits: 1, leastSignificantBits: 2)
    static let payments = Uuid(mostSignificantBits: 3, leastSignificantBits: 4)

    static func response(
        topics: [MetadataResponse.Topic], brokers: [Int32] = [1, 2, 3], controller: Int32 = 2
    ) -> MetadataResponse {
        MetadataResponse(
            brokers: brokers.map {
                MetadataResponse.Broker(nodeId: $0, host: "127.0.0.1", port: 9000 + $0)
            },
            clusterId: "cluster-a", controllerId: controller, topics: topics)
    }

    static func topic(_ name: String, id: Uuid, leaders: [Int32]) -> MetadataResponse.Topic {
        MetadataResponse.Topic(
            name: name, topicId: id,
            partitions: leaders.enumerated().reversed().map { index, leader in
                MetadataResponse.Partition(
                    partitionIndex: Int32(index), leaderId: leader, leaderEpoch: 7,
                    replicaNodes: [leader, 3], isrNodes: [leader])
            })
    }

    @Test("an answer fills brokers, controller, cluster id, leaders and topic ids")
    func fills() throws {
        var cache = MetadataCache()
        #expect(cache.needsRefresh(now: .zero, maxAge: .seconds(300)))
        cache.update(
            with: Self.response(topics: [
                Self.topic("orders", id: Self.orders, leaders: [1, 2, -1])
            ]),
            requested: ["orders"], now: Instant(nanoseconds: 5))
        #expect(cache.brokerIds == [1, 2, 3])
        #expect(cache.brokers[2]?.address == "127.0.0.1:9002")
        #expect(cache.controllerId == 2)
        #expect(cache.clusterId == "cluster-a")
        let topic = try #require(cache.topic("orders"))
        #expect(topic.partitions.map(\.partition) == [0, 1, 2])
        #expect(topic.topicId == Self.orders)
        #expect(cache.topicName(id: Self.orders) == "orders")
        #expect(cache.leader(for: TopicPartition("orders", 1)) == 2)
        #expect(cache.leader(for: TopicPartition("orders", 2)) == nil)
        #expect(cache.leaderEpoch(for: TopicPartition("orders", 0)) == 7)
        #expect(cache.availablePartitions("orders") == [0, 1])
        #expect(cache.partitionCount("orders") == 3)
        #expect(!cache.needsRefresh(now: Instant(nanoseconds: 6), maxAge: .seconds(300)))
    }

    @Test("a partial answer keeps other topics; an all-topics answer replaces them")
    func partialAndFull() {
        var cache = MetadataCache()
        cache.update(
            with: Self.response(topics: [
                Self.topic("orders", id: Self.orders, leaders: [1]),
                Self.topic("payments", id: Self.payments, leaders: [2]),
            ]), requested: nil, now: .zero)
        cache.update(
            with: Self.response(topics: [Self.topic("orders", id: Self.orders, leaders: [3])]),
            requested: ["orders"], now: .zero)
        #expect(cache.leader(for: TopicPartition("orders", 0)) == 3)
        #expect(cache.leader(for: TopicPartition("payments", 0)) == 2)
        cache.update(
            with: Self.response(topics: [Self.topic("orders", id: Self.orders, leaders: [3])]),
            requested: nil, now: .zero)
        #expect(cache.topic("payments") == nil)
        #expect(cache.topicNames(includeInternal: false) == ["orders"])
    }

    @Test("an unknown topic is dropped and its error kept")
    func unknown() {
        var cache = MetadataCache()
        cache.update(
            with: Self.response(topics: [Self.topic("orders", id: Self.orders, leaders: [1])]),
            requested: ["orders"], now: .zero)
        cache.update(
            with: Self.response(topics: [
                MetadataResponse.Topic(errorCode: .unknownTopicOrPartition, name: "orders")
            ]), requested: ["orders"], now: .zero)
        #expect(cache.topic("orders") == nil)
        #expect(cache.topicErrors["orders"] == .unknownTopicOrPartition)
    }

    @Test("a leader on a broker missing from the answer is not routable")
    func leaderNotInBrokers() {
        var cache = MetadataCache()
        cache.update(
            with: Self.response(
                topics: [Self.topic("orders", id: Self.orders, leaders: [4])], brokers: [1, 2]),
            requested: ["orders"], now: .zero)
        #expect(cache.leader(for: TopicPartition("orders", 0)) == nil)
        #expect(cache.availablePartitions("orders").isEmpty)
    }

    @Test("marking stale and age both ask for a refresh")
    func staleness() {
        var cache = MetadataCache()
        cache.update(with: Self.response(topics: []), requested: [], now: .zero)
        #expect(!cache.needsRefresh(now: Instant(nanoseconds: 1_000), maxAge: .seconds(1)))
        #expect(cache.needsRefresh(now: .zero + .seconds(1), maxAge: .seconds(1)))
        cache.markStale()
        #expect(cache.needsRefresh(now: .zero, maxAge: .seconds(1)))
    }
}
