// Client room: many enqueued records followed by their batches, so a bulk send waits once per
// batch (a few thousand awaits for a million records) and holds no per-record handle.

import DequeModule

/// Records a bulk sender has enqueued and not yet seen answered, grouped by batch in the
/// order the batches were first used. What `produce --count` and benchmarks wait on.
public struct PendingBatches: Sendable {
    private struct Entry: Sendable {
        let first: PendingRecord
        var records: Int
    }

    /// What came back for some records.
    public struct Answered: Sendable {
        public var acknowledged = 0
        public var failed = 0
        /// The first failure's error, if any.
        public var firstError: KafkaClientError?
    }

    private var order: Deque<ObjectIdentifier> = []
    private var entries: [ObjectIdentifier: Entry] = [:]
    /// Records enqueued and not yet taken by `takeAnswered` or `waitOldest`.
    public private(set) var records = 0

    public init() {}

    public var isEmpty: Bool { records == 0 }

    /// Counts one more record under its batch.
    public mutating func add(_ record: PendingRecord) {
        let id = ObjectIdentifier(record.completion)
        records += 1
        if entries[id] != nil {
            entries[id]!.records += 1
        } else {
            entries[id] = Entry(first: record, records: 1)
            order.append(id)
        }
    }

    /// Takes the answers that have already arrived at the front, without waiting.
    public mutating func takeAnswered() -> Answered {
        var answered = Answered()
        while let id = order.first, let outcome = entries[id]?.first.completion.outcome {
            take(id, outcome, into: &answered)
        }
        return answered
    }

    /// Waits for the oldest batch's answer and takes it (nothing when empty).
    public mutating func waitOldest() async -> Answered {
        var answered = Answered()
        guard let id = order.first, let entry = entries[id] else { return answered }
        let outcome = await entry.first.completion.wait()
        take(id, outcome, into: &answered)
        return answered
    }

    private mutating func take(
        _ id: ObjectIdentifier, _ outcome: BatchCompletion.Outcome, into answered: inout Answered
    ) {
        order.removeFirst()
        guard let entry = entries.removeValue(forKey: id) else { return }
        records -= entry.records
        switch outcome {
        case .success:
            answered.acknowledged += entry.records
        case .failure(let error):
            answered.failed += entry.records
            if answered.firstError == nil { answered.firstError = error }
        }
    }
}
