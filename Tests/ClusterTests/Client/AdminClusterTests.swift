// Client tests: the admin calls that change a cluster, against a real embedded cluster on
// loopback. Goal: each call's effect is real (the log start moves and a consumer starts there;
// new partitions take writes; config changes show with their source; group offsets, listings,
// descriptions and deletions match what the coordinator holds), and errors carry Kafka's
// codes. Method: the Admin calls over the wire, checked by other calls and by the cluster.

import Foundation
import Testing

@testable import Cluster

@Suite(.serialized) struct AdminClusterTests {
    /// A started cluster, an admin on it, and cleanup.
    struct Fixture {
        var cluster: EmbeddedCluster
        var bootstrap: [String]
        var admin: Admin
        var directory: String

        func client() throws -> KafkaClient { try KafkaClient(bootstrapServers: bootstrap) }

        func close() async {
            await admin.client.close()
            await cluster.shutdown()
            try? FileManager.default.removeItem(atPath: directory)
        }
    }

    static func start(brokers: Int = 1, topics: [NewTopic]) async throws -> Fixture {
        let directory = temporaryDirectory("admin")
        let cluster = try EmbeddedCluster(
            config: EmbeddedClusterConfig(brokerCount: brokers, dataDirectory: directory))
        try await cluster.start()
        let bootstrap = await cluster.status().bootstrap.split(separator: ",").map(String.init)
        let admin = Admin(client: try KafkaClient(bootstrapServers: bootstrap))
        let created = try await admin.createTopics(topics)
        #expect(created.allSatisfy { $0.succeeded }, "\(created)")
        #expect(await cluster.waitForMetadataConvergence())
        return Fixture(cluster: cluster, bootstrap: bootstrap, admin: admin, directory: directory)
    }

    /// Writes `count` records to `tp` and returns their offsets.
    static func produce(_ count: Int, to tp: TopicPartition, on fixture: Fixture) async throws -> [Int64] {
        let client = try fixture.client()
        let producer = try Producer(client: client)
        var offsets: [Int64] = []
        for i in 0..<count {
            let sent = try await producer.send(
                topic: tp.topic, value: Array("record-\(i)".utf8), partition: tp.partition)
            offsets.append(sent.offset)
        }
        await producer.close()
        await client.close()
        return offsets
    }

    @Test("deleteRecords moves the low watermark; a consumer from the beginning starts there")
    func deleteRecords() async throws {
        let fixture = try await Self.start(topics: [NewTopic(name: "trail", numPartitions: 2)])
        let p0 = TopicPartition("trail", 0), p1 = TopicPartition("trail", 1)
        #expect(try await Self.produce(10, to: p0, on: fixture) == Array(0..<10))
        #expect(try await Self.produce(6, to: p1, on: fixture) == Array(0..<6))

        let deleted = try await fixture.admin.deleteRecords(beforeOffsets: [
            p0: 4, p1: DeleteRecordsRequest.highWatermark, TopicPartition("ghost", 0): 1,
        ])
        #expect(
            deleted == [
                DeletedRecords(TopicPartition("ghost", 0), lowWatermark: -1, errorCode: .unknownTopicOrPartition),
                DeletedRecords(p0, lowWatermark: 4, errorCode: .none),
                DeletedRecords(p1, lowWatermark: 6, errorCode: .none),
            ])
        let earliest = try await fixture.admin.listOffsets(topic: "trail", spec: .earliest)
        #expect(earliest.map(\.offset) == [4, 6])

        // Beyond the high watermark is OFFSET_OUT_OF_RANGE, and the start stays.
        let beyond = try await fixture.admin.deleteRecords(beforeOffsets: [p0: 11])
        #expect(beyond.map(\.errorCode) == [.offsetOutOfRange])
        #expect(beyond.map(\.lowWatermark) == [4])

