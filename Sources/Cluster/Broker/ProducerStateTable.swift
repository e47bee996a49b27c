// Broker room: idempotent-producer bookkeeping for one partition: per producer id its epoch
// and the last few batches' sequence ranges, so retries are recognised and gaps refused.

/// The outcome of checking a batch from an idempotent producer.
public enum SequenceCheck: Equatable, Sendable {
    /// Append it.
    case append
    /// The exact batch was already written: answer success with its original offsets.
    case duplicate(firstOffset: Int64, lastOffset: Int64)
    case error(ErrorCode, String)
}

/// Kafka's `ProducerStateManager` for one partition, reduced to what idempotence needs.
///
/// Kafka keeps the metadata of the last 5 batches per producer (the most a producer may have
/// in flight), so a retried batch among them is answered with its original offsets instead
/// of being written twice.
public struct ProducerStateTable: Sendable {
    public struct BatchMetadata: Equatable, Sendable {
        var firstSequence: Int32
        var lastSequence: Int32
        var firstOffset: Int64
        var lastOffset: Int64
    }

    public struct Entry: Equatable, Sendable {
        public var epoch: Int16
        var batches: [BatchMetadata]
        public var lastSequence: Int32 { batches.last?.lastSequence ?? -1 }
    }

    /// Batches remembered per producer, Kafka's `NUM_BATCHES_TO_RETAIN`.
    public static let batchesRetained = 5
    public private(set) var producers: [Int64: Entry] = [:]

    public init() {}

    /// Checks a batch header's producer id, epoch and sequence against what was written.
    /// `logEndOffset` is the partition's before this batch.
    public func check(_ header: RecordBatchHeader, logEndOffset: Int64) -> SequenceCheck {
        guard header.producerId >= 0 else { return .append }
        let first = header.baseSequence
        let last = header.lastSequence
        // Kafka (since KIP-360) accepts any sequence from a producer it holds no state for:
        // its batches may have left the log (retention, DeleteRecords) or, here, the segments
        // read back at start-up, and it must be able to go on where it was. A partition that
        // never held a record cannot have lost any, so there a new producer starts at 0:
        // otherwise a first batch refused (NOT_LEADER_OR_FOLLOWER just after the topic was
        // created) and a second one accepted behind it would leave a gap for good.
        guard let entry = producers[header.producerId] else {
            return first == 0 || logEndOffset > 0
                ? .append
                : .error(.outOfOrderSequenceNumber,
                         "Out of order sequence number for producer \(header.producerId): expected 0 for a new producer on an empty partition, got \(first)")
        }
        if header.producerEpoch < entry.epoch {
            return .error(.invalidProducerEpoch,
                          "Producer epoch \(header.producerEpoch) is older than the current epoch \(entry.epoch)")
        }
        if header.producerEpoch > entry.epoch {
            return first == 0 ? .append : .error(.outOfOrderSequenceNumber,
                "Invalid sequence number for new epoch \(header.producerEpoch): \(first) (expected 0)")
        }
        if let cached = entry.batches.first(where: { $0.firstSequence == first && $0.lastSequence == last }) {
            return .duplicate(firstOffset: cached.firstOffset, lastOffset: cached.lastOffset)
        }
        let expected = entry.lastSequence == Int32.max ? 0 : entry.lastSequence + 1
        if first == expected { return .append }
        // Kafka's ProducerStateManager answers any other sequence, overlapping or past a gap,
        // with OUT_OF_ORDER_SEQUENCE_NUMBER (only a retry of a remembered batch is a duplicate).
        return .error(.outOfOrderSequenceNumber,
                      "Out of order sequence number for producer \(header.producerId): expected \(expected), got \(first)")
    }

    /// Records a batch that was appended at `firstOffset...lastOffset`.
    public mutating func record(_ header: RecordBatchHeader, firstOffset: Int64, lastOffset: Int64) {
        guard header.producerId >= 0 else { return }
        var entry = producers[header.producerId] ?? Entry(epoch: header.producerEpoch, batches: [])
        if header.producerEpoch != entry.epoch {
            entry = Entry(epoch: header.producerEpoch, batches: [])
        }
        entry.batches.append(BatchMetadata(firstSequence: header.baseSequence, lastSequence: header.lastSequence,
                                           firstOffset: firstOffset, lastOffset: lastOffset))
        if entry.batches.count > Self.batchesRetained { entry.batches.removeFirst() }
        producers[header.producerId] = entry
    }
}
