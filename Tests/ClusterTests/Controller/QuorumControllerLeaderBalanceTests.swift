// Controller tests: the elections the controller runs by itself on its tick. Goal: leadership
// goes back to the preferred replica leader.imbalance.check.interval.seconds after it left, once
// that replica runs and is in the ISR, within the per-broker percentage and not at all with
// auto.leader.rebalance.enable=false; leaderless partitions of a topic switched to
// unclean.leader.election.enable=true get a leader at the next unclean.leader.election.interval.ms
// check. Method: a ControllerHarness whose virtual time moves only when told.

import Testing

@testable import Cluster

@Suite struct QuorumControllerLeaderBalanceTests {
    static let one = NodeID(1), two = NodeID(2), three = NodeID(3)

    /// Broker 1's leadership of `t-0` (replicas 1, 2, 3) moves to 2 when it is fenced at
    /// t=1.5s; it comes back at t=2s and leader 2 takes it back into the ISR.
    static func cluster(_ config: QuorumControllerConfig = QuorumControllerConfig()) throws
        -> ControllerHarness
    {
        var h = ControllerHarness(brokers: 3, config: config)
        h.addPartition(topic: "t", replicas: [1, 2, 3])
        h.run(for: .seconds(2), alive: [two, three])
        #expect(h.image.partition("t", 0)?.leader == two)
        h.heartbeat(one)
        try rejoin(one, &h)
        return h
    }

    /// Leader `t-0`'s AlterPartition that puts `id` back into the ISR.
    static func rejoin(_ id: NodeID, _ h: inout ControllerHarness) throws {
        let p = try #require(h.image.partition("t", 0))
        let leader = try #require(p.leader)
        let topicId = try #require(h.image.topic("t")?.id)
        let response = h.apply(
            h.controller.handleAlterPartition(
                QuorumControllerAlterPartitionTests.request(
                    h, leader: leader, topicId: topicId, isr: p.isr + [id],
                    leaderEpoch: p.leaderEpoch,
                    partitionEpoch: p.partitionEpoch)))
        #expect(response.topics.first?.partitions.first?.errorCode == ErrorCode.none)
    }

