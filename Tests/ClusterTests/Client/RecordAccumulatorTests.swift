// Client tests: the producer's accumulator, with time passed in by hand. Goal: batches close
// at batch.size, go after linger.ms or on flush, drain one per partition per request, expire
// after delivery.timeout.ms, and retries keep their order.

import Testing

@testable import Cluster

@Suite struct RecordAccumulatorTests {
    static let tp0 = TopicPartition("orders", 0)
    static let tp1 = TopicPartition("orders", 1)

    static func accumulator(
        batchSize: Int = 1_000, linger: Duration = .milliseconds(5),
        maxRequestSize: Int = 1_048_576, deliveryTimeout: Duration = .seconds(120)
    ) -> RecordAccumulator {
        RecordAccumulator(
            settings: RecordAccumulator.Settings(
                batchSize: batchSize, linger: linger, maxRequestSize: maxRequestSize,
                deliveryTimeout: deliveryTimeout, compression: .none))
    }

    static func entry(_ size: Int = 100, at timestamp: Int64 = 1_700_000_000_000)
        -> RecordBatchBuilder.Entry
    {
        RecordBatchBuilder.Entry(
            key: nil, value: Array(repeating: 7, count: size), timestamp: timestamp)
    }

    static func ms(_ n: Int64) -> Instant { Instant(nanoseconds: n * 1_000_000) }

    static func drainAll(_ acc: inout RecordAccumulator, at now: Instant)
        -> RecordAccumulator.DrainResult
    {
        acc.drain(now: now, leader: { _ in 1 }, nodeReady: { _ in true })
    }

    @Test("a batch closes when the next record would pass batch.size")
    func closesAtBatchSize() throws {
        var acc = Self.accumulator(batchSize: 1_000)
        var opened = 0
        var indexes: [Int32] = []
        for _ in 0..<20 {
            let appended = try #require(try acc.append(Self.entry(), to: Self.tp0, now: .zero))
            if appended.openedBatch { opened += 1 }
            indexes.append(appended.index)
        }
        let queue = acc.queue(Self.tp0)
        #expect(opened == queue.count)
        #expect(queue.count >= 3)
        for batch in queue.dropLast() {
            #expect(batch.isClosed)
            #expect(batch.sizeInBytes <= 1_000)
            // One more record would not have fitted.
            #expect(batch.sizeInBytes + 108 > 1_000)
        }
        #expect(indexes.prefix(3) == [0, 1, 2])
        #expect(acc.bufferedBytes == queue.reduce(0) { $0 + $1.sizeInBytes })
    }

