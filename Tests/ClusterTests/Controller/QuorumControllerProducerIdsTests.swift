// Controller tests: AllocateProducerIds. Goal: consecutive, disjoint blocks of the configured
// size, one ProducerIdsRecord each, and STALE_BROKER_EPOCH for a broker not registered as asked.

import Testing

@testable import Cluster

@Suite struct QuorumControllerProducerIdsTests {
    @Test("blocks follow one another, each a ProducerIdsRecord naming the next free id")
    func blocks() throws {
        var h = ControllerHarness(brokers: 2)
        let epoch1 = try #require(h.epochs[NodeID(1)])
        let first = h.controller.handleAllocateProducerIds(
            AllocateProducerIdsRequest(brokerId: 1, brokerEpoch: epoch1))
        #expect(
            first.response == AllocateProducerIdsResponse(producerIdStart: 0, producerIdLen: 1_000))
        #expect(
            first.records == [
                .producerIds(
                    ProducerIdsRecord(brokerId: 1, brokerEpoch: epoch1, nextProducerId: 1_000))
            ])
        #expect(first.events == [.producerIdsAllocated(NodeID(1), 0..<1_000)])
        h.apply(first)
        let second = h.apply(
            h.controller.handleAllocateProducerIds(
                AllocateProducerIdsRequest(brokerId: 2, brokerEpoch: h.epochs[NodeID(2)] ?? -1)))
        #expect(second.block == 1_000..<2_000)
        #expect(h.image.nextProducerId == 2_000)
    }

    @Test("an unknown broker or an old epoch gets STALE_BROKER_EPOCH")
    func staleEpoch() {
        var h = ControllerHarness(brokers: 1)
        for request in [
            AllocateProducerIdsRequest(brokerId: 1, brokerEpoch: 12_345),
            AllocateProducerIdsRequest(brokerId: 5),
        ] {
            let result = h.controller.handleAllocateProducerIds(request)
            #expect(
                result.response.errorCode == .staleBrokerEpoch && result.records.isEmpty
                    && result.response.block.isEmpty)
        }
    }

    @Test("the block size is a setting")
    func blockSize() {
        var h = ControllerHarness(
            brokers: 1, config: QuorumControllerConfig(producerIdBlockSize: 10))
        let block = h.apply(
            h.controller.handleAllocateProducerIds(
                AllocateProducerIdsRequest(brokerId: 1, brokerEpoch: h.epochs[NodeID(1)] ?? -1)))
        #expect(block.block == 0..<10)
    }
}
