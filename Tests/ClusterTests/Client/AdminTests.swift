// Client tests: the admin client against the fake cluster over loopback. Goal: per-topic
// results with Kafka's codes and messages, retries on NOT_CONTROLLER, and descriptions,
// offsets, cluster and configs as the broker reports them.

import Testing

@testable import Cluster

@Suite struct AdminTests {
    @Test("createTopics answers per topic with Kafka's error code and message")
    func create() async throws {
        try await withFakeKafka { kafka, client in
            let admin = Admin(client: client)
            kafka.createTopic("existing", partitions: 1)
            let results = try await admin.createTopics([
                NewTopic(name: "orders", numPartitions: 3, replicationFactor: 1),
                NewTopic(name: "existing", numPartitions: 1),
                NewTopic(name: "empty", numPartitions: 0),
                NewTopic(name: "wide", numPartitions: 1, replicationFactor: 3),
            ])
            #expect(results.map(\.name) == ["orders", "existing", "empty", "wide"])
            #expect(
                results.map(\.errorCode) == [
                    .none, .topicAlreadyExists, .invalidPartitions, .invalidReplicationFactor,
                ])
            #expect(results[0].topicId == kafka.topicId("orders"))
            #expect(results[0].numPartitions == 3)
            #expect(results[1].errorMessage == "Topic 'existing' already exists.")
            #expect(kafka.requests(.createTopics).map(\.version) == [7])
        }
    }

    @Test("validateOnly checks but creates nothing")
    func validateOnly() async throws {
        try await withFakeKafka { kafka, client in
            let admin = Admin(client: client)
            let results = try await admin.createTopics(
                [NewTopic(name: "orders", numPartitions: 2)], validateOnly: true)
            #expect(results.first?.succeeded == true)
            #expect(try await admin.listTopics().isEmpty)
        }
    }

    @Test("NOT_CONTROLLER is retried after a metadata refresh")
    func notController() async throws {
        try await withFakeKafka { kafka, client in
            kafka.failCreateTopics(with: [.notController])
            let results = try await Admin(client: client).createTopics([
                NewTopic(name: "orders", numPartitions: 1)
            ])
            #expect(results.first?.errorCode == ErrorCode.none)
            #expect(kafka.requests(.createTopics).count == 2)
        }
    }

    @Test("describeTopics shows id, leaders, replicas and ISR; unknown topics say so")
    func describe() async throws {
        try await withFakeKafka(brokers: 2) { kafka, client in
            kafka.createTopic("orders", partitions: 4)
            let descriptions = try await Admin(client: client).describeTopics(["orders", "nope"])
            let orders = try #require(descriptions.first)
            #expect(orders.topicId == kafka.topicId("orders"))
            #expect(orders.partitions.map(\.partition) == [0, 1, 2, 3])
            #expect(orders.partitions.map(\.leader) == [1, 2, 1, 2])
            #expect(orders.partitions.map(\.isr) == [[1], [2], [1], [2]])
            #expect(orders.partitions.map(\.replicas) == [[1], [2], [1], [2]])
            #expect(descriptions.last?.errorCode == .unknownTopicOrPartition)
            #expect(descriptions.last?.partitions.isEmpty == true)
        }
    }

    @Test("listTopics is sorted; deleteTopics answers per topic")
    func listAndDelete() async throws {
        try await withFakeKafka { kafka, client in
            let admin = Admin(client: client)
            for name in ["payments", "audit", "orders"] { kafka.createTopic(name, partitions: 1) }
            #expect(try await admin.listTopics() == ["audit", "orders", "payments"])
            let deleted = try await admin.deleteTopics(["audit", "ghost"])
            #expect(deleted.map(\.errorCode) == [.none, .unknownTopicOrPartition])
            #expect(try await admin.listTopics() == ["orders", "payments"])
        }
    }

    @Test("listOffsets finds earliest, latest, by time and the max timestamp")
    func listOffsets() async throws {
        try await withFakeKafka { kafka, client in
            kafka.createTopic("orders", partitions: 2)
            let tp = TopicPartition("orders", 0)
            try kafka.append(tp, values: ["a", "b", "c"], timestamps: [100, 300, 200])
            try kafka.append(tp, values: ["d"], timestamps: [250])
            let admin = Admin(client: client)
            let earliest = try await admin.listOffsets(topic: "orders", spec: .earliest)
            #expect(earliest.map(\.offset) == [0, 0])
            let latest = try await admin.listOffsets(topic: "orders", spec: .latest)
            #expect(latest.map(\.offset) == [4, 0])
            let byTime = try await admin.listOffsets(
                topic: "orders", partitions: [0], spec: .timestamp(150))
            #expect(byTime.first?.offset == 1)
            #expect(byTime.first?.timestamp == 300)
            let late = try await admin.listOffsets(
                topic: "orders", partitions: [0], spec: .timestamp(999))
            #expect(late.first?.offset == -1)
            let max = try await admin.listOffsets(
                topic: "orders", partitions: [0], spec: .maxTimestamp)
            #expect(max.first?.offset == 1 && max.first?.timestamp == 300)
            await #expect(throws: KafkaClientError.unknownTopic("ghost")) {
                try await admin.listOffsets(topic: "ghost", spec: .latest)
            }
        }
    }

    @Test("listOffsets follows a leader that moved")
    func listOffsetsLeaderMoved() async throws {
        try await withFakeKafka(brokers: 2) { kafka, client in
            kafka.createTopic("orders", partitions: 1)
            let tp = TopicPartition("orders", 0)
            try kafka.append(tp, values: ["a", "b"])
            let admin = Admin(client: client)
            #expect(try await admin.listOffsets(topic: "orders", spec: .latest).first?.offset == 2)
            kafka.setLeader(tp, to: 2)
            #expect(try await admin.listOffsets(topic: "orders", spec: .latest).first?.offset == 2)
            #expect(kafka.requests(.listOffsets).map(\.broker) == [1, 1, 2])
        }
    }

    @Test("describeCluster names the cluster, controller and brokers")
    func cluster() async throws {
        try await withFakeKafka(brokers: 3) { kafka, client in
            let cluster = try await Admin(client: client).describeCluster()
            #expect(cluster.clusterId == "fake-cluster")
            #expect(cluster.controllerId == 1)
            #expect(cluster.brokers.map(\.nodeId) == [1, 2, 3])
        }
    }

    @Test("describeCluster falls back to Metadata when DescribeCluster is not offered")
    func clusterFallback() async throws {
        try await withFakeKafka(brokers: 2) { kafka, client in
            kafka.state.withLock { $0.advertised[.describeCluster] = nil }
            let cluster = try await Admin(client: client).describeCluster()
            #expect(cluster.clusterId == "fake-cluster")
            #expect(cluster.brokers.map(\.nodeId) == [1, 2])
            #expect(kafka.requests(.describeCluster).isEmpty)
        }
    }

    @Test("describeConfigs shows overrides and defaults with their sources")
    func configs() async throws {
        try await withFakeKafka { kafka, client in
            let admin = Admin(client: client)
            _ = try await admin.createTopics([
                NewTopic(name: "orders", numPartitions: 1, configs: ["retention.ms": "1000"])
            ])
            let entries = try await admin.describeConfigs(topic: "orders")
            let retention = try #require(entries.first { $0.name == "retention.ms" })
            #expect(retention.value == "1000")
            #expect(retention.sourceName == "DYNAMIC_TOPIC_CONFIG")
            let cleanup = try #require(entries.first { $0.name == "cleanup.policy" })
            #expect(cleanup.isDefault && cleanup.value == "delete")
            await #expect(throws: KafkaClientError.self) {
                try await admin.describeConfigs(topic: "ghost")
            }
        }
    }
}
