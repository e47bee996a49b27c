// Client tests: the producer against the fake cluster over loopback. Goal: partitioning as
// Kafka's, batching by size, linger and flush, pipelined bulk sends, acks=0, retries after
// leader moves, idempotent sequences with epoch bumps, and clear failures.

import Testing

@testable import Cluster

@Suite struct ProducerTests {
    static func producer(
        _ client: KafkaClient, _ configure: (inout ProducerConfig) -> Void = { _ in }
    )
        throws -> Producer
    {
        var config = ProducerConfig()
        config.retryBackoff = .milliseconds(5)
        config.retryBackoffMax = .milliseconds(20)
        configure(&config)
        return try Producer(client: client, config: config, partitionerSeed: 42)
    }

    @Test("keyed records go where murmur2 puts them, in order, with their headers")
    func keyed() async throws {
        try await withFakeKafka { kafka, client in
            kafka.createTopic("orders", partitions: 3)
            let producer = try Self.producer(client)
            let first = try await producer.send(
                topic: "orders", key: utf8("order-1"), value: utf8("created"),
                headers: [RecordHeader(key: "source", value: utf8("test"))], timestamp: 1_234)
            let second = try await producer.send(
                topic: "orders", key: utf8("order-1"), value: utf8("paid"))
            await producer.close()
            #expect(first.partition == 1)
            #expect(first.partitionChoice == .keyHash(murmur2: 1_221_710_326, partitions: 3))
            #expect(first.partitionChoice.description.hasSuffix("% 3 = 1"))
            #expect((first.offset, second.offset) == (0, 1))
            #expect(first.timestamp == 1_234)
            let stored = try kafka.records(TopicPartition("orders", 1))
            #expect(stored.map { text($0.value) } == ["created", "paid"])
            #expect(stored.first?.key == utf8("order-1"))
            #expect(stored.first?.headers == [RecordHeader(key: "source", value: utf8("test"))])
            #expect(stored.first?.timestamp == 1_234)
        }
    }

