// Node tests: the learner-changeable timings. Goal: each name reads and writes the field its
// Kafka name says, bad values are refused with the reason, and a node adopts new values
// without losing its voters or cluster id.

import Testing

@testable import Cluster

@Suite struct ClusterSettingsTests {
    static func defaults() -> ClusterSettings {
        ClusterSettings(
            raft: RaftConfig(voters: [NodeID(1), NodeID(2), NodeID(3)]), controller: QuorumControllerConfig(),
            replicaFetch: ReplicaFetchConfig())
    }

    @Test("every setting is listed with its value in use and Kafka's default")
    func listing() {
        let settings = Self.defaults().settings
        #expect(settings.map(\.name) == ClusterSettings.names)
        let session = settings.first { $0.name == "broker.session.timeout.ms" }
        #expect(session?.value == "1500" && session?.kafkaDefault == "9000")
        let imbalance = settings.first { $0.name == "leader.imbalance.check.interval.seconds" }
        #expect(imbalance?.value == "10" && imbalance?.kafkaDefault == "300")
    }

    @Test("a name sets the field it names, in the unit the name ends with")
    func setting() throws {
        var s = Self.defaults()
        try s.set("broker.session.timeout.ms", to: "4000")
        try s.set("controller.quorum.election.timeout.ms", to: "2500")
        try s.set("replica.lag.time.max.ms", to: "10000")
        try s.set("leader.imbalance.check.interval.seconds", to: "60")
        #expect(s.controller.brokerSessionTimeout == .milliseconds(4000))
        #expect(s.raft.electionTimeout == .milliseconds(2500))
        #expect(s.replicaFetch.lagTimeMax == .seconds(10))
        #expect(s.controller.leaderImbalanceCheckInterval == .seconds(60))
    }

    @Test("unknown names, values out of range and inconsistent pairs are refused; nothing changes")
    func refusals() {
        var s = Self.defaults()
        #expect(throws: ClusterSettings.Refusal.self) { try s.set("broker.timeout", to: "1") }
        #expect(throws: ClusterSettings.Refusal.self) { try s.set("broker.session.timeout.ms", to: "soon") }
        #expect(throws: ClusterSettings.Refusal.self) { try s.set("broker.session.timeout.ms", to: "0") }
        let before = s
        #expect(throws: ClusterSettings.Refusal.self) { try s.set("broker.heartbeat.interval.ms", to: "1500") }
        #expect(s == before)
    }

    @Test("a controller adopts a new session timeout and keeps its cluster id")
    func controllerAdopts() {
        var controller = QuorumController(config: QuorumControllerConfig(clusterId: "abc"), seed: 1)
        var changed = QuorumControllerConfig(brokerSessionTimeout: .seconds(5))
        changed.clusterId = nil
        controller.changeConfig(changed)
        #expect(controller.config.brokerSessionTimeout == .seconds(5))
        #expect(controller.config.clusterId == "abc")
    }
}