    @Test(
        "a record larger than batch.size gets a batch of its own; beyond max.request.size it is refused"
    )
    func largeRecords() throws {
        var acc = Self.accumulator(batchSize: 200, maxRequestSize: 5_000)
        _ = try acc.append(Self.entry(50), to: Self.tp0, now: .zero)
        let big = try #require(try acc.append(Self.entry(1_000), to: Self.tp0, now: .zero))
        #expect(big.openedBatch && big.closedBatch && big.index == 0)
        #expect(acc.queue(Self.tp0).count == 2)
        #expect(throws: KafkaClientError.self) {
            try acc.append(Self.entry(6_000), to: Self.tp0, now: .zero)
        }
    }

    @Test("abortOnNewBatch appends to an open batch but will not open one")
    func abortOnNewBatch() throws {
        var acc = Self.accumulator()
        #expect(
            try acc.append(Self.entry(), to: Self.tp0, now: .zero, abortOnNewBatch: true) == nil)
        _ = try acc.append(Self.entry(), to: Self.tp0, now: .zero)
        #expect(
            try acc.append(Self.entry(), to: Self.tp0, now: .zero, abortOnNewBatch: true) != nil)
        #expect(acc.queue(Self.tp0).count == 1)
    }

    @Test("an open batch waits for linger.ms, then drains; the deadline is reported")
    func linger() throws {
        var acc = Self.accumulator(linger: .milliseconds(5))
        _ = try acc.append(Self.entry(), to: Self.tp0, now: Self.ms(10))
        var result = Self.drainAll(&acc, at: Self.ms(12))
        #expect(result.requests.isEmpty)
        #expect(result.nextDeadline == Self.ms(15))
        result = Self.drainAll(&acc, at: Self.ms(15))
        #expect(result.requests.map(\.node) == [1])
        #expect(result.requests.first?.batches.first?.recordCount == 1)
        #expect(result.requests.first?.batches.first?.attempts == 1)
        #expect(acc.isEmpty)
    }

    @Test("a full batch, or a flush, goes without waiting for linger.ms")
    func fullOrFlushed() throws {
        var acc = Self.accumulator(batchSize: 300, linger: .seconds(60))
        for _ in 0..<3 { _ = try acc.append(Self.entry(), to: Self.tp0, now: .zero) }
        _ = try acc.append(Self.entry(), to: Self.tp1, now: .zero)
        var result = Self.drainAll(&acc, at: .zero)
        #expect(result.requests.first?.batches.map(\.topicPartition) == [Self.tp0])
        result = Self.drainAll(&acc, at: .zero)
        #expect(result.requests.isEmpty)
        acc.flushesInProgress += 1
        result = Self.drainAll(&acc, at: .zero)
        #expect(result.requests.first?.batches.map(\.topicPartition) == [Self.tp0, Self.tp1])
    }

    @Test("one batch per partition per request, up to max.request.size, grouped by leader")
    func drainShape() throws {
        var acc = Self.accumulator(
            batchSize: 300, maxRequestSize: 700, deliveryTimeout: .seconds(120))
        let tp2 = TopicPartition("orders", 2)
        for tp in [Self.tp0, Self.tp1, tp2] {
            for _ in 0..<4 { _ = try acc.append(Self.entry(), to: tp, now: .zero) }
        }
        acc.flushesInProgress = 1
        let leaders: [TopicPartition: Int32] = [Self.tp0: 1, Self.tp1: 1, tp2: 2]
        let result = acc.drain(now: .zero, leader: { leaders[$0] }, nodeReady: { _ in true })
        #expect(result.requests.map(\.node) == [1, 2])
        // Two ~280-byte batches fit in 700 bytes for broker 1; one partition each.
        #expect(result.requests[0].batches.map(\.topicPartition) == [Self.tp0, Self.tp1])
        #expect(result.requests[1].batches.map(\.topicPartition) == [tp2])
        let blocked = acc.drain(now: .zero, leader: { leaders[$0] }, nodeReady: { $0 != 1 })
        #expect(blocked.requests.map(\.node) == [2])
    }

    @Test("a partition without a leader is reported and left queued")
    func noLeader() throws {
        var acc = Self.accumulator(linger: .zero)
        _ = try acc.append(Self.entry(), to: Self.tp0, now: .zero)
        let result = acc.drain(now: .zero, leader: { _ in nil }, nodeReady: { _ in true })
        #expect(result.unknownLeader)
        #expect(result.requests.isEmpty)
        #expect(acc.queue(Self.tp0).count == 1)
    }

    @Test("batches older than delivery.timeout.ms expire")
    func expiry() throws {
        var acc = Self.accumulator(linger: .seconds(10), deliveryTimeout: .milliseconds(100))
        _ = try acc.append(Self.entry(), to: Self.tp0, now: Self.ms(0))
        _ = try acc.append(Self.entry(), to: Self.tp1, now: Self.ms(50))
        let result = acc.drain(now: Self.ms(100), leader: { _ in nil }, nodeReady: { _ in true })
        #expect(result.expired.map(\.topicPartition) == [Self.tp0])
        #expect(result.nextDeadline == Self.ms(150))
    }

    @Test("a retried batch goes back ahead of younger ones and waits out its backoff")
    func reenqueue() throws {
        var acc = Self.accumulator(batchSize: 150, linger: .zero)
        for _ in 0..<3 { _ = try acc.append(Self.entry(), to: Self.tp0, now: .zero) }
        var first = try #require(Self.drainAll(&acc, at: .zero).requests.first?.batches.first)
        var second = try #require(Self.drainAll(&acc, at: .zero).requests.first?.batches.first)
        #expect(acc.queue(Self.tp0).count == 1)
        second.retryAfter = Self.ms(100)
        first.retryAfter = Self.ms(100)
        acc.reenqueue(second)
        acc.reenqueue(first)
        #expect(acc.queue(Self.tp0).map(\.id) == [first.id, second.id, first.id + 2])
        let waiting = Self.drainAll(&acc, at: Self.ms(50))
        #expect(waiting.requests.isEmpty)
        #expect(waiting.nextDeadline == Self.ms(100))
        let resent = Self.drainAll(&acc, at: Self.ms(100))
        #expect(resent.requests.first?.batches.first?.id == first.id)
        #expect(resent.requests.first?.batches.first?.attempts == 2)
    }

    @Test("releasing a batch returns its bytes to buffer.memory")
    func release() throws {
        var acc = Self.accumulator(linger: .zero)
        _ = try acc.append(Self.entry(), to: Self.tp0, now: .zero)
        let batch = try #require(Self.drainAll(&acc, at: .zero).requests.first?.batches.first)
        #expect(acc.bufferedBytes == batch.sizeInBytes)
        acc.release(batch)
        #expect(acc.bufferedBytes == 0)
    }
}
