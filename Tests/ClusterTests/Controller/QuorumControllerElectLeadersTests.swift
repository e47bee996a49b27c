// Controller tests: ElectLeaders and unclean.leader.election.enable. Goal: each election case
// gives Kafka's per-partition code and message and writes exactly the PartitionChangeRecord a
// Kafka controller would (or none); an unclean election takes a live replica outside the ISR,
// makes it the ISR alone and marks the leader RECOVERING until it reports itself recovered.
// Method: a ControllerHarness cluster with partitions placed by hand.

import Testing

@testable import Cluster

@Suite struct QuorumControllerElectLeadersTests {
    static func request(
        _ type: ElectionType, _ partitions: [(String, [Int32])]?
    ) -> ElectLeadersRequest {
        ElectLeadersRequest(
            electionType: type,
            topicPartitions: partitions?.map { .init(topic: $0.0, partitions: $0.1) })
    }

    /// The per-partition answers as (topic-partition, code, message).
    static func answers(_ r: ElectLeadersResponse) -> [(String, ErrorCode, String?)] {
        r.replicaElectionResults.flatMap { t in
            t.partitionResult.map {
                ("\(t.topic)-\($0.partitionId)", $0.errorCode, $0.errorMessage)
            }
        }
    }

    static let notNeeded = "Leader election not needed for topic partition."

