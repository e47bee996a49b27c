// Controller tests: BrokerHeartbeat. Goal: stale epochs are refused, a fenced broker is
// unfenced only once caught up and not asking to stay fenced, unfencing hands it the
// partitions left without a leader, and a heartbeat renews the session.

import Testing

@testable import Cluster

@Suite struct QuorumControllerHeartbeatTests {
    @Test("an unknown broker or a wrong epoch gets STALE_BROKER_EPOCH and changes nothing")
    func staleEpoch() {
        var h = ControllerHarness(brokers: 1)
        let unknown = h.controller.handleBrokerHeartbeat(
            BrokerHeartbeatRequest(brokerId: 9, brokerEpoch: 1, currentMetadataOffset: 5),
            now: h.now)
        #expect(unknown.response == BrokerHeartbeatResponse(errorCode: .staleBrokerEpoch))
        #expect(unknown.records.isEmpty)
        let wrong = h.heartbeat(NodeID(1), epoch: 999)
        #expect(wrong.errorCode == .staleBrokerEpoch && wrong.isFenced)
    }

    @Test("a fenced broker behind its registration record stays fenced and is not caught up")
    func notCaughtUp() {
        var h = ControllerHarness()
        h.register(NodeID(1))
        let registered = h.nextOffset - 1
        let result = h.controller.handleBrokerHeartbeat(
            BrokerHeartbeatRequest(
                brokerId: 1, brokerEpoch: h.epochs[NodeID(1)] ?? -1,
                currentMetadataOffset: registered - 1),
            now: h.now)
        #expect(result.records.isEmpty && result.events.isEmpty)
        #expect(
            result.response
                == BrokerHeartbeatResponse(isCaughtUp: false, isFenced: true, shouldShutDown: false)
        )
    }

    @Test("caught up and not wanting to be fenced: unfenced with fenced = -1")
    func unfence() throws {
        var h = ControllerHarness()
        h.register(NodeID(1))
        let result = h.controller.handleBrokerHeartbeat(
            BrokerHeartbeatRequest(
                brokerId: 1, brokerEpoch: h.epochs[NodeID(1)] ?? -1,
                currentMetadataOffset: h.nextOffset - 1),
            now: h.now)
        #expect(result.response == BrokerHeartbeatResponse(isCaughtUp: true, isFenced: false))
        let change = try #require(result.records.first?.registrationChange)
        #expect(result.records.count == 1)
        #expect(
            change.fenced == .unfence && change.fenced.rawValue == -1
                && change.brokerEpoch == h.epochs[NodeID(1)])
        #expect(result.events == [.brokerUnfenced(NodeID(1))])
        h.apply(result)
        #expect(h.image.brokers[NodeID(1)]?.fenced == false)
    }

    @Test("wantFence keeps a caught-up broker fenced")
    func wantFence() {
        var h = ControllerHarness()
        h.register(NodeID(1))
        let response = h.heartbeat(NodeID(1), wantFence: true)
        #expect(
            response.isCaughtUp && response.isFenced && h.image.brokers[NodeID(1)]?.fenced == true)
    }

    @Test("an unfenced broker that asks to be fenced is, and its partitions lose their leader")
    func requestedFence() {
        var h = ControllerHarness(brokers: 1)
        h.createTopic("orders")
        let response = h.heartbeat(NodeID(1), wantFence: true)
        #expect(response.isFenced && !response.shouldShutDown)
        #expect(h.events.contains(.brokerFenced(NodeID(1), reason: .requested)))
        #expect(h.image.partition("orders", 0)?.leader == nil)
    }

    @Test("unfencing makes the broker leader of every leaderless partition whose ISR names it")
    func unfenceTakesLeadership() {
        var h = ControllerHarness(brokers: 2)
        h.addPartition(topic: "t", replicas: [1])
        h.addPartition(topic: "t", replicas: [2])
        h.heartbeat(NodeID(1), wantFence: true)
        h.heartbeat(NodeID(2), wantFence: true)
        #expect(
            h.image.partition("t", 0)?.leader == nil && h.image.partition("t", 1)?.leader == nil)
        h.events = []
        h.heartbeat(NodeID(1))
        #expect(h.image.partition("t", 0)?.leader == NodeID(1))
        #expect(h.image.partition("t", 1)?.leader == nil)
        #expect(
            h.events == [
                .brokerUnfenced(NodeID(1)),
                .partitionChanged(
                    topic: "t", partition: 0, leader: Change(from: nil, to: NodeID(1)),
                    isr: Change(from: [NodeID(1)], to: [NodeID(1)]), leaderEpoch: 2),
            ])
    }

    @Test("a heartbeat renews the session: the deadline moves to the heartbeat plus the timeout")
    func renewsSession() {
        var h = ControllerHarness(brokers: 2)
        #expect(h.controller.nextDeadline == Instant.zero + .milliseconds(1_500))
        h.now = h.now + .milliseconds(700)
        h.heartbeat(NodeID(1))
        h.heartbeat(NodeID(2))
        #expect(h.controller.nextDeadline == Instant.zero + .milliseconds(2_200))
        #expect(h.advance(.milliseconds(1_000)).isEmpty)
        #expect(h.controller.heartbeats.brokers[NodeID(1)]?.metadataOffset == h.nextOffset - 1)
    }
}
