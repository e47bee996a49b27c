// Controller tests: CreateTopics, DeleteTopics and CreatePartitions. Goal: the records Kafka
// writes in Kafka's order, replicas only where an unfenced broker can lead, and each refusal
// with Kafka's code and words (and plain ones where this cluster is stricter).

import Testing

@testable import Cluster

@Suite struct QuorumControllerTopicsTests {
    @Test(
        "a topic is a TopicRecord, its ConfigRecords, then its PartitionRecords; the answer carries its configs"
    )
    func create() throws {
        var h = ControllerHarness(brokers: 3)
        let result = h.controller.handleCreateTopics(
            CreateTopicsRequest(topics: [
                .init(
                    name: "orders", numPartitions: 3, replicationFactor: 1,
                    configs: [
                        .init(name: "retention.ms", value: "1000"),
                        .init(name: "cleanup.policy", value: "delete"),
                    ])
            ]))
        let kinds = result.records.map(\.typeName)
        #expect(
            kinds == [
                "TopicRecord", "ConfigRecord", "ConfigRecord", "PartitionRecord", "PartitionRecord",
                "PartitionRecord",
            ])
        let answer = try #require(result.response.topics.first)
        #expect(
            answer.errorCode == .none && answer.numPartitions == 3 && answer.replicationFactor == 1)
        #expect(answer.topicId != .zero)
        let retention = try #require(answer.configs?.first { $0.name == "retention.ms" })
        #expect(retention.value == "1000" && retention.configSource == 1)
        let segment = try #require(answer.configs?.first { $0.name == "segment.bytes" })
        #expect(segment.configSource == 5)
        #expect(answer.configs?.map(\.name) == TopicConfigs.describe([:]).map(\.name))
        #expect(
            result.events == [
                .topicCreated(
                    "orders", topicId: answer.topicId, partitions: 3, replicationFactor: 1)
            ])
        h.apply(result)
        let topic = try #require(h.image.topic("orders"))
        #expect(topic.configs == ["retention.ms": "1000", "cleanup.policy": "delete"])
        // Three partitions striped over three brokers: each leads one.
        #expect(Set(topic.partitions.compactMap(\.leader)) == [NodeID(1), NodeID(2), NodeID(3)])
        for p in topic.partitions {
            #expect(p.isr == p.replicas && p.leader == p.replicas.first && p.leaderEpoch == 0)
        }
    }

    @Test("-1 takes num.partitions and default.replication.factor")
    func defaults() {
        var h = ControllerHarness(brokers: 1, config: QuorumControllerConfig(defaultPartitions: 4))
        let answer = h.createTopic("a", partitions: -1, replicationFactor: -1)
        #expect(answer?.numPartitions == 4 && answer?.replicationFactor == 1)
        #expect(h.image.topic("a")?.partitions.count == 4)
    }

    @Test("replicas go only to unfenced brokers while any is there")
    func placesOnUnfenced() {
        var h = ControllerHarness(brokers: 3)
        h.heartbeat(NodeID(2), wantFence: true)
        h.createTopic("t", partitions: 12)
        let leaders = Set(h.image.topic("t")?.partitions.compactMap(\.leader) ?? [])
        #expect(leaders == [NodeID(1), NodeID(3)])
    }

    @Test(
        "refusals carry Kafka's codes and messages",
        arguments: [
            (
                CreateTopicsRequest.Topic(name: "bad name"), ErrorCode.invalidTopicException,
                "Topic name is invalid: 'bad name' contains one or more characters other than ASCII alphanumerics, '.', '_' and '-'"
            ),
            (
                .init(name: "t", replicationFactor: 0), .invalidReplicationFactor,
                "Replication factor must be larger than 0, or -1 to use the default value."
            ),
            (
                .init(name: "t", numPartitions: -2), .invalidPartitions,
                "Number of partitions was set to an invalid non-positive value."
            ),
            (
                .init(name: "t", replicationFactor: 3), .invalidReplicationFactor,
                "Unable to replicate the partition 3 time(s): The target replication factor of 3 cannot be reached because only 2 broker(s) are registered."
            ),
            (
                .init(
                    name: "t",
                    configs: [
                        .init(name: "retention.ms", value: nil),
                        .init(name: "segment.ms", value: nil),
                    ]),
                .invalidConfig,
                "Null value not supported for topic configs: retention.ms,segment.ms"
            ),
            (
                .init(name: "t", configs: [.init(name: "no.such.config", value: "1")]),
                .invalidConfig,
                "Unknown topic config name: no.such.config"
            ),
            (
                .init(name: "t", numPartitions: 100_000), .invalidPartitions,
                "Number of partitions 100000 is above this cluster's limit of \(Limits.partitionsPerTopicMax)."
            ),
        ])
    func refusals(topic: CreateTopicsRequest.Topic, code: ErrorCode, message: String) {
        var h = ControllerHarness(brokers: 2)
        let result = h.controller.handleCreateTopics(CreateTopicsRequest(topics: [topic]))
        #expect(result.records.isEmpty && result.events.isEmpty)
        let answer = result.response.topics.first
        #expect(answer?.errorCode == code)
        #expect(answer?.errorMessage == message)
        #expect(answer?.configs == nil && answer?.numPartitions == -1)
    }

    @Test("an existing topic, a duplicated name, and no unfenced broker are refused")
    func moreRefusals() {
        var h = ControllerHarness(brokers: 1)
        h.createTopic("orders")
        let result = h.controller.handleCreateTopics(
            CreateTopicsRequest(topics: [.init(name: "orders"), .init(name: "x"), .init(name: "x")])
        )
        #expect(
            result.response.topics.map(\.errorCode) == [
                .topicAlreadyExists, .invalidRequest, .invalidRequest,
            ])
        #expect(result.response.topics.first?.errorMessage == "Topic 'orders' already exists.")
        #expect(result.response.topics.last?.errorMessage == "Duplicate topic name.")
        h.heartbeat(NodeID(1), wantFence: true)
        let fenced = h.controller.handleCreateTopics(
            CreateTopicsRequest(topics: [.init(name: "y")]))
        #expect(
            fenced.response.topics.first?.errorMessage
                == "Unable to replicate the partition 1 time(s): All brokers are currently fenced.")
    }

    @Test("validateOnly answers as if created and writes nothing")
    func validateOnly() {
        var h = ControllerHarness(brokers: 1)
        let result = h.controller.handleCreateTopics(
            CreateTopicsRequest(topics: [.init(name: "t", numPartitions: 2)], validateOnly: true))
        #expect(result.records.isEmpty && result.events.isEmpty)
        #expect(result.response.topics.first?.errorCode == ErrorCode.none)
        #expect(result.response.topics.first?.numPartitions == 2)
    }

    @Test("two topics in one request see each other: the second of the same name is refused")
    func sequentialInOneRequest() {
        var h = ControllerHarness(brokers: 1)
        let result = h.apply(
            h.controller.handleCreateTopics(
                CreateTopicsRequest(topics: [.init(name: "a", numPartitions: 2), .init(name: "b")]))
        )
        #expect(result.topics.map(\.errorCode) == [.none, .none])
        #expect(h.image.topicNames == ["a", "b"])
        #expect(h.image.topic("a")?.id != h.image.topic("b")?.id)
    }

    @Test("replicas by hand: placed as given, checked as Kafka checks them")
    func manualAssignments() {
        var h = ControllerHarness(brokers: 3)
        let ok = h.apply(
            h.controller.handleCreateTopics(
                CreateTopicsRequest(topics: [
                    .init(
                        name: "m",
                        assignments: [
                            .init(partitionIndex: 1, brokerIds: [3]),
                            .init(partitionIndex: 0, brokerIds: [2]),
                        ])
                ])))
        #expect(ok.topics.first?.errorCode == ErrorCode.none)
        #expect(
            h.image.partition("m", 0)?.leader == NodeID(2)
                && h.image.partition("m", 1)?.leader == NodeID(3))
        func refusal(_ assignments: [CreateTopicsRequest.Assignment], partitions: Int32 = -1) -> (
            ErrorCode, String?
        ) {
            let answer = h.controller.handleCreateTopics(
                CreateTopicsRequest(topics: [
                    .init(name: "n", numPartitions: partitions, assignments: assignments)
                ])
            ).response.topics.first
            return (answer?.errorCode ?? .none, answer?.errorMessage)
        }
        #expect(
            refusal([.init(partitionIndex: 0, brokerIds: [1])], partitions: 1)
                == (
                    .invalidRequest,
                    "A manual partition assignment was specified, but numPartitions was not set to -1."
                ))
        #expect(
            refusal([.init(partitionIndex: 0, brokerIds: [7])])
                == (
                    .invalidReplicaAssignment,
                    "The manual partition assignment includes broker 7, but no such broker is registered."
                ))
        #expect(
            refusal([.init(partitionIndex: 1, brokerIds: [1])])
                == (
                    .invalidReplicaAssignment,
                    "partitions should be a consecutive 0-based integer sequence"
                ))
        #expect(
            refusal([.init(partitionIndex: 0, brokerIds: [1, 1])])
                == (
                    .invalidReplicaAssignment,
                    "The manual partition assignment includes the broker 1 more than once."
                ))
    }

    @Test("delete by name and by id; unknown and duplicated ones are refused")
    func delete() throws {
        var h = ControllerHarness(brokers: 1)
        h.createTopic("a", configs: ["retention.ms": "5"])
        h.createTopic("b")
        let idB = try #require(h.image.topic("b")?.id)
        let response = h.apply(
            h.controller.handleDeleteTopics(
                DeleteTopicsRequest(topics: [
                    .init(name: "a"), .init(name: nil, topicId: idB), .init(name: "zz"),
                    .init(
                        name: nil, topicId: Uuid(mostSignificantBits: 1, leastSignificantBits: 1)),
                ])))
        #expect(
            response.responses.map(\.errorCode) == [
                .none, .none, .unknownTopicOrPartition, .unknownTopicId,
            ])
        #expect(response.responses[1].name == "b")
        #expect(h.image.topicNames.isEmpty)
        #expect(
            h.events.suffix(2) == [
                .topicDeleted("a", topicId: response.responses[0].topicId),
                .topicDeleted("b", topicId: idB),
            ])
        h.createTopic("a")
        #expect(h.image.topic("a")?.configs.isEmpty == true)
        let twice = h.controller.handleDeleteTopics(
            DeleteTopicsRequest(topics: [.init(name: "a"), .init(name: "a")]))
        #expect(
            twice.records.isEmpty
                && twice.response.responses.map(\.errorMessage) == [
                    "Duplicate topic name.", "Duplicate topic name.",
                ])
    }

    @Test("CreatePartitions grows a topic, continuing its stripe; it never shrinks")
    func createPartitions() {
        var h = ControllerHarness(brokers: 3)
        h.createTopic("t", partitions: 2)
        let leaders = h.image.topic("t")?.partitions.compactMap(\.leader) ?? []
        let response = h.apply(
            h.controller.handleCreatePartitions(
                CreatePartitionsRequest(topics: [.init(name: "t", count: 3)])))
        #expect(response.results.map(\.errorCode) == [.none])
        let third = h.image.partition("t", 2)
        // The stripe goes on from the last partition's leader.
        if let last = leaders.last { #expect(third?.leader == NodeID(last.rawValue % 3 + 1)) }
        #expect(h.events.last == .partitionsAdded(topic: "t", from: 2, to: 3))
        let refused = h.controller.handleCreatePartitions(
            CreatePartitionsRequest(topics: [
                .init(name: "t", count: 3), .init(name: "t2", count: 4), .init(name: "u", count: 5),
            ]))
        #expect(
            refused.response.results.map(\.errorMessage) == [
                "Topic already has 3 partition(s).",
                "This server does not host this topic-partition.",
                "This server does not host this topic-partition.",
            ])
        let lower = h.controller.handleCreatePartitions(
            CreatePartitionsRequest(topics: [.init(name: "t", count: 1)]))
        #expect(
            lower.response.results.first?.errorMessage
                == "The topic t currently has 3 partition(s); 1 would not be an increase.")
        let dry = h.controller.handleCreatePartitions(
            CreatePartitionsRequest(topics: [.init(name: "t", count: 9)], validateOnly: true))
        #expect(dry.records.isEmpty && dry.response.results.first?.errorCode == ErrorCode.none)
        let manual = h.apply(
            h.controller.handleCreatePartitions(
                CreatePartitionsRequest(topics: [
                    .init(name: "t", count: 4, assignments: [.init(brokerIds: [2])])
                ])))
        #expect(
            manual.results.first?.errorCode == ErrorCode.none
                && h.image.partition("t", 3)?.leader == NodeID(2))
        let miscounted = h.controller.handleCreatePartitions(
            CreatePartitionsRequest(topics: [
                .init(name: "t", count: 6, assignments: [.init(brokerIds: [2])])
            ]))
        #expect(
            miscounted.response.results.first?.errorMessage
                == "Attempted to add 2 additional partition(s), but only 1 assignment(s) were specified."
        )
    }
}
