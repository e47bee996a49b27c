// Client tests: the assign-mode consumer against the fake cluster over loopback. Goal:
// records in order with their fields, positions, seeks, skipping below the fetch offset,
// auto.offset.reset, leader moves, topic ids in Fetch v13+, and a producer round trip.

import Testing

@testable import Cluster

@Suite struct ConsumerTests {
    static let tp = TopicPartition("orders", 0)

    static func consumer(
        _ client: KafkaClient, _ configure: (inout ConsumerConfig) -> Void = { _ in }
    ) -> Consumer {
        var config = ConsumerConfig()
        config.fetchMaxWait = .milliseconds(20)
        config.retryBackoff = .milliseconds(5)
        configure(&config)
        return Consumer(client: client, config: config)
    }

    /// Polls until `count` records arrived (each poll bounded; the whole bounded too).
    static func poll(_ consumer: Consumer, count: Int, maxRecords: Int? = nil) async throws
        -> [ConsumedRecord]
    {
        var records: [ConsumedRecord] = []
        for _ in 0..<200 where records.count < count {
            records += try await consumer.poll(timeout: .seconds(5), maxRecords: maxRecords)
        }
        return records
    }

    @Test("seek to earliest and poll returns the records in order with all their fields")
    func readsRecords() async throws {
        try await withFakeKafka { kafka, client in
            kafka.createTopic("orders", partitions: 1)
            try kafka.append(
                Self.tp, values: ["a", "b"], keys: ["k1", nil], timestamps: [10, 20])
            try kafka.append(Self.tp, values: ["c"], keys: ["k3"], timestamps: [30])
            let consumer = Self.consumer(client)
            await consumer.assign([Self.tp])
            try await consumer.seek(Self.tp, to: .earliest)
            let records = try await Self.poll(consumer, count: 3)
            #expect(records.map(\.offset) == [0, 1, 2])
            #expect(records.map { text($0.value) } == ["a", "b", "c"])
            #expect(records.map { text($0.key) } == ["k1", nil, "k3"])
            #expect(records.map(\.timestamp) == [10, 20, 30])
            #expect(records.allSatisfy { $0.timestampType == .createTime && $0.topic == "orders" })
            #expect(records.first?.headers == [RecordHeader(key: "n", value: [0])])
            #expect(try await consumer.position(Self.tp) == 3)
        }
    }

    @Test("records before the fetch offset in the returned batch are skipped")
    func skipsBelowOffset() async throws {
        try await withFakeKafka { kafka, client in
            kafka.createTopic("orders", partitions: 1)
            try kafka.append(Self.tp, values: (0..<10).map { "v\($0)" })
            let consumer = Self.consumer(client)
            await consumer.assign([Self.tp])
            try await consumer.seek(Self.tp, to: .offset(4))
            let records = try await Self.poll(consumer, count: 6)
            #expect(records.map(\.offset) == Array(4...9))
            #expect(text(records.first?.value) == "v4")
        }
    }

    @Test("maxRecords bounds a poll; the rest comes in the next ones")
    func maxRecords() async throws {
        try await withFakeKafka { kafka, client in
            kafka.createTopic("orders", partitions: 1)
            try kafka.append(Self.tp, values: (0..<10).map { "v\($0)" })
            let consumer = Self.consumer(client)
            await consumer.assign([Self.tp])
            try await consumer.seek(Self.tp, to: .earliest)
            let first = try await consumer.poll(timeout: .seconds(5), maxRecords: 4)
            #expect(first.map(\.offset) == [0, 1, 2, 3])
            #expect(try await consumer.position(Self.tp) == 4)
            let second = try await consumer.poll(timeout: .seconds(5), maxRecords: 4)
            #expect(second.map(\.offset) == [4, 5, 6, 7])
            let third = try await consumer.poll(timeout: .seconds(5), maxRecords: 4)
            #expect(third.map(\.offset) == [8, 9])
            #expect(kafka.requests(.fetch).count == 1)
        }
    }