        let client = try fixture.client()
        var config = ConsumerConfig()
        config.autoOffsetReset = .earliest
        let consumer = Consumer(client: client, config: config)
        await consumer.assign([p0])
        try await consumer.seek(p0, to: .earliest)
        var read: [Int64] = []
        let clock = ContinuousClock()
        let deadline = clock.now + .seconds(10)
        while read.count < 6 && clock.now < deadline {
            read += try await consumer.poll(timeout: .milliseconds(200)).map(\.offset)
        }
        #expect(read == Array(4..<10))
        await consumer.close()
        await client.close()
        await fixture.close()
    }

    @Test("createPartitions grows a topic; the new partition takes writes; shrinking is INVALID_PARTITIONS")
    func createPartitions() async throws {
        let fixture = try await Self.start(brokers: 3, topics: [NewTopic(name: "grow", numPartitions: 1, replicationFactor: 2)])
        let grown = try await fixture.admin.createPartitions(topic: "grow", totalCount: 3)
        #expect(grown.errorCode == ErrorCode.none)
        #expect(await fixture.cluster.waitForMetadataConvergence())
        let described = try #require(try await fixture.admin.describeTopics(["grow"]).first)
        #expect(described.partitions.map(\.partition) == [0, 1, 2])
        #expect(described.partitions.allSatisfy { $0.replicas.count == 2 && $0.leader >= 0 })
        #expect(try await Self.produce(2, to: TopicPartition("grow", 2), on: fixture) == [0, 1])

        let shrink = try await fixture.admin.createPartitions(topic: "grow", totalCount: 2)
        #expect(shrink.errorCode == .invalidPartitions)
        let unknown = try await fixture.admin.createPartitions(topic: "ghost", totalCount: 2)
        #expect(unknown.errorCode == .unknownTopicOrPartition)
        let checked = try await fixture.admin.createPartitions(topic: "grow", totalCount: 5, validateOnly: true)
        #expect(checked.errorCode == ErrorCode.none)
        #expect(try await fixture.admin.describeTopics(["grow"]).first?.partitions.count == 3)
        await fixture.close()
    }

    @Test("incrementalAlterConfigs SET, APPEND, SUBTRACT and DELETE show in describeConfigs with their source")
    func incrementalAlterConfigs() async throws {
        let fixture = try await Self.start(topics: [NewTopic(name: "tuned", numPartitions: 1)])
        let admin = fixture.admin
        func entry(_ name: String) async throws -> ConfigEntry? {
            try await admin.describeConfigs(topic: "tuned").first { $0.name == name }
        }
        #expect(try await entry("retention.ms")?.sourceName == "DEFAULT_CONFIG")

        // cleanup.policy is the LIST config here (compaction is refused: only delete runs).
        let set = try await admin.incrementalAlterConfigs(
            topic: "tuned", [.set("retention.ms", "60000"), .append("cleanup.policy", "delete")])
        #expect(set.errorCode == ErrorCode.none)
        #expect(try await entry("retention.ms")?.value == "60000")
        #expect(try await entry("retention.ms")?.sourceName == "DYNAMIC_TOPIC_CONFIG")
        // APPEND adds only items not yet in the list.
        #expect(try await entry("cleanup.policy")?.value == "delete")
        #expect(try await entry("cleanup.policy")?.sourceName == "DYNAMIC_TOPIC_CONFIG")

        let subtract = try await admin.incrementalAlterConfigs(
            topic: "tuned", [.subtract("cleanup.policy", "compact"), .delete("retention.ms")])
        #expect(subtract.errorCode == ErrorCode.none)
        #expect(try await entry("cleanup.policy")?.value == "delete")
        #expect(try await entry("retention.ms")?.value == "604800000")
        #expect(try await entry("retention.ms")?.sourceName == "DEFAULT_CONFIG")

        let notList = try await admin.incrementalAlterConfigs(topic: "tuned", [.append("retention.ms", "1")])
        #expect(notList.errorCode == .invalidConfig)
        #expect(notList.errorMessage == "Can't APPEND to key retention.ms because its type is not LIST.")
        let invalid = try await admin.incrementalAlterConfigs(topic: "tuned", [.set("retention.ms", "soon")])
        #expect(invalid.errorCode == .invalidConfig)
        #expect(invalid.errorMessage?.isEmpty == false)
        let checked = try await admin.incrementalAlterConfigs(
            topic: "tuned", [.set("segment.bytes", "65536")], validateOnly: true)
        #expect(checked.errorCode == ErrorCode.none)
        #expect(try await entry("segment.bytes")?.sourceName == "DEFAULT_CONFIG")
        await fixture.close()
    }

    @Test("alterConfigs replaces the whole set of overrides: keys left out return to their defaults")
    func alterConfigs() async throws {
        let fixture = try await Self.start(topics: [
            NewTopic(name: "legacy", numPartitions: 1, configs: ["retention.ms": "60000"])
        ])
        let admin = fixture.admin
        let replaced = try await admin.alterConfigs(topic: "legacy", ["segment.bytes": "65536"])
        #expect(replaced.errorCode == ErrorCode.none)
        let entries = try await admin.describeConfigs(topic: "legacy")
        let segment = entries.first { $0.name == "segment.bytes" }
        #expect(segment?.value == "65536")
        #expect(segment?.sourceName == "DYNAMIC_TOPIC_CONFIG")
        #expect(entries.first { $0.name == "retention.ms" }?.sourceName == "DEFAULT_CONFIG")
        let invalid = try await admin.alterConfigs(topic: "legacy", ["segment.bytes": "big"])
        #expect(invalid.errorCode == .invalidConfig)
        #expect(try await admin.describeConfigs(topic: "legacy").first { $0.name == "segment.bytes" }?.value == "65536")
        await fixture.close()
    }

    @Test("group calls: list, describe, alter and list offsets, delete, as the coordinator holds them")
    func consumerGroups() async throws {
        let fixture = try await Self.start(topics: [NewTopic(name: "ledger", numPartitions: 2)])
        let admin = fixture.admin
        let p0 = TopicPartition("ledger", 0), p1 = TopicPartition("ledger", 1)
        _ = try await Self.produce(5, to: p0, on: fixture)

        // A group with no members takes offsets from outside a generation.
        let altered = try await admin.alterConsumerGroupOffsets("audit", [p0: 3, p1: 0])
        #expect(altered == [p0: .none, p1: .none])
        #expect(try await admin.listConsumerGroupOffsets("audit") == [p0: 3, p1: 0])
        #expect(await fixture.cluster.group("audit")?.offsets.map(\.committedOffset).sorted() == [0, 3])

        // A live member makes the group Stable and refuses outside commits and deletion.
        let memberClient = try fixture.client()
        var config = GroupConsumerConfig(groupId: "audit")
        config.sessionTimeout = .milliseconds(6_000)
        config.heartbeatInterval = .milliseconds(300)
        config.enableAutoCommit = false
        let member = try GroupConsumer(client: memberClient, config: config)
        try await member.subscribe(["ledger"])
        let clock = ContinuousClock()
        let deadline = clock.now + .seconds(20)
        var described: ConsumerGroupDescription?
        while clock.now < deadline {
            _ = try? await member.poll(timeout: .milliseconds(100))
            let now = try await admin.describeConsumerGroups(["audit"]).first
            if now?.state == "Stable", now?.members.first?.assignment.count == 2 { described = now; break }
        }
        let group = try #require(described)
        #expect(group.errorCode == ErrorCode.none)
        #expect(group.protocolType == "consumer")
        #expect(group.partitionAssignor == "range")
        #expect(group.members.count == 1)
        #expect(group.members.first?.assignment == [p0, p1])
        #expect(group.members.first?.host == "/127.0.0.1")
        let summary = try #require(await fixture.cluster.group("audit"))
        #expect(group.coordinator == summary.coordinator.rawValue)
        #expect(group.members.map(\.memberId) == summary.members.map(\.memberId))

        let listed = try await admin.listConsumerGroups()
        #expect(listed.contains(ConsumerGroupListing(groupId: "audit", state: "Stable", protocolType: "consumer")))
        #expect(try await admin.alterConsumerGroupOffsets("audit", [p0: 1]) == [p0: .unknownMemberId])
        #expect(try await admin.deleteConsumerGroups(["audit"]) == ["audit": .nonEmptyGroup])

        await member.leave()
        await memberClient.close()
        #expect(try await admin.describeConsumerGroups(["audit"]).first?.state == "Empty")
        #expect(try await admin.deleteConsumerGroups(["audit", "never"]) == ["audit": .none, "never": .groupIdNotFound])
        #expect(try await admin.listConsumerGroups().contains { $0.groupId == "audit" } == false)
        #expect(try await admin.listConsumerGroupOffsets("audit").isEmpty)
        let gone = try #require(try await admin.describeConsumerGroups(["audit"]).first)
        #expect(gone.state == "Dead")
        #expect(gone.members.isEmpty)
        await fixture.close()
    }
}
