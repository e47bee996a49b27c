// Metadata tests: replaying records into a MetadataImage. Goal: the image follows Kafka's
// replay rules (broker epochs guard registration changes, PartitionChangeRecord merges as
// PartitionRegistration.merge, removal drops a topic) and records its offset. Method: replay
// short record sequences and compare the image's brokers and partitions.

import Testing

@testable import Cluster

@Suite struct MetadataImageTests {
    static let topicId = CodecChecks.sampleTopicId
    static let incarnation = Uuid(mostSignificantBits: 1, leastSignificantBits: 2)

    static func register(_ id: Int32, epoch: Int64, fenced: Bool = true) -> MetadataRecord {
        .registerBroker(
            RegisterBrokerRecord(
                brokerId: id, incarnationId: incarnation, brokerEpoch: epoch, host: "localhost",
                port: 9090 + UInt16(id),
                rack: nil, fenced: fenced, inControlledShutdown: false))
    }

    static func change(
        _ id: Int32, epoch: Int64, fenced: BrokerRegistrationFencingChange = .none,
        shutdown: BrokerRegistrationInControlledShutdownChange = .none
    ) -> MetadataRecord {
        .brokerRegistrationChange(
            BrokerRegistrationChangeRecord(
                brokerId: id, brokerEpoch: epoch, fenced: fenced, inControlledShutdown: shutdown))
    }

    /// A topic "orders" with one partition on brokers 1, 2, 3, led by 1 at epoch 0.
    static func withTopic() -> MetadataImage {
        var image = MetadataImage()
        image.replay(.topic(TopicRecord(name: "orders", topicId: topicId)))
        image.replay(
            .partition(
                PartitionRecord(
                    partitionId: 0, topicId: topicId, replicas: [1, 2, 3], isr: [1, 2, 3],
                    leader: 1, leaderEpoch: 0,
                    partitionEpoch: 0)))
        return image
    }

