// Client room: the idempotent producer's bookkeeping: producer id and epoch, the next
// sequence number of each partition, and when an epoch bump must reset them. A value.

/// Producer id, epoch and per-partition sequence numbers of an idempotent producer.
///
/// Each batch gets `baseSequence` = the partition's next sequence when it is drained; the
/// broker accepts only the next sequence, answers a resend of one of its last five batches
/// with DUPLICATE_SEQUENCE_NUMBER (a success: the batch is already written), and a gap with
/// OUT_OF_ORDER_SEQUENCE_NUMBER. A real gap (the failed batch was the next expected one, or a
/// sequenced batch was given up) needs an epoch bump: InitProducerId again, then every
/// partition starts over at sequence 0 under the new epoch. Retried batches go out one at a
/// time, first in line, so sequences reach the broker in order. Mirrors the idempotent part
/// of Kafka's `TransactionManager` (KIP-98, KIP-360).
struct ProducerSequences: Sendable, Equatable {
    struct Partition: Sendable, Equatable {
        /// The producer epoch these sequences belong to.
        var epoch: Int16
        var nextSequence: Int32 = 0
        /// The last sequence the broker acknowledged; -1 before the first.
        var lastAckedSequence: Int32 = -1
        var inFlight = 0
    }

    /// What to do with a batch whose request failed.
    enum FailureAction: Sendable, Equatable {
        /// Send it again (after the backoff), keeping or renewing its sequence.
        case retry
        /// Report the error; the batch is done.
        case fail
        /// The broker already has it.
        case succeed
    }

    private(set) var producerId: Int64 = -1
    private(set) var producerEpoch: Int16 = -1
    /// An InitProducerId must run (with nothing in flight) before anything else is sent.
    private(set) var epochBumpRequired = false
    private(set) var partitions: [TopicPartition: Partition] = [:]

    init() {}

    var hasProducerId: Bool { producerId >= 0 }
    /// Whether sending must pause for an InitProducerId.
    var needsProducerId: Bool { !hasProducerId || epochBumpRequired }
    var totalInFlight: Int { partitions.values.reduce(0) { $0 + $1.inFlight } }

    /// The id and epoch from InitProducerId. A new epoch (or id) makes every partition's
    /// sequences stale; each restarts at 0 when its next batch is drained.
    mutating func setProducerIdAndEpoch(id: Int64, epoch: Int16) {
        producerId = id
        producerEpoch = epoch
        epochBumpRequired = false
    }

    /// The InitProducerId to send: bump the current epoch (v3+, KIP-360), or start afresh when
    /// there is no id yet, the broker is too old to bump, or the epoch is exhausted.
    func initProducerIdFields(canBump: Bool) -> (producerId: Int64, producerEpoch: Int16) {
        guard hasProducerId, canBump, producerEpoch < Int16.max else { return (-1, -1) }
        return (producerId, producerEpoch)
    }

    /// Whether `batch` may be drained now.
    func mayDrain(_ batch: ProducerBatch) -> Bool {
        guard !needsProducerId else { return false }
        let entry = partitions[batch.topicPartition]
        let inFlight = entry?.inFlight ?? 0
        // A retry keeps order only if it goes alone; a partition moving to a new epoch must
        // first hear back about every batch of the old one.
        if batch.hasSequence { return inFlight == 0 }
        if let entry, entry.epoch != producerEpoch { return inFlight == 0 }
        return true
    }

    /// Stamps the batch's producer id, epoch and base sequence as it is drained (keeping a
    /// retry's sequence when the epoch has not changed), and counts it in flight.
    mutating func prepare(_ batch: inout ProducerBatch) {
        let tp = batch.topicPartition
        var entry = partitions[tp] ?? Partition(epoch: producerEpoch)
        if entry.epoch != producerEpoch { entry = Partition(epoch: producerEpoch) }
        if !batch.hasSequence || batch.producerEpoch != producerEpoch
            || batch.producerId != producerId
        {
            batch.producerId = producerId
            batch.producerEpoch = producerEpoch
            batch.baseSequence = entry.nextSequence
            entry.nextSequence = Self.increment(entry.nextSequence, by: batch.recordCount)
        }
        entry.inFlight += 1
        partitions[tp] = entry
    }

    /// The broker wrote the batch (or already had it).
    mutating func acknowledged(_ batch: ProducerBatch) {
        let tp = batch.topicPartition
        guard var entry = partitions[tp] else { return }
        entry.inFlight = max(0, entry.inFlight - 1)
        if batch.producerEpoch == entry.epoch {
            entry.lastAckedSequence = Self.increment(batch.baseSequence, by: batch.recordCount - 1)
        }
        partitions[tp] = entry
    }

    /// Decides about a batch whose produce failed with `error` (a broker code, or nil for a
    /// lost connection or timeout), given whether Kafka would retry it otherwise.
    mutating func failed(_ batch: ProducerBatch, error: ErrorCode?, retriable: Bool)
        -> FailureAction
    {
        let tp = batch.topicPartition
        var entry = partitions[tp] ?? Partition(epoch: producerEpoch)
        entry.inFlight = max(0, entry.inFlight - 1)
        defer { partitions[tp] = entry }
        let current = batch.producerEpoch == producerEpoch && entry.epoch == producerEpoch
        let isNext = batch.baseSequence == Self.increment(entry.lastAckedSequence, by: 1)
        switch error {
        case .duplicateSequenceNumber?:
            return .succeed
        case .outOfOrderSequenceNumber?:
            // Kafka retries every OUT_OF_ORDER for an idempotent producer; when the batch was
            // the next one expected, the gap is real and the epoch must be bumped.
            if current && isNext { epochBumpRequired = true }
            return .retry
        case .unknownProducerId?:
            // The broker lost this producer's state (retention removed its records).
            if current { epochBumpRequired = true }
            return .retry
        default:
            return retriable ? .retry : .fail
        }
    }

    /// A batch that was given a sequence will never be written (failed or expired): the
    /// sequences after it would leave a gap, so the epoch must be bumped (Kafka 2.5+).
    mutating func abandoned(_ batch: ProducerBatch) {
        guard batch.hasSequence, batch.producerEpoch == producerEpoch else { return }
        epochBumpRequired = true
    }

    /// Kafka's `DefaultRecordBatch.incrementSequence`: sequences wrap from Int32.max to 0.
    static func increment(_ sequence: Int32, by delta: Int32) -> Int32 {
        let sum = Int64(sequence) + Int64(delta)
        if sum > Int64(Int32.max) { return Int32(sum - Int64(Int32.max) - 1) }
        if sum < 0 { return Int32(sum + Int64(Int32.max) + 1) }
        return Int32(sum)
    }
}
