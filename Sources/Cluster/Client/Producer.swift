// Client room: the producer's public face. `send` partitions a record and appends it to a
// batch; a background sender (Producer+Sender) ships ready batches to partition leaders.

import NIOCore

/// A Kafka producer: batching per partition, murmur2 for keys, sticky partitions for
/// unkeyed records, idempotence, retries and pipelining.
///
/// `enqueue` returns as soon as the record is in a batch (waiting only for the topic's
/// metadata or for `buffer.memory`), so bulk sends are as fast as appends; `send` also waits
/// for the acknowledgement. Batches go out when full (`batch.size`), after `linger.ms`, or on
/// `flush()`, up to `max.in.flight.requests.per.connection` requests per broker. Mirrors
/// Kafka's `KafkaProducer`, `RecordAccumulator` and `Sender`.
public final class Producer: Sendable {
    public let client: KafkaClient
    public let config: ProducerConfig
    let sender: ProducerSender
    private let task: Task<Void, Never>

    /// Starts a producer on `client`. `partitionerSeed` seeds the sticky partitioner, so a
    /// run can be repeated (Kafka draws from a thread-local random instead).
    public init(
        client: KafkaClient, config: ProducerConfig = ProducerConfig(), partitionerSeed: UInt64 = 0
    )
        throws(KafkaClientError)
    {
        try config.validate()
        self.client = client
        self.config = config
        let accumulator = RecordAccumulator(
            settings: RecordAccumulator.Settings(
                batchSize: config.batchSize, linger: config.linger,
                maxRequestSize: config.maxRequestSize, deliveryTimeout: config.deliveryTimeout,
                compression: config.compression))
        let state = ProducerState(
            accumulator: accumulator,
            partitioner: Partitioner(entropy: SplitMix64(seed: partitionerSeed)))
        let sender = ProducerSender(client: client, config: config, state: Locked(state))
        self.sender = sender
        self.task = Task { await sender.run() }
    }

    /// A producer dropped without `close()` still delivers what it holds, then its sender
    /// stops; nothing waits for that.
    deinit {
        sender.state.withLock { state in
            state.closed = true
            state.accumulator.closing = true
        }
        sender.wake()
    }

    // MARK: - Sending

    /// Sends one record and waits for its acknowledgement (or its failure).
    ///
    /// `partition` overrides the partitioner; `timestamp` (ms since the epoch) defaults to
    /// now. Throws `KafkaClientError`.
    public nonisolated(nonsending) func send(
        topic: String, key: [UInt8]? = nil, value: [UInt8]?, headers: [RecordHeader] = [],
        partition: Int32? = nil, timestamp: Int64? = nil
    ) async throws -> RecordMetadata {
        let pending = try await enqueue(
            topic: topic, key: key, value: value, headers: headers, partition: partition,
            timestamp: timestamp)
        return try await pending.metadata()
    }

    /// Puts one record in its partition's batch and returns at once with a handle; the
    /// record is sent with its batch. Waits only for the topic's metadata and for
    /// `buffer.memory`, both bounded by `max.block.ms`. Throws `KafkaClientError`.
    public nonisolated(nonsending) func enqueue(
        topic: String, key: [UInt8]? = nil, value: [UInt8]?, headers: [RecordHeader] = [],
        partition: Int32? = nil, timestamp: Int64? = nil
    ) async throws -> PendingRecord {
        let clock = client.clock
        let now = clock.now()
        let entry = RecordBatchBuilder.Entry(
            key: key, value: value, headers: headers,
            timestamp: timestamp ?? clock.wallClockMilliseconds())
        // The usual case takes one lock: the topic's partitions are known and there is room.
        let bufferMemory = config.bufferMemory
        let fast = try sender.state.withLock { state -> (PendingRecord, wake: Bool)? in
            guard let route = state.routes[topic], state.accumulator.bufferedBytes < bufferMemory
            else { return nil }
            try Self.check(partition, topic: topic, route: route)
            return try Self.append(
                entry, topic: topic, partition: partition, route: route, now: now, &state)
        }
        if let (pending, wake) = fast {
            if wake { sender.wake() }
            return pending
        }
        let deadline = now + config.maxBlock
        let route = try await sender.route(for: topic, deadline: deadline)
        try Self.check(partition, topic: topic, route: route)
        try await sender.waitForBufferSpace(deadline: deadline)
        let later = clock.now()
        let (pending, wake) = try sender.state.withLock { state in
            try Self.append(
                entry, topic: topic, partition: partition, route: route, now: later, &state)
        }
        if wake { sender.wake() }
        return pending
    }

    private static func check(_ partition: Int32?, topic: String, route: ProducerState.Route)
        throws(KafkaClientError)
    {
        if let partition, partition < 0 || partition >= route.partitionCount {
            throw .unknownPartition(
                TopicPartition(topic, partition), partitionCount: Int(route.partitionCount))
        }
    }

