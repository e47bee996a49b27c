// Client room: the producer's per-partition queues of batches. Appends records, closes batches
// at batch.size, says which are ready (full, lingered, flushed) and drains them per leader.

import DequeModule

/// Per-partition batch queues, and the rules for when a batch may go.
///
/// A record joins the open batch at the tail of its partition's queue; when it does not fit
/// in `batch.size`, that batch closes and a new one opens (a record larger than `batch.size`
/// gets a batch of its own, up to `max.request.size`). A queue's head is *ready* when it is
/// closed, has a successor, has waited `linger.ms`, or a flush is under way. Draining takes
/// at most one ready batch per partition into each broker's request, up to
/// `max.request.size`, as Kafka's `RecordAccumulator.ready`/`drain` do. No clock is read: time
/// comes in as `now`.
struct RecordAccumulator: Sendable {
    struct Settings: Sendable, Equatable {
        var batchSize: Int
        var linger: Duration
        var maxRequestSize: Int
        var deliveryTimeout: Duration
        var compression: CompressionCodec
    }

    /// Where an appended record went.
    struct Appended: Sendable {
        let batchID: UInt64
        let completion: BatchCompletion
        /// The record's position in its batch (its offset delta).
        let index: Int32
        /// A new batch was opened for it.
        let openedBatch: Bool
        /// Its batch is now closed (full), so the sender should wake.
        let closedBatch: Bool
    }

    /// One broker's share of a drain: the batches for one Produce request.
    struct Drained: Sendable {
        var node: Int32
        var batches: [ProducerBatch]
    }

    /// What a drain decided besides the requests.
    struct DrainResult: Sendable {
        var requests: [Drained] = []
        /// Batches past `delivery.timeout.ms`, removed from the queues to be failed.
        var expired: [ProducerBatch] = []
        /// Some ready batch's partition has no known leader.
        var unknownLeader = false
        /// The earliest moment a waiting batch becomes ready or expires.
        var nextDeadline: Instant?
    }

    let settings: Settings
    /// Looked up by partition; iterated only through `sortedPartitions` so that the drain
    /// order does not depend on hashing.
    private(set) var queues: [TopicPartition: Deque<ProducerBatch>] = [:]
    /// Uncompressed bytes of every batch not yet answered (queued or in flight).
    private(set) var bufferedBytes = 0
    private var nextBatchID: UInt64 = 0
    /// While above zero, every queued batch is ready (Kafka's `flushInProgress`).
    var flushesInProgress = 0
    /// Closing: like a flush that never ends.
    var closing = false

    init(settings: Settings) { self.settings = settings }

    var isEmpty: Bool { queues.values.allSatisfy(\.isEmpty) }
    var queuedBatchCount: Int { queues.values.reduce(0) { $0 + $1.count } }

    func queue(_ tp: TopicPartition) -> Deque<ProducerBatch> { queues[tp] ?? [] }

    /// Whether `tp` has an open batch that could take more records.
    func hasOpenBatch(_ tp: TopicPartition) -> Bool {
        guard let last = queues[tp]?.last else { return false }
        return !last.isClosed
    }

    // MARK: - Appending

    /// Appends a record to `tp`'s open batch, or to a new one. With `abortOnNewBatch`,
    /// returns nil instead of opening a batch, so that the sticky partitioner can move on
    /// first (KIP-480's `abortOnNewBatch`).
    ///
    /// Builders are sized for `max.request.size` and `batch.size` is enforced here, on the
    /// uncompressed size, so that a gzip batch that grows a little never fails to build.
    mutating func append(
        _ entry: RecordBatchBuilder.Entry, to tp: TopicPartition, now: Instant,
        abortOnNewBatch: Bool = false
    ) throws(KafkaClientError) -> Appended? {
        // The queue leaves the dictionary while it changes, so it and the open batch's bytes
        // stay uniquely owned: appending in place, never copying the batch so far.
        var queue = queues.removeValue(forKey: tp) ?? []
        defer { if !queue.isEmpty { queues[tp] = queue } }
        var closedBatch = false
        if let lastIndex = queue.indices.last, !queue[lastIndex].isClosed {
            if let appended = try appendToOpen(entry, &queue[lastIndex]) { return appended }
            closedBatch = true
        }
        if abortOnNewBatch { return nil }
        var batch = ProducerBatch(
            id: nextBatchID, topicPartition: tp, createdAt: now,
            builder: RecordBatchBuilder(
                compression: settings.compression, batchBytesMax: settings.maxRequestSize))
        do {
            try batch.builder.append(entry)
        } catch .tooLarge(let size, let limit) {
            throw .recordTooLarge(size: size, limit: limit)
        } catch {
            throw Self.invalid(error)
        }
        nextBatchID += 1
        if batch.sizeInBytes >= settings.batchSize { batch.isClosed = true }
        bufferedBytes += batch.sizeInBytes
        queue.append(batch)
        return Appended(
            batchID: batch.id, completion: batch.completion, index: 0, openedBatch: true,
            closedBatch: closedBatch || batch.isClosed)
    }

