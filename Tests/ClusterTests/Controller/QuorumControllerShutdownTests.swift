// Controller tests: controlled shutdown (wantShutDown). Goal: with nowhere to move leadership
// the broker is marked, fenced and told to stop in one answer, keeping its place as the last
// ISR member; where another in-sync broker can lead, leadership moves first and the broker
// waits until the other brokers have replayed the move.

import Testing

@testable import Cluster

@Suite struct QuorumControllerShutdownTests {
    @Test("replication factor 1: in controlled shutdown, leader none, fenced, told to stop at once")
    func singleReplica() {
        var h = ControllerHarness(brokers: 1)
        h.createTopic("orders")
        h.events = []
        let result = h.controller.handleBrokerHeartbeat(
            BrokerHeartbeatRequest(
                brokerId: 1, brokerEpoch: h.epochs[NodeID(1)] ?? -1,
                currentMetadataOffset: h.nextOffset - 1,
                wantShutDown: true),
            now: h.now)
        #expect(
            result.response
                == BrokerHeartbeatResponse(isCaughtUp: true, isFenced: true, shouldShutDown: true))
        #expect(result.records.count == 3)
        #expect(result.records[0].registrationChange?.inControlledShutdown == .inControlledShutdown)
        #expect(result.records[0].registrationChange?.version == 1)
        #expect(result.records[1].partitionChange?.leader == PartitionChangeRecord.noLeader)
        #expect(result.records[2].registrationChange?.fenced == .fence)
        #expect(
            result.events == [
                .controlledShutdownStarted(NodeID(1)),
                .partitionChanged(
                    topic: "orders", partition: 0, leader: Change(from: NodeID(1), to: nil),
                    isr: Change(from: [NodeID(1)], to: [NodeID(1)]), leaderEpoch: 1),
                .brokerFenced(NodeID(1), reason: .controlledShutdown),
            ])
        h.apply(result)
        #expect(h.image.partition("orders", 0)?.isr == [NodeID(1)])
        let broker = h.image.brokers[NodeID(1)]
        #expect(broker?.fenced == true && broker?.inControlledShutdown == true)
        // It stays on its way out: a later heartbeat is told to stop again and cannot unfence.
        let again = h.heartbeat(NodeID(1))
        #expect(again.shouldShutDown && again.isFenced)
    }

    @Test("a broker that leads nothing is fenced and let go at once, without the shutdown mark")
    func leadsNothing() {
        var h = ControllerHarness(brokers: 2)
        h.createTopic("orders")  // one partition, on one of the two brokers
        let idle = h.image.partition("orders", 0)?.leader == NodeID(1) ? NodeID(2) : NodeID(1)
        let before = h.log.count
        let response = h.heartbeat(idle, wantShutDown: true)
        #expect(response.shouldShutDown && response.isFenced)
        #expect(h.log.count == before + 1 && h.log.last?.registrationChange?.fenced == .fence)
        #expect(h.image.brokers[idle]?.inControlledShutdown == false)
    }

    @Test(
        "leadership moves to another in-sync broker first; the broker stops once the others have replayed the move"
    )
    func movesLeadershipFirst() throws {
        var h = ControllerHarness(brokers: 2)
        h.addPartition(topic: "t", replicas: [1, 2])
        h.heartbeat(NodeID(2))
        let first = h.heartbeat(NodeID(1), wantShutDown: true)
        #expect(!first.shouldShutDown && !first.isFenced)
        #expect(h.image.partition("t", 0)?.leader == NodeID(2))
        #expect(h.image.partition("t", 0)?.isr == [NodeID(2)])
        #expect(h.image.brokers[NodeID(1)]?.inControlledShutdown == true)
        let moved = h.nextOffset - 1
        #expect(h.controller.heartbeats.brokers[NodeID(1)]?.controlledShutdownOffset == moved)
        // Broker 2 has not replayed the move yet: broker 1 must wait.
        h.heartbeat(NodeID(2), offset: moved - 1)
        let waiting = h.heartbeat(NodeID(1), wantShutDown: true)
        #expect(!waiting.shouldShutDown && !waiting.isFenced)
        h.heartbeat(NodeID(2), offset: moved)
        let done = h.heartbeat(NodeID(1), wantShutDown: true)
        #expect(done.shouldShutDown && done.isFenced)
        #expect(h.image.brokers[NodeID(1)]?.fenced == true)
        #expect(h.events.contains(.brokerFenced(NodeID(1), reason: .controlledShutdown)))
    }
}
