// Broker tests: adopting metadata images. Goal: a broker never goes back to an older image,
// because an older image lacks the topics created since and applying it deletes their logs.
// Method: a broker on a MemoryFileSystem given images N+1 and N out of order.

import Testing

@testable import Cluster

@Suite struct BrokerImageTests {
    static let topicId = CodecChecks.sampleTopicId

    /// Image N registers broker 1; image N+1 adds topic "orders" with one partition on it.
    static func images() -> (older: MetadataImage, newer: MetadataImage) {
        var image = MetadataImage()
        image.replay(
            .registerBroker(
                RegisterBrokerRecord(
                    brokerId: 1, incarnationId: .zero, brokerEpoch: 0, host: "127.0.0.1",
                    port: 9092, rack: nil,
                    fenced: false, inControlledShutdown: false)))
        let older = image
        image.replay(.topic(TopicRecord(name: "orders", topicId: topicId)))
        image.replay(
            .partition(
                PartitionRecord(
                    partitionId: 0, topicId: topicId, replicas: [1], isr: [1], leader: 1,
                    leaderEpoch: 0, partitionEpoch: 0)))
        return (older, image)
    }

    @Test("an image older than the one held is ignored, so the topic's log survives")
    func olderImageIgnored() {
        let (older, newer) = Self.images()
        var broker = Broker(
            identity: BrokerIdentity(
                nodeID: NodeID(1), clusterID: "c", host: "127.0.0.1", port: 9092))
        let tp = TopicPartition(topic: "orders", partition: 0)
        broker.apply(image: newer, now: .zero, wallClockMs: 0)
        #expect(broker.logs[tp] != nil)
        broker.apply(image: older, now: .zero, wallClockMs: 0)
        #expect(broker.logs[tp] != nil)
        #expect(broker.image.offset == newer.offset)
        #expect(!broker.notices.contains { $0.contains("deleted the log") })
    }

    @Test("a newer image without the topic still deletes its log")
    func newerRemovalApplies() {
        let (_, newer) = Self.images()
        var removed = newer
        removed.replay(.removeTopic(RemoveTopicRecord(topicId: Self.topicId)))
        var broker = Broker(
            identity: BrokerIdentity(
                nodeID: NodeID(1), clusterID: "c", host: "127.0.0.1", port: 9092))
        broker.apply(image: newer, now: .zero, wallClockMs: 0)
        broker.apply(image: removed, now: .zero, wallClockMs: 0)
        #expect(broker.logs.isEmpty && broker.image.offset == removed.offset)
    }
}