    @Test("PREFERRED moves leadership to the first replica when it is alive and in the ISR")
    func preferredMoves() throws {
        var h = ControllerHarness(brokers: 3)
        h.addPartition(topic: "t", replicas: [1, 2, 3], leader: 2)
        h.events = []
        let result = h.controller.handleElectLeaders(Self.request(.preferred, [("t", [0])]))
        #expect(result.records.count == 1)
        let change = try #require(result.records.first?.partitionChange)
        #expect(change.leader == 1 && change.isr == nil && change.leaderRecoveryState == nil)
        let response = h.apply(result)
        #expect(response.errorCode == .none)
        let answers = Self.answers(response)
        #expect(
            answers.count == 1 && answers[0].0 == "t-0" && answers[0].1 == .none
                && answers[0].2 == nil)
        #expect(h.image.partition("t", 0)?.leader == NodeID(1))
        #expect(h.image.partition("t", 0)?.leaderEpoch == 1)
        #expect(
            h.events == [
                .leadersElected(
                    .preferred, trigger: .requested, partitions: [TopicPartition("t", 0)]),
                .partitionChanged(
                    topic: "t", partition: 0, leader: Change(from: NodeID(2), to: NodeID(1)),
                    isr: Change(
                        from: [1, 2, 3].map { NodeID($0) }, to: [1, 2, 3].map { NodeID($0) }),
                    leaderEpoch: 1),
            ])
    }

    @Test("PREFERRED when the preferred replica already leads: ELECTION_NOT_NEEDED, no record")
    func preferredNotNeeded() {
        var h = ControllerHarness(brokers: 3)
        h.addPartition(topic: "t", replicas: [1, 2, 3])
        let result = h.controller.handleElectLeaders(Self.request(.preferred, [("t", [0])]))
        #expect(result.records.isEmpty && result.events.isEmpty)
        let answers = Self.answers(result.response)
        #expect(answers.map(\.1) == [.electionNotNeeded] && answers.map(\.2) == [Self.notNeeded])
    }

    @Test(
        "PREFERRED when the preferred replica is fenced or out of the ISR: PREFERRED_LEADER_NOT_AVAILABLE"
    )
    func preferredNotAvailable() {
        var h = ControllerHarness(brokers: 3)
        h.addPartition(topic: "out", replicas: [1, 2, 3], isr: [2, 3])
        h.addPartition(topic: "down", replicas: [3, 1, 2], leader: 1)
        h.run(for: .seconds(2), alive: [NodeID(1), NodeID(2)])  // broker 3 is fenced
        #expect(h.image.brokers[NodeID(3)]?.fenced == true)
        let result = h.controller.handleElectLeaders(
            Self.request(.preferred, [("out", [0]), ("down", [0])]))
        #expect(result.records.isEmpty)
        let answers = Self.answers(result.response)
        #expect(answers.map(\.1) == [.preferredLeaderNotAvailable, .preferredLeaderNotAvailable])
        #expect(answers.allSatisfy { $0.2 == "The preferred leader was not available." })
    }

    @Test("an unknown topic or partition: UNKNOWN_TOPIC_OR_PARTITION with Kafka's message")
    func unknownPartition() {
        var h = ControllerHarness(brokers: 1)
        h.addPartition(topic: "t", replicas: [1])
        let result = h.controller.handleElectLeaders(
            Self.request(.preferred, [("nope", [0]), ("t", [5, -1])]))
        let answers = Self.answers(result.response)
        #expect(answers.map(\.1) == Array(repeating: .unknownTopicOrPartition, count: 3))
        #expect(
            answers.map(\.2) == [
                "No such topic as nope", "No such partition as t-5", "No such partition as t--1",
            ])
    }

    @Test(
        "UNCLEAN elects a live replica outside the ISR: the ISR becomes it alone, its leader RECOVERING"
    )
    func uncleanElects() throws {
        var h = ControllerHarness(brokers: 3)
        h.addPartition(topic: "t", replicas: [1, 2, 3], isr: [1])
        h.run(for: .seconds(2), alive: [NodeID(2), NodeID(3)])  // broker 1, the ISR, is fenced
        #expect(
            h.image.partition("t", 0)?.leader == nil
                && h.image.partition("t", 0)?.isr == [NodeID(1)])
        h.events = []
        let result = h.controller.handleElectLeaders(Self.request(.unclean, [("t", [0])]))
        let change = try #require(result.records.first?.partitionChange)
        #expect(
            change.leader == 2 && change.isr == [2] && change.leaderRecoveryState == .recovering)
        let response = h.apply(result)
        #expect(Self.answers(response).map(\.1) == [.none])
        let partition = try #require(h.image.partition("t", 0))
        #expect(partition.leader == NodeID(2) && partition.isr == [NodeID(2)])
        #expect(partition.leaderRecoveryState == .recovering)
        #expect(
            h.events == [
                .leadersElected(
                    .unclean, trigger: .requested, partitions: [TopicPartition("t", 0)]),
                .uncleanLeaderElected(
                    topic: "t", partition: 0, leader: NodeID(2), formerIsr: [NodeID(1)]),
                .partitionChanged(
                    topic: "t", partition: 0, leader: Change(from: nil, to: NodeID(2)),
                    isr: Change(from: [NodeID(1)], to: [NodeID(2)]), leaderEpoch: 2),
            ])
    }

    @Test(
        "UNCLEAN for a partition that has a leader: ELECTION_NOT_NEEDED; with no live replica: ELIGIBLE_LEADERS_NOT_AVAILABLE"
    )
    func uncleanRefusals() {
        var h = ControllerHarness(brokers: 3)
        h.addPartition(topic: "led", replicas: [2, 3])
        h.addPartition(topic: "gone", replicas: [1], isr: [1])
        h.run(for: .seconds(2), alive: [NodeID(2), NodeID(3)])
        let result = h.controller.handleElectLeaders(
            Self.request(.unclean, [("led", [0]), ("gone", [0])]))
        #expect(result.records.isEmpty)
        let answers = Self.answers(result.response)
        #expect(answers.map(\.1) == [.electionNotNeeded, .eligibleLeadersNotAvailable])
        #expect(
            answers.map(\.2) == [
                Self.notNeeded, "Eligible topic partition leaders are not available.",
            ])
    }

    @Test(
        "a null partition list elects wherever needed and leaves out the partitions that needed nothing"
    )
    func allPartitions() {
        var h = ControllerHarness(brokers: 3)
        h.addPartition(topic: "a", replicas: [1, 2, 3])
        h.addPartition(topic: "a", replicas: [2, 3, 1], leader: 3)
        h.addPartition(topic: "b", replicas: [3, 1, 2])
        let response = h.apply(h.controller.handleElectLeaders(Self.request(.preferred, nil)))
        #expect(
            response.replicaElectionResults.map(\.topic) == ["a", "b"], "every topic is answered")
        let answers = Self.answers(response)
        #expect(answers.map(\.0) == ["a-1"] && answers.map(\.1) == [.none])
        #expect(h.image.partition("a", 1)?.leader == NodeID(2))
        #expect(h.controller.imbalancedPartitions.isEmpty)
    }

    @Test("a partition named twice is elected once")
    func namedTwice() {
        var h = ControllerHarness(brokers: 2)
        h.addPartition(topic: "t", replicas: [1, 2], leader: 2)
        let result = h.controller.handleElectLeaders(Self.request(.preferred, [("t", [0, 0])]))
        #expect(result.records.count == 1)
        #expect(Self.answers(result.response).map(\.1) == [.none, .none])
    }

    @Test(
        "an unknown election type fails the whole request with INVALID_REQUEST; a standby answers NOT_CONTROLLER"
    )
    func wholeRequestFailures() {
        var h = ControllerHarness(brokers: 1)
        h.addPartition(topic: "t", replicas: [1])
        let bad = h.controller.handleElectLeaders(
            ElectLeadersRequest(
                electionType: ElectionType(rawValue: 7),
                topicPartitions: [.init(topic: "t", partitions: [0])]))
        #expect(bad.records.isEmpty && bad.response.errorCode == .invalidRequest)
        #expect(Self.answers(bad.response).map(\.1) == [.invalidRequest])
        #expect(Self.answers(bad.response).map(\.2) == ["Unknown election type 7"])
        h.controller.deactivate()
        let standby = h.controller.handleElectLeaders(Self.request(.preferred, [("t", [0])]))
        #expect(standby.response.errorCode == .notController)
        #expect(Self.answers(standby.response).map(\.1) == [.notController])
    }
}