    @Test("an explicit partition is honoured; one past the count is refused")
    func explicit() async throws {
        try await withFakeKafka { kafka, client in
            kafka.createTopic("orders", partitions: 3)
            let producer = try Self.producer(client)
            let sent = try await producer.send(
                topic: "orders", key: utf8("order-1"), value: [1], partition: 2)
            #expect(sent.partition == 2 && sent.partitionChoice == .explicit)
            await #expect(
                throws: KafkaClientError.unknownPartition(
                    TopicPartition("orders", 3), partitionCount: 3)
            ) {
                try await producer.send(topic: "orders", value: [1], partition: 3)
            }
            await producer.close()
        }
    }

    @Test("metadata.max.age.ms refreshes the routes, so new partitions are used")
    func metadataMaxAge() async throws {
        try await withFakeKafka(configure: { $0.metadataMaxAge = .zero }) { kafka, client in
            kafka.createTopic("orders", partitions: 1)
            let producer = try Self.producer(client)
            _ = try await producer.send(topic: "orders", key: utf8("order-2"), value: [1])
            kafka.addPartitions("orders", count: 49)
            // Wait (bounded) for a periodic refresh to show 50 partitions.
            var partition: Int32 = 0
            for _ in 0..<2_000 where partition == 0 {
                partition = try await producer.send(
                    topic: "orders", key: utf8("order-2"), value: [2]
                ).partition
            }
            #expect(partition == 43)
            await producer.close()
        }
    }

    @Test("records wait for linger.ms until flush sends them as one batch")
    func lingerAndFlush() async throws {
        try await withFakeKafka { kafka, client in
            kafka.createTopic("orders", partitions: 1)
            let producer = try Self.producer(client) { $0.linger = .seconds(60) }
            var pending: [PendingRecord] = []
            for i in 0..<3 {
                pending.append(try await producer.enqueue(topic: "orders", value: [UInt8(i)]))
            }
            #expect(pending.allSatisfy { !$0.isDone })
            #expect(kafka.produced.isEmpty)
            await producer.flush()
            #expect(pending.allSatisfy { $0.isDone })
            #expect(kafka.produced.count == 1)
            #expect(kafka.produced.first?.header.recordsCount == 3)
            let offsets = try await pending.asyncMap { try await $0.metadata().offset }
            #expect(offsets == [0, 1, 2])
            await producer.close()
        }
    }

    @Test("unkeyed records stick to one partition until its batch is sent, then move on")
    func sticky() async throws {
        try await withFakeKafka { kafka, client in
            kafka.createTopic("orders", partitions: 3)
            let producer = try Self.producer(client) { $0.linger = .seconds(60) }
            var first: [Int32] = []
            for _ in 0..<10 {
                first.append(try await producer.enqueue(topic: "orders", value: [1]).partition)
            }
            await producer.flush()
            var second: [Int32] = []
            for _ in 0..<10 {
                second.append(try await producer.enqueue(topic: "orders", value: [2]).partition)
            }
            await producer.flush()
            #expect(Set(first).count == 1)
            #expect(Set(second).count == 1)
            #expect(first.first != second.first)
            #expect(kafka.produced.count == 2)
            let choice = try await producer.enqueue(topic: "orders", value: [3]).partitionChoice
            #expect(choice == .sticky)
            await producer.close()
        }
    }

    @Test("a bulk send pipelines full batches and every record is acknowledged in order")
    func bulk() async throws {
        try await withFakeKafka { kafka, client in
            kafka.createTopic("orders", partitions: 3)
            let producer = try Self.producer(client) { $0.batchSize = 4_096 }
            var pending: [PendingRecord] = []
            for i in 0..<20_000 {
                pending.append(
                    try await producer.enqueue(topic: "orders", value: Array("value-\(i)".utf8)))
            }
            await producer.flush()
            var offsets: [Int32: [Int64]] = [:]
            for record in pending {
                offsets[record.partition, default: []].append(try await record.metadata().offset)
            }
            for (partition, list) in offsets {
                #expect(list == Array(0..<Int64(list.count)), "partition \(partition)")
                #expect(kafka.logEnd(TopicPartition("orders", partition)) == Int64(list.count))
            }
            #expect(offsets.values.reduce(0) { $0 + $1.count } == 20_000)
            let batches = kafka.produced
            #expect(batches.count < 200)
            #expect(kafka.requests(.produce).count <= batches.count)
            // Idempotent by default: one producer id, consecutive sequences per partition.
            #expect(Set(batches.map(\.header.producerId)) == [1_000])
            for partition in offsets.keys {
                let mine = batches.filter { $0.topicPartition.partition == partition }.map(\.header)
                var expected: Int32 = 0
                for header in mine {
                    #expect(header.baseSequence == expected)
                    expected = header.baseSequence + header.lastOffsetDelta + 1
                }
            }
            await producer.close()
        }
    }

    @Test("acks=0 waits for no answer, and the connection stays in step")
    func acksZero() async throws {
        try await withFakeKafka { kafka, client in
            kafka.createTopic("orders", partitions: 1)
            let producer = try Self.producer(client) {
                $0.acks = 0
                $0.enableIdempotence = false
            }
            let sent = try await producer.send(topic: "orders", value: utf8("fire"))
            #expect(sent.offset == -1)
            for _ in 0..<4 {
                _ = try await producer.enqueue(topic: "orders", value: utf8("forget"))
            }
            await producer.flush()
            // The same connection then answers a ListOffsets correctly.
            let end = try await Admin(client: client).listOffsets(topic: "orders", spec: .latest)
            #expect(end.first?.offset == 5)
            #expect(kafka.requests(.initProducerId).isEmpty)
            await producer.close()
        }
    }

    @Test("NOT_LEADER_OR_FOLLOWER refreshes metadata and the batch goes to the new leader")
    func leaderMoves() async throws {
        try await withFakeKafka(brokers: 2) { kafka, client in
            kafka.createTopic("orders", partitions: 1)
            let tp = TopicPartition("orders", 0)
            let producer = try Self.producer(client)
            #expect(try await producer.send(topic: "orders", value: utf8("a")).offset == 0)
            kafka.setLeader(tp, to: 2)
            #expect(try await producer.send(topic: "orders", value: utf8("b")).offset == 1)
            #expect(kafka.produced.map(\.broker) == [1, 2])
            #expect(kafka.requests(.produce).map(\.broker) == [1, 1, 2])
            #expect(try kafka.records(tp).map { text($0.value) } == ["a", "b"])
            await producer.close()
        }
    }

    @Test("a retriable error is retried; a lost connection too")
    func retries() async throws {
        try await withFakeKafka { kafka, client in
            kafka.createTopic("orders", partitions: 1)
            let tp = TopicPartition("orders", 0)
            let producer = try Self.producer(client)
            kafka.failProduce(tp, with: [.notEnoughReplicas, .requestTimedOut])
            #expect(try await producer.send(topic: "orders", value: utf8("a")).offset == 0)
            kafka.dropConnection(onNext: .produce)
            #expect(try await producer.send(topic: "orders", value: utf8("b")).offset == 1)
            #expect(try kafka.records(tp).count == 2)
            await producer.close()
        }
    }

    @Test("a non-retriable error fails the send with Kafka's code")
    func nonRetriable() async throws {
        try await withFakeKafka { kafka, client in
            kafka.createTopic("orders", partitions: 1)
            let producer = try Self.producer(client)
            kafka.failProduce(TopicPartition("orders", 0), with: [.invalidRecord])
            do {
                _ = try await producer.send(topic: "orders", value: utf8("bad"))
                Issue.record("expected INVALID_RECORD")
            } catch let error as KafkaClientError {
                #expect(error.errorCode == .invalidRecord)
                #expect(error.description.contains("INVALID_RECORD"))
            }
            await producer.close()
        }
    }

    @Test("idempotent batches carry the producer id and consecutive sequences")
    func idempotentSequences() async throws {
        try await withFakeKafka { kafka, client in
            kafka.createTopic("orders", partitions: 1)
            let producer = try Self.producer(client)
            for value in ["a", "b", "c"] {
                _ = try await producer.send(topic: "orders", value: utf8(value))
            }
            let headers = kafka.produced.map(\.header)
            #expect(headers.map(\.producerId) == [1_000, 1_000, 1_000])
            #expect(headers.map(\.producerEpoch) == [0, 0, 0])
            #expect(headers.map(\.baseSequence) == [0, 1, 2])
            #expect(kafka.requests(.initProducerId).count == 1)
            #expect(producer.producerIdAndEpoch == (1_000, 0))
            await producer.close()
        }
    }

    @Test("OUT_OF_ORDER_SEQUENCE_NUMBER bumps the epoch and the batch restarts at sequence 0")
    func outOfOrder() async throws {
        try await withFakeKafka { kafka, client in
            kafka.createTopic("orders", partitions: 1)
            let tp = TopicPartition("orders", 0)
            let producer = try Self.producer(client)
            _ = try await producer.send(topic: "orders", value: utf8("a"))
            kafka.failProduce(tp, with: [.outOfOrderSequenceNumber])
            let second = try await producer.send(topic: "orders", value: utf8("b"))
            #expect(second.offset == 1)
            let headers = kafka.produced.map(\.header)
            #expect(headers.map(\.producerEpoch) == [0, 1])
            #expect(headers.map(\.baseSequence) == [0, 0])
            #expect(kafka.requests(.initProducerId).count == 2)
            #expect(producer.producerIdAndEpoch == (1_000, 1))
            _ = try await producer.send(topic: "orders", value: utf8("c"))
            #expect(kafka.produced.last?.header.baseSequence == 1)
            await producer.close()
        }
    }

    @Test(
        "a batch written but unanswered is resent, and DUPLICATE_SEQUENCE_NUMBER counts as delivered"
    )
    func duplicate() async throws {
        try await withFakeKafka { kafka, client in
            kafka.createTopic("orders", partitions: 1)
            let tp = TopicPartition("orders", 0)
            let producer = try Self.producer(client)
            kafka.loseNextProduceAnswer()
            _ = try await producer.send(topic: "orders", value: utf8("once"))
            #expect(kafka.requests(.produce).count == 2)
            #expect(try kafka.records(tp).map { text($0.value) } == ["once"])
            let next = try await producer.send(topic: "orders", value: utf8("next"))
            #expect(next.offset == 1)
            #expect(kafka.produced.map(\.header.baseSequence) == [0, 1])
            await producer.close()
        }
    }

    @Test("gzip batches arrive compressed and read back the same")
    func gzip() async throws {
        try await withFakeKafka { kafka, client in
            kafka.createTopic("orders", partitions: 1)
            let producer = try Self.producer(client) { $0.compression = .gzip }
            for i in 0..<50 {
                _ = try await producer.enqueue(topic: "orders", value: Array("value \(i)".utf8))
            }
            await producer.flush()
            #expect(kafka.produced.allSatisfy { $0.header.compression == .gzip })
            let values = try kafka.records(TopicPartition("orders", 0)).map { text($0.value) ?? "" }
            #expect(values == (0..<50).map { "value \($0)" })
            await producer.close()
        }
    }

    @Test("a partition that never gets a leader fails after delivery.timeout.ms")
    func deliveryTimeout() async throws {
        try await withFakeKafka { kafka, client in
            kafka.createTopic("orders", partitions: 1, leaders: [-1])
            let producer = try Self.producer(client) {
                $0.linger = .zero
                $0.requestTimeout = .milliseconds(100)
                $0.deliveryTimeout = .milliseconds(200)
            }
            do {
                _ = try await producer.send(topic: "orders", value: utf8("lost"))
                Issue.record("expected a timeout")
            } catch let error as KafkaClientError {
                guard case .timedOut(let why) = error else {
                    Issue.record("unexpected \(error)")
                    return
                }
                #expect(why.contains("delivery.timeout.ms"))
            }
            await producer.close()
        }
    }

    @Test("a topic that does not exist fails after max.block.ms, naming it")
    func missingTopic() async throws {
        try await withFakeKafka { kafka, client in
            let producer = try Self.producer(client) { $0.maxBlock = .milliseconds(50) }
            do {
                _ = try await producer.send(topic: "ghost", value: [1])
                Issue.record("expected a timeout")
            } catch let error as KafkaClientError {
                #expect(error.description.contains("'ghost'"))
                #expect(error.description.contains("UNKNOWN_TOPIC_OR_PARTITION"))
            }
            await producer.close()
        }
    }

    @Test("close with a timeout fails what could not be delivered in time")
    func closeTimeout() async throws {
        try await withFakeKafka { kafka, client in
            kafka.createTopic("orders", partitions: 1, leaders: [-1])
            let producer = try Self.producer(client) { $0.linger = .zero }
            let pending = try await producer.enqueue(topic: "orders", value: [1])
            await producer.close(timeout: .milliseconds(20))
            do {
                _ = try await pending.metadata()
                Issue.record("expected a failure")
            } catch let error as KafkaClientError {
                #expect(error.description.contains("closed before"))
            }
        }
    }

    @Test("close sends what is buffered; sends after close fail")
    func close() async throws {
        try await withFakeKafka { kafka, client in
            kafka.createTopic("orders", partitions: 1)
            let producer = try Self.producer(client) { $0.linger = .seconds(60) }
            var pending: [PendingRecord] = []
            for i in 0..<5 {
                pending.append(try await producer.enqueue(topic: "orders", value: [UInt8(i)]))
            }
            await producer.close()
            #expect(pending.allSatisfy { $0.isDone })
            #expect(kafka.logEnd(TopicPartition("orders", 0)) == 5)
            await #expect(throws: KafkaClientError.closed) {
                try await producer.send(topic: "orders", value: [9])
            }
        }
    }
}

extension Array {
    func asyncMap<T>(_ transform: (Element) async throws -> T) async rethrows -> [T] {
        var out: [T] = []
        for element in self { out.append(try await transform(element)) }
        return out
    }
}