    @Test("without a position, auto.offset.reset picks the start or the end")
    func autoOffsetReset() async throws {
        try await withFakeKafka { kafka, client in
            kafka.createTopic("orders", partitions: 1)
            try kafka.append(Self.tp, values: ["a", "b"])
            let latest = Self.consumer(client)
            await latest.assign([Self.tp])
            #expect(try await latest.position(Self.tp) == 2)
            let earliest = Self.consumer(client) { $0.autoOffsetReset = .earliest }
            await earliest.assign([Self.tp])
            #expect(try await Self.poll(earliest, count: 2).map(\.offset) == [0, 1])
            let none = Self.consumer(client) { $0.autoOffsetReset = .none }
            await none.assign([Self.tp])
            await #expect(throws: KafkaClientError.noOffsetForPartition(Self.tp)) {
                try await none.poll(timeout: .zero)
            }
        }
    }

    @Test("OFFSET_OUT_OF_RANGE resets by auto.offset.reset, or fails with none")
    func outOfRange() async throws {
        try await withFakeKafka { kafka, client in
            kafka.createTopic("orders", partitions: 1)
            try kafka.append(Self.tp, values: ["a", "b"])
            try kafka.append(Self.tp, values: ["c"])
            kafka.truncateStart(Self.tp, to: 2)
            let earliest = Self.consumer(client) { $0.autoOffsetReset = .earliest }
            await earliest.assign([Self.tp])
            try await earliest.seek(Self.tp, to: .offset(0))
            #expect(try await Self.poll(earliest, count: 1).map { text($0.value) } == ["c"])
            let none = Self.consumer(client) { $0.autoOffsetReset = .none }
            await none.assign([Self.tp])
            try await none.seek(Self.tp, to: .offset(50))
            await #expect(throws: KafkaClientError.offsetOutOfRange(Self.tp, offset: 50)) {
                try await none.poll(timeout: .seconds(5))
            }
        }
    }

    @Test("NOT_LEADER_OR_FOLLOWER refreshes metadata and fetching moves to the new leader")
    func leaderMoves() async throws {
        try await withFakeKafka(brokers: 2) { kafka, client in
            kafka.createTopic("orders", partitions: 1)
            try kafka.append(Self.tp, values: ["a"])
            let consumer = Self.consumer(client)
            await consumer.assign([Self.tp])
            try await consumer.seek(Self.tp, to: .earliest)
            #expect(try await Self.poll(consumer, count: 1).count == 1)
            kafka.setLeader(Self.tp, to: 2)
            try kafka.append(Self.tp, values: ["b"])
            let next = try await Self.poll(consumer, count: 1)
            #expect(next.map { text($0.value) } == ["b"])
            #expect(kafka.requests(.fetch).last?.broker == 2)
        }
    }

    @Test("a retriable fetch error is retried")
    func retriableFetchError() async throws {
        try await withFakeKafka { kafka, client in
            kafka.createTopic("orders", partitions: 1)
            try kafka.append(Self.tp, values: ["a"])
            kafka.failFetch(Self.tp, with: [.notLeaderOrFollower, .unknownTopicOrPartition])
            let consumer = Self.consumer(client)
            await consumer.assign([Self.tp])
            try await consumer.seek(Self.tp, to: .earliest)
            #expect(try await Self.poll(consumer, count: 1).map(\.offset) == [0])
            #expect(kafka.requests(.fetch).count == 3)
        }
    }

    @Test("Fetch names topics by id from v13, by name when the broker is older")
    func topicIds() async throws {
        try await withFakeKafka { kafka, client in
            kafka.createTopic("orders", partitions: 1)
            try kafka.append(Self.tp, values: ["a"])
            let consumer = Self.consumer(client)
            await consumer.assign([Self.tp])
            try await consumer.seek(Self.tp, to: .earliest)
            _ = try await Self.poll(consumer, count: 1)
            #expect(kafka.requests(.fetch).map(\.version) == [16])
            let ids = kafka.state.withLock { $0.fetchedTopicIds }
            #expect(ids == [kafka.topicId("orders")])
        }
        try await withFakeKafka { kafka, client in
            kafka.advertise(.fetch, 4...12)
            kafka.createTopic("orders", partitions: 1)
            try kafka.append(Self.tp, values: ["a"])
            let consumer = Self.consumer(client)
            await consumer.assign([Self.tp])
            try await consumer.seek(Self.tp, to: .earliest)
            #expect(try await Self.poll(consumer, count: 1).count == 1)
            #expect(kafka.requests(.fetch).map(\.version) == [12])
        }
    }

    @Test("a broker that speaks no usable Fetch version is refused by name")
    func fetchUnsupported() async throws {
        try await withFakeKafka { kafka, client in
            kafka.advertise(.fetch, 0...3)
            kafka.createTopic("orders", partitions: 1)
            let consumer = Self.consumer(client)
            await consumer.assign([Self.tp])
            try await consumer.seek(Self.tp, to: .offset(0))
            // Refused before anything is sent, naming both version ranges.
            await #expect(
                throws: KafkaClientError.unsupportedVersion(
                    api: .fetch, broker: 1, brokerVersions: 0...3, clientVersions: 4...16)
            ) {
                try await consumer.poll(timeout: .seconds(5))
            }
            #expect(kafka.requests(.fetch).isEmpty)
        }
    }

    @Test("seek to a timestamp finds the first record at or after it, else the end")
    func seekTimestamp() async throws {
        try await withFakeKafka { kafka, client in
            kafka.createTopic("orders", partitions: 1)
            try kafka.append(Self.tp, values: ["a", "b", "c"], timestamps: [100, 200, 300])
            let consumer = Self.consumer(client)
            await consumer.assign([Self.tp])
            try await consumer.seek(Self.tp, to: .timestamp(150))
            #expect(try await consumer.position(Self.tp) == 1)
            try await consumer.seek(Self.tp, to: .timestamp(1_000))
            #expect(try await consumer.position(Self.tp) == 3)
            try await consumer.seek(Self.tp, to: .latest)
            #expect(try await consumer.position(Self.tp) == 3)
        }
    }

    @Test("a partial batch at the end of a fetch is fetched whole next time")
    func partialBatches() async throws {
        try await withFakeKafka { kafka, client in
            kafka.createTopic("orders", partitions: 1)
            for i in 0..<4 { try kafka.append(Self.tp, values: ["batch-\(i)-a", "batch-\(i)-b"]) }
            let consumer = Self.consumer(client) { $0.maxPartitionFetchBytes = 100 }
            await consumer.assign([Self.tp])
            try await consumer.seek(Self.tp, to: .earliest)
            let records = try await Self.poll(consumer, count: 8)
            #expect(records.map(\.offset) == Array(0...7))
            #expect(kafka.requests(.fetch).count >= 4)
        }
    }

    @Test("poll with nothing assigned, or seek on an unassigned partition, is refused")
    func misuse() async throws {
        try await withFakeKafka { kafka, client in
            let consumer = Self.consumer(client)
            await #expect(throws: KafkaClientError.noAssignment) {
                try await consumer.poll(timeout: .zero)
            }
            await #expect(throws: KafkaClientError.notAssigned(Self.tp)) {
                try await consumer.seek(Self.tp, to: .earliest)
            }
        }
    }

    @Test("poll returns nothing when nothing arrives in time")
    func emptyPoll() async throws {
        try await withFakeKafka { kafka, client in
            kafka.createTopic("orders", partitions: 1)
            let consumer = Self.consumer(client)
            await consumer.assign([Self.tp])
            let records = try await consumer.poll(timeout: .milliseconds(30))
            #expect(records.isEmpty)
            let position = try await consumer.position(Self.tp)
            #expect(position == 0)
        }
    }

    @Test("what a producer sends, a consumer reads back, per partition in order")
    func roundTrip() async throws {
        try await withFakeKafka(brokers: 2) { kafka, client in
            kafka.createTopic("orders", partitions: 4)
            let producer = try Producer(client: client)
            var sent: [TopicPartition: [String]] = [:]
            for i in 0..<1_000 {
                let pending = try await producer.enqueue(
                    topic: "orders", key: utf8("key-\(i % 37)"), value: utf8("value-\(i)"))
                sent[TopicPartition("orders", pending.partition), default: []].append("value-\(i)")
            }
            await producer.flush()
            let consumer = Self.consumer(client) { $0.autoOffsetReset = .earliest }
            await consumer.assign((0..<4).map { TopicPartition("orders", $0) })
            let records = try await Self.poll(consumer, count: 1_000)
            var got: [TopicPartition: [String]] = [:]
            for record in records {
                got[record.topicPartition, default: []].append(text(record.value) ?? "")
            }
            #expect(got == sent)
            await producer.close()
        }
    }
}
