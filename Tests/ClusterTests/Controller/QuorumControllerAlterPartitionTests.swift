// Controller tests: AlterPartition, the leader's ISR compare-and-set.

import Testing

@testable import Cluster

@Suite struct QuorumControllerAlterPartitionTests {
    /// A 3-broker cluster with topic `t` (1 partition, RF 3); returns the partition.
    static func cluster() -> (ControllerHarness, Uuid, PartitionRegistration) {
        var h = ControllerHarness(brokers: 3)
        _ = h.createTopic("t", partitions: 1, replicationFactor: 3)
        let topic = h.image.topic("t")!
        return (h, topic.id, topic.partitions[0])
    }

    static func request(
        _ h: ControllerHarness, leader: NodeID, topicId: Uuid, isr: [NodeID], leaderEpoch: Int32, partitionEpoch: Int32,
        withEpochs: Bool = false
    ) -> AlterPartitionRequest {
        AlterPartitionRequest(
            brokerId: leader.rawValue, brokerEpoch: h.epochs[leader] ?? -1,
            topics: [.init(topicId: topicId, partitions: [
                .init(partitionIndex: 0, leaderEpoch: leaderEpoch,
                      newIsr: withEpochs ? [] : isr.map(\.rawValue),
                      newIsrWithEpochs: withEpochs ? isr.map { .init(brokerId: $0.rawValue, brokerEpoch: h.epochs[$0] ?? -1) } : [],
                      partitionEpoch: partitionEpoch),
            ])])
    }

    @Test("a shrink is committed as a PartitionChangeRecord and answered with the new partition epoch")
    func shrink() throws {
        var (h, topicId, p) = Self.cluster()
        let leader = try #require(p.leader)
        #expect(p.isr.count == 3)
        let smaller = p.isr.filter { $0 != p.replicas.last! }
        let result = h.controller.handleAlterPartition(
            Self.request(h, leader: leader, topicId: topicId, isr: smaller, leaderEpoch: p.leaderEpoch, partitionEpoch: p.partitionEpoch))
        #expect(result.records.count == 1)
        let response = h.apply(result)
        let answer = try #require(response.topics.first?.partitions.first)
        #expect(answer.errorCode == .none)
        #expect(answer.isr == smaller.map(\.rawValue))
        #expect(answer.partitionEpoch == p.partitionEpoch + 1)
        #expect(answer.leaderEpoch == p.leaderEpoch, "an ISR change does not bump the leader epoch")
        #expect(h.image.partition("t", 0)?.isr == smaller)
    }

    @Test("stale epochs, a non-leader, fenced joiners and restarted replicas are refused with Kafka's codes")
    func refusals() throws {
        var (h, topicId, p) = Self.cluster()
        let leader = try #require(p.leader)
        let follower = p.replicas.first { $0 != leader }!
        func code(_ r: AlterPartitionRequest) -> ErrorCode {
            let response = h.controller.handleAlterPartition(r).response
            return response.errorCode != .none ? response.errorCode : response.topics[0].partitions[0].errorCode
        }
        let isr = p.isr
        #expect(code(Self.request(h, leader: leader, topicId: topicId, isr: isr, leaderEpoch: p.leaderEpoch, partitionEpoch: p.partitionEpoch - 1)) == .invalidUpdateVersion)
        #expect(code(Self.request(h, leader: leader, topicId: topicId, isr: isr, leaderEpoch: p.leaderEpoch + 1, partitionEpoch: p.partitionEpoch)) == .notController)
        #expect(code(Self.request(h, leader: follower, topicId: topicId, isr: isr, leaderEpoch: p.leaderEpoch, partitionEpoch: p.partitionEpoch)) == .invalidRequest)
        #expect(code(Self.request(h, leader: leader, topicId: Uuid(mostSignificantBits: 9, leastSignificantBits: 9), isr: isr, leaderEpoch: p.leaderEpoch, partitionEpoch: p.partitionEpoch)) == .unknownTopicId)
        var stale = Self.request(h, leader: leader, topicId: topicId, isr: isr, leaderEpoch: p.leaderEpoch, partitionEpoch: p.partitionEpoch)
        stale.brokerEpoch -= 1
        #expect(code(stale) == .staleBrokerEpoch)

        // Shrink the follower out, fence it, and it may not come back in.
        h.apply(h.controller.handleAlterPartition(Self.request(
            h, leader: leader, topicId: topicId, isr: isr.filter { $0 != follower }, leaderEpoch: p.leaderEpoch, partitionEpoch: p.partitionEpoch)))
        _ = h.heartbeat(follower, wantFence: true)
        #expect(h.image.brokers[follower]?.fenced == true)
        let now = try #require(h.image.partition("t", 0))
        #expect(code(Self.request(h, leader: leader, topicId: topicId, isr: now.isr + [follower], leaderEpoch: now.leaderEpoch, partitionEpoch: now.partitionEpoch)) == .ineligibleReplica)
    }

    @Test("a joiner named with an older broker epoch (it restarted since) is ineligible (KIP-903)")
    func restartedJoiner() throws {
        var (h, topicId, p) = Self.cluster()
        let leader = try #require(p.leader)
        let follower = p.replicas.first { $0 != leader }!
        h.apply(h.controller.handleAlterPartition(Self.request(
            h, leader: leader, topicId: topicId, isr: p.isr.filter { $0 != follower }, leaderEpoch: p.leaderEpoch, partitionEpoch: p.partitionEpoch)))
        let now = try #require(h.image.partition("t", 0))
        var request = Self.request(h, leader: leader, topicId: topicId, isr: now.isr + [follower], leaderEpoch: now.leaderEpoch, partitionEpoch: now.partitionEpoch, withEpochs: true)
        request.topics[0].partitions[0].newIsrWithEpochs[request.topics[0].partitions[0].newIsrWithEpochs.count - 1].brokerEpoch -= 1
        #expect(h.controller.handleAlterPartition(request).response.topics[0].partitions[0].errorCode == .ineligibleReplica)
    }
}