    @Test("a registration is fenced as written, and carries its epoch and incarnation")
    func registration() throws {
        var image = MetadataImage()
        image.replay(Self.register(1, epoch: 0), offset: 0)
        let broker = try #require(image.brokers[NodeID(1)])
        #expect(broker.fenced && !broker.inControlledShutdown)
        #expect(
            broker.epoch == 0 && broker.incarnationId == Self.incarnation && broker.port == 9091)
        #expect(image.offset == 0)
    }

    @Test("BrokerRegistrationChangeRecord unfences, fences and marks controlled shutdown")
    func fenceAndUnfence() {
        var image = MetadataImage()
        image.replay(Self.register(1, epoch: 0))
        image.replay(Self.change(1, epoch: 0, fenced: .unfence))
        #expect(image.brokers[NodeID(1)]?.fenced == false)
        image.replay(Self.change(1, epoch: 0, shutdown: .inControlledShutdown))
        #expect(image.brokers[NodeID(1)]?.inControlledShutdown == true)
        #expect(image.brokers[NodeID(1)]?.fenced == false, "a shutdown change leaves fencing alone")
        image.replay(Self.change(1, epoch: 0, fenced: .fence))
        #expect(image.brokers[NodeID(1)]?.fenced == true)
        #expect(image.offset == 3)
    }

    @Test("a change or unregistration naming an older broker epoch is ignored")
    func staleEpochIgnored() {
        var image = MetadataImage()
        image.replay(Self.register(1, epoch: 0, fenced: false))
        image.replay(Self.register(1, epoch: 1, fenced: false))  // a new incarnation at offset 1
        image.replay(Self.change(1, epoch: 0, fenced: .fence))
        #expect(image.brokers[NodeID(1)]?.fenced == false)
        image.replay(.unregisterBroker(UnregisterBrokerRecord(brokerId: 1, brokerEpoch: 0)))
        #expect(image.brokers[NodeID(1)] != nil)
        image.replay(Self.change(9, epoch: 0, fenced: .fence))  // no such broker
        #expect(image.brokers.count == 1 && image.offset == 4)
        image.replay(.unregisterBroker(UnregisterBrokerRecord(brokerId: 1, brokerEpoch: 1)))
        #expect(image.brokers.isEmpty)
    }

    @Test("a partition change merges: nil fields stay, a new leader bumps the leader epoch")
    func partitionChangeMerge() throws {
        var image = Self.withTopic()
        image.replay(
            .partitionChange(
                PartitionChangeRecord(partitionId: 0, topicId: Self.topicId, isr: [1, 2])))
        var p = try #require(image.partition("orders", 0))
        #expect(p.isr == [NodeID(1), NodeID(2)] && p.replicas.count == 3 && p.leader == NodeID(1))
        #expect(
            p.leaderEpoch == 0,
            "an ISR shrink alone does not bump the leader epoch (metadata.version 3.6+)")
        #expect(p.partitionEpoch == 1)
        image.replay(
            .partitionChange(
                PartitionChangeRecord(partitionId: 0, topicId: Self.topicId, leader: 2)))
        p = try #require(image.partition("orders", 0))
        #expect(p.leader == NodeID(2) && p.leaderEpoch == 1 && p.partitionEpoch == 2)
        #expect(p.isr == [NodeID(1), NodeID(2)])
        // The same leader again still bumps: that is how the controller forces a bump.
        image.replay(
            .partitionChange(
                PartitionChangeRecord(
                    partitionId: 0, topicId: Self.topicId, leader: 2, replicas: [2, 1],
                    leaderRecoveryState: .recovering,
                    eligibleLeaderReplicas: [3])))
        p = try #require(image.partition("orders", 0))
        #expect(p.leader == NodeID(2) && p.leaderEpoch == 2 && p.partitionEpoch == 3)
        #expect(p.replicas == [NodeID(2), NodeID(1)] && p.leaderRecoveryState == .recovering)
        #expect(p.eligibleLeaderReplicas == [NodeID(3)] && p.lastKnownElr.isEmpty)
        #expect(p.directories == [DirectoryId.migrating, DirectoryId.migrating], "one per replica")
    }

    @Test("leader -1 leaves the partition without a leader, at a new leader epoch")
    func leaderNone() throws {
        var image = Self.withTopic()
        image.replay(
            .partitionChange(
                PartitionChangeRecord(
                    partitionId: 0, topicId: Self.topicId, isr: [],
                    leader: PartitionChangeRecord.noLeader)))
        let p = try #require(image.partition("orders", 0))
        #expect(p.leader == nil && p.isr.isEmpty && p.leaderEpoch == 1 && p.partitionEpoch == 1)
    }

    @Test("a change for an unknown topic or partition moves only the offset")
    func unknownPartition() {
        var image = Self.withTopic()
        let before = image
        image.replay(
            .partitionChange(
                PartitionChangeRecord(partitionId: 5, topicId: Self.topicId, leader: 2)))
        image.replay(
            .partitionChange(PartitionChangeRecord(partitionId: 0, topicId: .zero, leader: 2)))
        #expect(image.topicsByName == before.topicsByName && image.offset == before.offset + 2)
    }

    @Test("RemoveTopicRecord drops the topic, its partitions and its configs")
    func topicRemoval() {
        var image = Self.withTopic()
        image.replay(
            .config(
                ConfigRecord(
                    resourceType: ConfigRecord.topicResource, resourceName: "orders",
                    name: "retention.ms", value: "1000")))
        #expect(image.topic("orders")?.configs == ["retention.ms": "1000"])
        image.replay(.removeTopic(RemoveTopicRecord(topicId: Self.topicId)))
        #expect(
            image.topic("orders") == nil && image.topic(id: Self.topicId) == nil
                && image.topicNames.isEmpty)
        image.replay(
            .topic(
                TopicRecord(
                    name: "orders", topicId: Uuid(mostSignificantBits: 9, leastSignificantBits: 9)))
        )
        #expect(image.topic("orders")?.configs == [:] && image.topic("orders")?.partitions == [])
    }

    @Test("feature levels are kept; metadata.version is read from them; level 0 removes one")
    func featureLevels() {
        var image = MetadataImage()
        #expect(image.metadataVersion == nil)
        image.replay(.featureLevel(FeatureLevelRecord(name: "metadata.version", featureLevel: 25)))
        image.replay(.featureLevel(FeatureLevelRecord(name: "group.version", featureLevel: 1)))
        #expect(image.metadataVersion == 25 && image.finalizedFeatures["group.version"] == 1)
        image.replay(.featureLevel(FeatureLevelRecord(name: "group.version", featureLevel: 0)))
        #expect(image.finalizedFeatures == ["metadata.version": 25])
    }

    @Test("offsets: -1 when empty, the given offset, and offset + 1 for the convenience replay")
    func offsets() {
        var image = MetadataImage()
        #expect(image.offset == -1)
        image.replay(
            .producerIds(ProducerIdsRecord(brokerId: 1, brokerEpoch: 0, nextProducerId: 1000)),
            offset: 41)
        #expect(image.offset == 41 && image.nextProducerId == 1000)
        image.replay(
            .producerIds(ProducerIdsRecord(brokerId: 1, brokerEpoch: 0, nextProducerId: 500)))
        #expect(image.offset == 42 && image.nextProducerId == 1000)
    }
}