    @Test(
        "leadership returns to the preferred replica leader.imbalance.check.interval.seconds after it left"
    )
    func returnsAfterInterval() throws {
        var h = try Self.cluster()
        #expect(h.controller.imbalancedPartitions == [TopicPartition("t", 0)])
        h.events = []
        // Imbalanced since the fence at t=1.5s: the check is due at t=11.5s, not before.
        h.run(for: .milliseconds(9_400), alive: [Self.one, Self.two, Self.three])
        #expect(h.image.partition("t", 0)?.leader == Self.two)
        #expect(h.events.isEmpty)
        h.run(for: .milliseconds(200), alive: [Self.one, Self.two, Self.three])
        #expect(h.image.partition("t", 0)?.leader == Self.one)
        #expect(h.image.partition("t", 0)?.isr == [Self.two, Self.three, Self.one])
        #expect(
            h.events == [
                .leadersElected(
                    .preferred, trigger: .leaderImbalanceCheck, partitions: [TopicPartition("t", 0)]
                ),
                .partitionChanged(
                    topic: "t", partition: 0, leader: Change(from: Self.two, to: Self.one),
                    isr: Change(
                        from: [Self.two, Self.three, Self.one],
                        to: [Self.two, Self.three, Self.one]),
                    leaderEpoch: 2),
            ])
        #expect(h.controller.imbalancedPartitions.isEmpty)
        // Balanced: only sessions wake the controller now.
        #expect(h.controller.nextDeadline <= h.now + .milliseconds(1_500))
        h.events = []
        h.run(for: .seconds(30), alive: [Self.one, Self.two, Self.three])
        #expect(h.events.isEmpty)
    }

    @Test(
        "while the preferred replica is out of the ISR nothing moves; the check comes back every interval"
    )
    func waitsForTheIsr() throws {
        var h = ControllerHarness(brokers: 3)
        h.addPartition(topic: "t", replicas: [1, 2, 3])
        h.run(for: .seconds(2), alive: [Self.two, Self.three])
        h.heartbeat(Self.one)  // unfenced, but not yet back in the ISR
        // Past the check at 11.5s.
        h.run(for: .seconds(15), alive: [Self.one, Self.two, Self.three])
        #expect(h.image.partition("t", 0)?.leader == Self.two)
        try Self.rejoin(Self.one, &h)
        h.run(for: .milliseconds(4_400), alive: [Self.one, Self.two, Self.three])  // t=21.4s
        #expect(h.image.partition("t", 0)?.leader == Self.two)
        // The check at 21.5s.
        h.run(for: .milliseconds(200), alive: [Self.one, Self.two, Self.three])
        #expect(h.image.partition("t", 0)?.leader == Self.one)
    }

    @Test(
        "auto.leader.rebalance.enable=false: leadership stays where it is; ElectLeaders still moves it"
    )
    func disabled() throws {
        var h = try Self.cluster(QuorumControllerConfig(autoLeaderRebalanceEnable: false))
        h.run(for: .seconds(60), alive: [Self.one, Self.two, Self.three])
        #expect(h.image.partition("t", 0)?.leader == Self.two)
        let response = h.apply(
            h.controller.handleElectLeaders(
                ElectLeadersRequest(topicPartitions: [.init(topic: "t", partitions: [0])])))
        #expect(
            response.replicaElectionResults.first?.partitionResult.first?.errorCode
                == ErrorCode.none)
        #expect(h.image.partition("t", 0)?.leader == Self.one)
    }

    @Test(
        "leader.imbalance.per.broker.percentage: one of eleven partitions away (9%) is not enough at 10, is at 0"
    )
    func perBrokerPercentage() throws {
        for (percentage, moves) in [(10, false), (0, true)] {
            var h = ControllerHarness(
                brokers: 2,
                config: QuorumControllerConfig(leaderImbalancePerBrokerPercentage: percentage))
            for _ in 0..<10 { h.addPartition(topic: "many", replicas: [1, 2]) }
            h.addPartition(topic: "many", replicas: [1, 2], leader: 2)
            h.run(for: .seconds(30), alive: [Self.one, Self.two])
            #expect(
                (h.image.partition("many", 10)?.leader == Self.one) == moves,
                "percentage \(percentage)")
        }
    }

    @Test(
        "a topic switched to unclean.leader.election.enable=true gets a leader at the next leaderless-partition check"
    )
    func uncleanCheck() throws {
        var h = ControllerHarness(brokers: 3)
        h.addPartition(topic: "t", replicas: [1, 2, 3], isr: [1])
        h.run(for: .seconds(3), alive: [Self.two, Self.three])  // fenced at 1.5s: leaderless
        #expect(h.image.partition("t", 0)?.leader == nil)
        h.setTopicConfig("t", "unclean.leader.election.enable", "true")
        h.events = []
        h.run(for: .milliseconds(8_400), alive: [Self.two, Self.three])  // t=11.4s
        #expect(h.image.partition("t", 0)?.leader == nil)
        h.run(for: .milliseconds(200), alive: [Self.two, Self.three])  // the check at 11.5s
        let p = try #require(h.image.partition("t", 0))
        #expect(p.leader == Self.two && p.isr == [Self.two] && p.leaderRecoveryState == .recovering)
        #expect(
            h.events == [
                .leadersElected(
                    .unclean, trigger: .leaderlessPartitionCheck,
                    partitions: [TopicPartition("t", 0)]),
                .uncleanLeaderElected(
                    topic: "t", partition: 0, leader: Self.two, formerIsr: [Self.one]),
                .partitionChanged(
                    topic: "t", partition: 0, leader: Change(from: nil, to: Self.two),
                    isr: Change(from: [Self.one], to: [Self.two]), leaderEpoch: 2),
            ])
    }

    @Test("a new active controller forgets the schedule and starts the interval again")
    func failover() throws {
        var h = try Self.cluster()
        h.run(for: .seconds(5), alive: [Self.one, Self.two, Self.three])  // t=7s
        h.controller.deactivate()
        h.controller.activate(now: h.now)
        h.run(for: .milliseconds(9_900), alive: [Self.one, Self.two, Self.three])  // t=16.9s
        #expect(h.image.partition("t", 0)?.leader == Self.two)
        h.run(for: .milliseconds(200), alive: [Self.one, Self.two, Self.three])
        #expect(h.image.partition("t", 0)?.leader == Self.one)
    }

    @Test("the settings are listed with Kafka's names and defaults")
    func settings() {
        let entries = QuorumControllerConfig().entries
        #expect(
            entries.contains(
                .init(name: "auto.leader.rebalance.enable", value: "true", kafkaDefault: "true")))
        #expect(
            entries.contains(
                .init(
                    name: "leader.imbalance.check.interval.seconds", value: "10",
                    kafkaDefault: "300")))
        #expect(
            entries.contains(
                .init(
                    name: "leader.imbalance.per.broker.percentage", value: "10", kafkaDefault: "10")
            ))
        #expect(
            entries.contains(
                .init(
                    name: "unclean.leader.election.interval.ms", value: "10000",
                    kafkaDefault: "300000")))
    }
}
