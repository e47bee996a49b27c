// Controller tests: replay and determinism. Goal: the records a decision returns are all a
// fresh controller needs to build the same image, and the same seed and inputs give the same
// records byte for byte. Method: one busy scenario, replayed and run twice.

import Testing

@testable import Cluster

@Suite struct QuorumControllerReplayTests {
    /// Registrations, topics, configs, partitions, producer ids, a fence by expiry, an unfence,
    /// a controlled shutdown and a deletion.
    static func scenario(seed: UInt64) -> ControllerHarness {
        var h = ControllerHarness(brokers: 3, seed: seed)
        h.createTopic("orders", partitions: 6, configs: ["retention.ms": "60000"])
        h.createTopic("payments", partitions: 2)
        h.apply(
            h.controller.handleIncrementalAlterConfigs(
                IncrementalAlterConfigsRequest(resources: [
                    .init(
                        resourceType: ConfigRecord.topicResource, resourceName: "payments",
                        configs: [.init(name: "segment.ms", value: "1000")])
                ])))
        h.apply(
            h.controller.handleCreatePartitions(
                CreatePartitionsRequest(topics: [.init(name: "orders", count: 8)])))
        h.apply(
            h.controller.handleAllocateProducerIds(
                AllocateProducerIdsRequest(brokerId: 2, brokerEpoch: h.epochs[NodeID(2)] ?? -1)))
        h.now = h.now + .milliseconds(1_000)
        h.heartbeat(NodeID(1))
        h.heartbeat(NodeID(2))
        h.advance(.milliseconds(500))  // broker 3 expires
        h.heartbeat(NodeID(3))  // and comes back
        h.heartbeat(NodeID(2), wantShutDown: true)
        h.apply(
            h.controller.handleDeleteTopics(DeleteTopicsRequest(topics: [.init(name: "payments")])))
        return h
    }

    @Test("replaying the log into a fresh controller builds an equal image")
    func replayBuildsTheSameImage() {
        let h = Self.scenario(seed: 11)
        #expect(h.log.count > 20)
        #expect(h.replayedImage() == h.image)
    }

    @Test("each decision's records alone, replayed after the earlier ones, give the same image")
    func perDecision() {
        var h = ControllerHarness(brokers: 2)
        let result = h.controller.handleCreateTopics(
            CreateTopicsRequest(topics: [.init(name: "a", numPartitions: 3)]))
        var fresh = QuorumController(seed: 999)
        for (offset, record) in h.log.enumerated() { fresh.replay(record, offset: Int64(offset)) }
        h.apply(result)
        for (i, record) in result.records.enumerated() {
            fresh.replay(record, offset: Int64(h.log.count - result.records.count + i))
        }
        #expect(fresh.image == h.image)
    }

    @Test("the same seed and inputs give the same records; another seed gives other topic ids")
    func deterministic() {
        let a = Self.scenario(seed: 5)
        let b = Self.scenario(seed: 5)
        #expect(a.log == b.log && a.events == b.events)
        #expect(a.log.map(\.serialized) == b.log.map(\.serialized))
        let c = Self.scenario(seed: 6)
        #expect(c.image.topic("orders")?.id != a.image.topic("orders")?.id)
    }
}