/// Goal: `unclean.leader.election.enable` decides what happens when the ISR has nobody left to
/// lead: false (the default) leaves the partition leaderless with its last ISR member; true
/// takes a live replica outside the ISR, at fencing and when a replica is unfenced.
@Suite struct UncleanLeaderElectionTests {
    @Test("fencing the last ISR member: true elects another live replica, false leaves no leader")
    func fencing() throws {
        var h = ControllerHarness(brokers: 3)
        h.addPartition(topic: "risky", replicas: [1, 2, 3], isr: [1])
        h.addPartition(topic: "safe", replicas: [1, 2, 3], isr: [1])
        h.setTopicConfig("risky", "unclean.leader.election.enable", "true")
        h.events = []
        h.run(for: .seconds(2), alive: [NodeID(2), NodeID(3)])
        let risky = try #require(h.image.partition("risky", 0))
        #expect(risky.leader == NodeID(2) && risky.isr == [NodeID(2)])
        #expect(risky.leaderRecoveryState == .recovering)
        let safe = try #require(h.image.partition("safe", 0))
        #expect(
            safe.leader == nil && safe.isr == [NodeID(1)] && safe.leaderRecoveryState == .recovered)
        #expect(
            h.events.contains(
                .uncleanLeaderElected(
                    topic: "risky", partition: 0, leader: NodeID(2), formerIsr: [NodeID(1)])))
        #expect(
            !h.events.contains {
                if case .uncleanLeaderElected(topic: "safe", _, _, _) = $0 { true } else { false }
            })
    }

    @Test(
        "a fenced replica outside the ISR that comes back leads a leaderless partition only when unclean is enabled"
    )
    func unfencing() throws {
        var h = ControllerHarness(brokers: 3)
        h.run(for: .seconds(2), alive: [NodeID(1)])  // brokers 2 and 3 are fenced
        h.addPartition(topic: "risky", replicas: [1, 2, 3], isr: [1])
        h.addPartition(topic: "safe", replicas: [1, 2, 3], isr: [1])
        h.setTopicConfig("risky", "unclean.leader.election.enable", "TRUE")
        h.run(for: .seconds(2), alive: [])  // broker 1, the whole ISR, is fenced too
        #expect(h.image.partition("risky", 0)?.leader == nil)
        h.heartbeat(NodeID(2))  // broker 2 is unfenced
        let risky = try #require(h.image.partition("risky", 0))
        #expect(
            risky.leader == NodeID(2) && risky.isr == [NodeID(2)]
                && risky.leaderRecoveryState == .recovering)
        #expect(h.image.partition("safe", 0)?.leader == nil)
        #expect(h.image.partition("safe", 0)?.isr == [NodeID(1)])
        h.heartbeat(NodeID(1))  // the old ISR member is back: it leads the safe partition again
        #expect(h.image.partition("safe", 0)?.leader == NodeID(1))
        #expect(h.image.partition("risky", 0)?.leader == NodeID(2))
    }

    @Test(
        "the new leader's first AlterPartition reports it RECOVERED; RECOVERING with a larger ISR is refused"
    )
    func recovery() throws {
        var h = ControllerHarness(brokers: 3)
        h.addPartition(topic: "t", replicas: [1, 2, 3], isr: [1])
        h.setTopicConfig("t", "unclean.leader.election.enable", "true")
        h.run(for: .seconds(2), alive: [NodeID(2), NodeID(3)])
        let topicId = try #require(h.image.topic("t")?.id)
        let p = try #require(h.image.partition("t", 0))
        #expect(p.leader == NodeID(2) && p.leaderRecoveryState == .recovering)
        func alter(isr: [Int32], state: Int8) -> AlterPartitionRequest {
            AlterPartitionRequest(
                brokerId: 2, brokerEpoch: h.epochs[NodeID(2)] ?? -1,
                topics: [
                    .init(
                        topicId: topicId,
                        partitions: [
                            .init(
                                partitionIndex: 0, leaderEpoch: p.leaderEpoch, newIsr: isr,
                                leaderRecoveryState: state, partitionEpoch: p.partitionEpoch)
                        ])
                ])
        }
        let refused = h.controller.handleAlterPartition(alter(isr: [2, 3], state: 1))
        #expect(
            refused.records.isEmpty
                && refused.response.topics[0].partitions[0].errorCode == .invalidRequest)
        let response = h.apply(h.controller.handleAlterPartition(alter(isr: [2, 3], state: 0)))
        let answer = try #require(response.topics.first?.partitions.first)
        #expect(
            answer.errorCode == .none && answer.leaderRecoveryState == 0 && answer.isr == [2, 3])
        let after = try #require(h.image.partition("t", 0))
        #expect(after.leaderRecoveryState == .recovered && after.isr == [NodeID(2), NodeID(3)])
        #expect(h.log.last?.partitionChange?.leaderRecoveryState == .recovered)
    }

    @Test(
        "the config takes true or false in any case, as Kafka's boolean configs do, and nothing else"
    )
    func validation() {
        var h = ControllerHarness(brokers: 1)
        h.createTopic("t")
        func set(_ value: String) -> AlterConfigsResourceResponse? {
            h.apply(
                h.controller.handleIncrementalAlterConfigs(
                    IncrementalAlterConfigsRequest(resources: [
                        .init(
                            resourceType: ConfigRecord.topicResource, resourceName: "t",
                            configs: [
                                .init(
                                    name: "unclean.leader.election.enable", configOperation: .set,
                                    value: value)
                            ])
                    ]))
            ).responses.first
        }
        let bad = set("maybe")
        #expect(bad?.errorCode == .invalidConfig)
        #expect(
            bad?.errorMessage
                == "Invalid value maybe for configuration unclean.leader.election.enable: Expected value to be either true or false"
        )
        #expect(set("True")?.errorCode == ErrorCode.none)
        #expect(TopicConfigs.uncleanLeaderElectionEnable(h.image.topic("t")?.configs ?? [:]))
        #expect(!TopicConfigs.uncleanLeaderElectionEnable([:]), "the broker default is false")
        #expect(
            TopicConfigs.describe([:]).contains {
                $0.name == "unclean.leader.election.enable" && $0.value == "false" && $0.isDefault
            })
    }
}