    /// Appends to the open batch `last` if the record fits in `batch.size`; otherwise closes
    /// it and returns nil.
    private mutating func appendToOpen(_ entry: RecordBatchBuilder.Entry, _ last: inout ProducerBatch)
        throws(KafkaClientError) -> Appended?
    {
        let before = last.sizeInBytes
        let fitted: Bool
        do {
            fitted = try last.builder.append(entry, within: settings.batchSize)
        } catch {
            throw Self.invalid(error)
        }
        guard fitted else {
            last.isClosed = true
            return nil
        }
        if last.sizeInBytes >= settings.batchSize { last.isClosed = true }
        bufferedBytes += last.sizeInBytes - before
        return Appended(
            batchID: last.id, completion: last.completion, index: last.recordCount - 1,
            openedBatch: false, closedBatch: last.isClosed)
    }

    private static func invalid(_ error: RecordBatchBuilderError) -> KafkaClientError {
        .invalidRecord(error.description)
    }

    // MARK: - Draining

    /// Takes ready batches for their leaders' requests. `leader` routes a partition (nil: no
    /// known leader); `nodeReady` says whether a broker may take another request now;
    /// `mayDrain` is the idempotent producer's veto (ordering and epoch); `prepare` stamps
    /// a batch as it leaves (sequence numbers). One request per broker per call.
    mutating func drain(
        now: Instant,
        leader: (TopicPartition) -> Int32?,
        nodeReady: (Int32) -> Bool,
        mayDrain: (ProducerBatch) -> Bool = { _ in true },
        prepare: (inout ProducerBatch) -> Void = { _ in }
    ) -> DrainResult {
        var result = DrainResult()
        var requests: [Int32: Drained] = [:]
        var requestBytes: [Int32: Int] = [:]
        for tp in queues.keys.sorted() {
            guard var queue = queues.removeValue(forKey: tp) else { continue }
            expire(&queue, now: now, into: &result)
            defer { queues[tp] = queue.isEmpty ? nil : queue }
            guard let head = queue.first else { continue }
            if let after = head.retryAfter, after > now {
                result.nextDeadline = earliest(result.nextDeadline, after)
                continue
            }
            let lingerEnds = head.createdAt + settings.linger
            let ready =
                head.isClosed || queue.count > 1 || lingerEnds <= now || flushesInProgress > 0
                || closing
            guard ready else {
                result.nextDeadline = earliest(result.nextDeadline, lingerEnds)
                continue
            }
            guard let node = leader(tp) else {
                result.unknownLeader = true
                continue
            }
            guard nodeReady(node), mayDrain(head) else { continue }
            let size = head.bytes?.readableBytes ?? head.sizeInBytes
            let used = requestBytes[node, default: 0]
            // The first batch always goes; later ones only while the request stays small.
            if used > 0 && used + size > settings.maxRequestSize { continue }
            var batch = queue.removeFirst()
            prepare(&batch)
            batch.attempts += 1
            batch.retryAfter = nil
            requestBytes[node] = used + size
            requests[node, default: Drained(node: node, batches: [])].batches.append(batch)
        }
        result.requests = requests.keys.sorted().compactMap { requests[$0] }
        return result
    }

    /// Moves batches past `delivery.timeout.ms` from `queue` to `result.expired`, and notes
    /// when the first remaining one will expire.
    private func expire(
        _ queue: inout Deque<ProducerBatch>, now: Instant, into result: inout DrainResult
    ) {
        var kept = Deque<ProducerBatch>()
        for batch in queue {
            let deadline = batch.createdAt + settings.deliveryTimeout
            if deadline <= now {
                result.expired.append(batch)
            } else {
                result.nextDeadline = earliest(result.nextDeadline, deadline)
                kept.append(batch)
            }
        }
        if kept.count != queue.count { queue = kept }
    }

    private func earliest(_ a: Instant?, _ b: Instant) -> Instant {
        guard let a else { return b }
        return min(a, b)
    }

    // MARK: - After a request

    /// Puts a batch that failed retriably back, ahead of younger batches of its partition
    /// (creation order is sequence order), to be sent after `retryAfter`.
    mutating func reenqueue(_ batch: ProducerBatch) {
        var queue = queues[batch.topicPartition] ?? []
        let position = queue.firstIndex { $0.id > batch.id } ?? queue.endIndex
        queue.insert(batch, at: position)
        queues[batch.topicPartition] = queue
    }

    /// A batch got its final answer (or expired): its bytes leave `buffer.memory`.
    mutating func release(_ batch: ProducerBatch) {
        bufferedBytes -= batch.sizeInBytes
    }

    /// Removes every queued batch (a fatal producer error), so they can be failed.
    mutating func removeAll() -> [ProducerBatch] {
        let all = queues.keys.sorted().flatMap { Array(queues[$0] ?? []) }
        queues = [:]
        return all
    }
}