    /// Partitions and appends under the producer's lock.
    private static func append(
        _ entry: RecordBatchBuilder.Entry, topic: String, partition: Int32?,
        route fallback: ProducerState.Route, now: Instant, _ state: inout ProducerState
    ) throws(KafkaClientError) -> (PendingRecord, wake: Bool) {
        guard !state.closed else { throw .closed }
        if let fatal = state.fatalError { throw fatal }
        let route = state.routes[topic] ?? fallback
        let count = route.partitionCount
        let chosen: Int32
        let choice: PartitionChoice
        var appended: RecordAccumulator.Appended?
        if let partition {
            chosen = partition
            choice = .explicit
        } else if let key = entry.key {
            let hash = Partitioner.murmur2(key)
            chosen = Partitioner.toPositive(hash) % count
            choice = .keyHash(murmur2: hash, partitions: Int(count))
        } else {
            // KIP-480: stay on the sticky partition while its batch is open; when a new batch
            // would be needed, move on first, then append there.
            var sticky =
                state.partitioner.partition(
                    topic: topic, key: nil, partitionCount: count,
                    availablePartitions: route.availablePartitions) ?? 0
            appended = try state.accumulator.append(
                entry, to: TopicPartition(topic, sticky), now: now, abortOnNewBatch: true)
            if appended == nil {
                state.partitioner.onNewBatch(
                    topic: topic, previous: sticky, partitionCount: count,
                    availablePartitions: route.availablePartitions)
                sticky =
                    state.partitioner.partition(
                        topic: topic, key: nil, partitionCount: count,
                        availablePartitions: route.availablePartitions) ?? sticky
            }
            chosen = sticky
            choice = .sticky
        }
        let tp = TopicPartition(topic, chosen)
        if appended == nil {
            appended = try state.accumulator.append(entry, to: tp, now: now)
        }
        guard let appended else { throw .invalidRecord("the record could not be batched") }
        if appended.openedBatch { state.incomplete[appended.batchID] = appended.completion }
        let pending = PendingRecord(
            topic: topic, partition: chosen, partitionChoice: choice, timestamp: entry.timestamp,
            index: appended.index, completion: appended.completion)
        return (pending, appended.openedBatch || appended.closedBatch)
    }

    /// The partition a record would go to now, and why, without sending it (for the REPL's
    /// explanation before a send). Unkeyed records report the current sticky partition.
    public func partitionFor(topic: String, key: [UInt8]?) async throws -> (Int32, PartitionChoice)
    {
        let route = try await sender.route(
            for: topic, deadline: client.clock.now() + config.maxBlock)
        if let key {
            let hash = Partitioner.murmur2(key)
            return (
                Partitioner.toPositive(hash) % route.partitionCount,
                .keyHash(murmur2: hash, partitions: Int(route.partitionCount))
            )
        }
        let sticky = sender.state.withLock { $0.partitioner.stickyPartition(topic: topic) }
        return (sticky ?? 0, .sticky)
    }

    // MARK: - Flush and close

    /// Sends every batch now (ignoring `linger.ms`) and waits until each has its answer.
    /// Records' own errors stay with their `PendingRecord`s, as in Kafka's `flush()`.
    public func flush() async {
        let waiting = sender.state.withLock { state -> [BatchCompletion] in
            state.accumulator.flushesInProgress += 1
            return state.incomplete.keys.sorted().compactMap { state.incomplete[$0] }
        }
        sender.wake()
        for completion in waiting { _ = await completion.wait() }
        sender.state.withLock { $0.accumulator.flushesInProgress -= 1 }
    }

    /// Sends what is buffered, waits for the answers (each bounded by `delivery.timeout.ms`),
    /// then stops the sender. Later sends fail with `.closed`. With a `timeout`, records still
    /// unsent when it passes are failed instead (Kafka's `close(Duration)`). The KafkaClient
    /// stays open: it may serve other producers, consumers and admins.
    public func close(timeout: Duration? = nil) async {
        sender.state.withLock { state in
            state.closed = true
            state.accumulator.closing = true
        }
        sender.wake()
        if let timeout {
            let sender = self.sender
            sender.loop.scheduleTask(in: .nanoseconds(timeout.nanosecondsClamped)) {
                sender.forceClose()
            }
        }
        await task.value
    }

    // MARK: - Inspection

    /// The producer id and epoch in use (-1 before InitProducerId or without idempotence).
    public var producerIdAndEpoch: (producerId: Int64, epoch: Int16) {
        sender.state.withLock { ($0.sequences.producerId, $0.sequences.producerEpoch) }
    }

    /// The sticky partition of `topic` now, if one was chosen.
    public func stickyPartition(topic: String) -> Int32? {
        sender.state.withLock { $0.partitioner.stickyPartition(topic: topic) }
    }

    /// Bytes of records not yet acknowledged.
    public var bufferedBytes: Int { sender.state.withLock { $0.accumulator.bufferedBytes } }
}
