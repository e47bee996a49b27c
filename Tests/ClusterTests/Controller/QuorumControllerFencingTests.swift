// Controller tests: session expiry and the ISR. Goal: a broker is fenced when its last
// heartbeat is exactly the session timeout old and not a nanosecond before; leadership moves
// to another in-sync broker or to none; the ISR loses the broker unless it is the last member;
// a new active controller gives every broker a fresh session.

import Testing

@testable import Cluster

@Suite struct QuorumControllerFencingTests {
    @Test("fenced at exactly the session timeout, not a nanosecond before")
    func expiryBoundary() throws {
        var h = ControllerHarness(brokers: 1)
        h.events = []
        #expect(h.advance(.milliseconds(1_500) - .nanoseconds(1)).isEmpty)
        #expect(h.image.brokers[NodeID(1)]?.fenced == false)
        let records = h.advance(.nanoseconds(1))
        let change = try #require(records.last?.registrationChange)
        #expect(change.fenced == .fence && change.fenced.rawValue == 1)
        #expect(
            h.events == [
                .brokerFenced(
                    NodeID(1), reason: .sessionExpired(lastHeartbeatAge: .milliseconds(1_500)))
            ])
        #expect(h.image.brokers[NodeID(1)]?.fenced == true)
        #expect(h.controller.nextDeadline == Instant(nanoseconds: .max))
        #expect(h.advance(.seconds(10)).isEmpty)
    }

    @Test(
        "with replication factor 1 the leader becomes none, the ISR keeps the broker, and it leads again once back"
    )
    func singleReplica() {
        var h = ControllerHarness(brokers: 1)
        h.createTopic("orders", partitions: 2)
        h.events = []
        h.advance(.milliseconds(1_500))
        for p: Int32 in 0...1 {
            let partition = h.image.partition("orders", p)
            #expect(
                partition?.leader == nil && partition?.isr == [NodeID(1)]
                    && partition?.leaderEpoch == 1)
        }
        #expect(
            h.events == [
                .brokerFenced(
                    NodeID(1), reason: .sessionExpired(lastHeartbeatAge: .milliseconds(1_500))),
                .partitionChanged(
                    topic: "orders", partition: 0, leader: Change(from: NodeID(1), to: nil),
                    isr: Change(from: [NodeID(1)], to: [NodeID(1)]), leaderEpoch: 1),
                .partitionChanged(
                    topic: "orders", partition: 1, leader: Change(from: NodeID(1), to: nil),
                    isr: Change(from: [NodeID(1)], to: [NodeID(1)]), leaderEpoch: 1),
            ])
        // The partition changes come before the fence, as Kafka writes them.
        #expect(h.log.last?.registrationChange?.fenced == .fence)
        h.heartbeat(NodeID(1))
        #expect(h.image.partition("orders", 0)?.leader == NodeID(1))
        #expect(h.image.partition("orders", 1)?.leaderEpoch == 2)
    }

    @Test(
        "the ISR shrinks to the brokers left, leadership follows the preferred order, the last member stays"
    )
    func isrShrink() {
        var h = ControllerHarness(brokers: 3)
        h.addPartition(topic: "t", replicas: [1, 2, 3])
        h.now = h.now + .milliseconds(1_000)
        h.heartbeat(NodeID(2))
        h.heartbeat(NodeID(3))
        h.advance(.milliseconds(500))  // broker 1 expires
        #expect(h.image.partition("t", 0)?.leader == NodeID(2))
        #expect(h.image.partition("t", 0)?.isr == [NodeID(2), NodeID(3)])
        h.heartbeat(NodeID(3))
        h.advance(.milliseconds(1_000))  // broker 2 expires
        #expect(
            h.image.partition("t", 0)?.leader == NodeID(3)
                && h.image.partition("t", 0)?.isr == [NodeID(3)])
        h.advance(.milliseconds(500))  // broker 3 expires: nobody left to lead
        #expect(
            h.image.partition("t", 0)?.leader == nil
                && h.image.partition("t", 0)?.isr == [NodeID(3)])
        #expect(h.image.partition("t", 0)?.leaderEpoch == 3)
        // Broker 1 is back but out of sync: it may not lead. Broker 3, the last in sync, may.
        h.heartbeat(NodeID(1))
        #expect(h.image.partition("t", 0)?.leader == nil)
        h.heartbeat(NodeID(3))
        #expect(h.image.partition("t", 0)?.leader == NodeID(3))
    }

    @Test("a follower that expires leaves the ISR; the leader and epoch stay")
    func followerLeavesIsr() {
        var h = ControllerHarness(brokers: 2)
        h.addPartition(topic: "t", replicas: [1, 2])
        h.now = h.now + .milliseconds(1_000)
        h.heartbeat(NodeID(1))
        h.events = []
        h.advance(.milliseconds(500))
        #expect(
            h.events.last
                == .partitionChanged(
                    topic: "t", partition: 0, leader: Change(from: NodeID(1), to: NodeID(1)),
                    isr: Change(from: [NodeID(1), NodeID(2)], to: [NodeID(1)]), leaderEpoch: 0))
        #expect(
            h.log.contains { $0.partitionChange?.leader == PartitionChangeRecord.noLeaderChange })
    }

    @Test("brokers expiring in the same tick are fenced in turn, each seeing the one before")
    func twoAtOnce() {
        var h = ControllerHarness(brokers: 2)
        h.addPartition(topic: "t", replicas: [1, 2])
        let records = h.advance(.milliseconds(1_500))
        // Broker 1: leadership to 2, ISR [2], fence 1. Broker 2: no one left, ISR kept, fence 2.
        #expect(records.count == 4)
        #expect(records[0].partitionChange?.leader == 2 && records[0].partitionChange?.isr == [2])
        #expect(records[1].registrationChange?.brokerId == 1)
        #expect(records[2].partitionChange?.leader == PartitionChangeRecord.noLeader)
        #expect(records[2].partitionChange?.isr == nil)
        #expect(records[3].registrationChange?.brokerId == 2)
        #expect(
            h.image.partition("t", 0)?.isr == [NodeID(2)]
                && h.image.partition("t", 0)?.leader == nil)
    }

    @Test("a fenced broker's session just ends; another incarnation may then register")
    func fencedSessionEnds() {
        var h = ControllerHarness()
        h.register(NodeID(1))
        #expect(h.controller.nextDeadline == Instant(nanoseconds: .max))
        #expect(h.advance(.milliseconds(1_500)).isEmpty)
        #expect(
            h.register(NodeID(1), incarnation: ControllerHarness.incarnation(NodeID(1), 2))
                .errorCode == .none)
    }

    @Test("activate gives every registered broker a fresh session from now")
    func activationGrace() {
        var h = ControllerHarness(brokers: 2)
        h.now = h.now + .seconds(60)  // long after the last heartbeat, with no controller ticking
        h.controller.deactivate()
        #expect(h.controller.tick(now: h.now).records.isEmpty)
        h.controller.activate(now: h.now)
        #expect(h.controller.nextDeadline == h.now + .milliseconds(1_500))
        #expect(h.advance(.milliseconds(1_499)).isEmpty)
        #expect(h.controller.heartbeats.brokers[NodeID(1)]?.metadataOffset == -1)
        #expect(h.advance(.milliseconds(1)).count == 2)
    }
}
