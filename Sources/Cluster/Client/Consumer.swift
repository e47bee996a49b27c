// Client room: a consumer without a group (assign mode): positions per assigned partition,
// seeks, and poll, which long-polls partition leaders with Fetch (Consumer+Fetch).

import DequeModule

/// A Kafka consumer in assign mode: the caller picks partitions and positions; there is no
/// group, no rebalance and no committed offset.
///
/// A partition without a position gets one from `auto.offset.reset` (earliest or latest;
/// `none` is an error), as does one whose position falls outside the log. `poll` returns
/// buffered records first and otherwise keeps one Fetch outstanding per leader, each broker
/// waiting up to `fetch.max.wait.ms` for `fetch.min.bytes`, and returns as soon as any
/// answers. Records come back in offset order per partition, and `position` is the offset of
/// the next record `poll` will return.
/// Mirrors Kafka's `KafkaConsumer` with `assign`, `seek*`, `position` and `poll`.
public actor Consumer {
    public nonisolated let client: KafkaClient
    public nonisolated let config: ConsumerConfig

    struct PartitionState: Sendable {
        /// The offset of the next record to return; nil until reset.
        var position: Int64?
        /// Fetched, not yet returned.
        var buffered: Deque<ConsumedRecord> = []
        /// Where the next fetch starts once `buffered` is empty (past skipped batches).
        var fetchedUpTo: Int64?

        init(position: Int64? = nil) { self.position = position }
    }

    var assigned: [TopicPartition] = []
    var partitions: [TopicPartition: PartitionState] = [:]
    /// Where the next `poll` starts taking buffered records, for fairness between partitions.
    var cursor = 0
    var closed = false
    /// Leaders with a Fetch outstanding: each gets one at a time and the others are not held
    /// up by it, as in Kafka's `Fetcher` (a leader with nothing new long-polls alone).
    var fetchesInFlight: Set<Int32> = []
    /// Fetch answers that arrived and are not yet applied.
    var arrivedAnswers: [FetchAnswer] = []
    /// A leader whose Fetch got no answer is not asked again before this.
    var fetchBackoff: [Int32: Instant] = [:]
    /// The poll waiting for an answer, and which wait it is (so a stale timer wakes nothing).
    var arrivalWaiter:
        (token: Int, continuation: CheckedContinuation<Void, Never>, timer: Task<Void, Never>)?
    var arrivalWaiterTokens = 0
    /// Answers received so far, so a wait can tell a new one from those already there.
    var arrivals = 0
    /// Set by `assign` and `seek`: the first answers after either are all awaited before any
    /// record is returned, so which records a poll returns first does not depend on which
    /// leader happened to answer first (a consumer that re-reads after a crash sees the same
    /// records again). Later polls return as soon as any leader answers.
    var awaitingFirstAnswers = true

    public init(client: KafkaClient, config: ConsumerConfig = ConsumerConfig()) {
        self.client = client
        self.config = config
    }

    // MARK: - Assignment and positions

    /// Replaces the assignment (Kafka's `assign`). Partitions kept keep their positions.
    public func assign(_ topicPartitions: [TopicPartition]) {
        var next: [TopicPartition: PartitionState] = [:]
        var order: [TopicPartition] = []
        for tp in topicPartitions where next[tp] == nil {
            next[tp] = partitions[tp] ?? PartitionState()
            order.append(tp)
        }
        partitions = next
        assigned = order
        cursor = 0
        awaitingFirstAnswers = true
    }

    public var assignment: [TopicPartition] { assigned }

    /// Moves the position of `tp`; earliest, latest and timestamps are looked up now with
    /// ListOffsets, so a bad partition fails here rather than in the next `poll`.
    public func seek(_ tp: TopicPartition, to target: SeekTarget) async throws {
        guard partitions[tp] != nil else { throw KafkaClientError.notAssigned(tp) }
        let offset: Int64
        switch target {
        case .offset(let value):
            guard value >= 0 else {
                throw KafkaClientError.invalidConfig("seek offset \(value) must not be negative")
            }
            offset = value
        case .earliest:
            offset = try await lookUp(tp, .earliest)
        case .latest:
            offset = try await lookUp(tp, .latest)
        case .timestamp(let ms):
            let found = try await lookUp(tp, .timestamp(ms))
            offset = found >= 0 ? found : try await lookUp(tp, .latest)
        }
        guard partitions[tp] != nil else { throw KafkaClientError.notAssigned(tp) }
        partitions[tp] = PartitionState(position: offset)
        awaitingFirstAnswers = true
    }

    /// The offset of the next record `poll` will return for `tp`, resolving it from
    /// `auto.offset.reset` first if there is none yet.
    public func position(_ tp: TopicPartition) async throws -> Int64 {
        guard let state = partitions[tp] else { throw KafkaClientError.notAssigned(tp) }
        if let position = state.position { return position }
        try await resetPositions([tp])
        guard let position = partitions[tp]?.position else {
            throw KafkaClientError.noOffsetForPartition(tp)
        }
        return position
    }

    /// Stops the consumer; later calls fail with `.closed`. No group to leave.
    public func close() {
        closed = true
        partitions = [:]
        assigned = []
        arrivedAnswers = []
        wakeArrivalWaiter(nil)
    }

    // MARK: - Offsets

    private func lookUp(_ tp: TopicPartition, _ spec: OffsetSpec) async throws -> Int64 {
        let results = try await client.listOffsets([tp: spec])
        guard let result = results[tp] else { throw KafkaClientError.unknownTopic(tp.topic) }
        guard result.errorCode == .none else {
            throw KafkaClientError.broker(
                result.errorCode, context: "ListOffsets (\(spec)) for \(tp)", message: nil)
        }
        return result.offset
    }

    /// Gives each of `tps` that has no position one from `auto.offset.reset`.
    func resetPositions(_ tps: [TopicPartition]) async throws {
        let missing = tps.filter { partitions[$0] != nil && partitions[$0]?.position == nil }
        guard !missing.isEmpty else { return }
        let spec: OffsetSpec
        switch config.autoOffsetReset {
        case .none:
            if let first = missing.first { throw KafkaClientError.noOffsetForPartition(first) }
            return
        case .earliest: spec = .earliest
        case .latest: spec = .latest
        }
        var specs: [TopicPartition: OffsetSpec] = [:]
        for tp in missing { specs[tp] = spec }
        let results = try await client.listOffsets(specs)
        for tp in missing {
            guard let result = results[tp] else { continue }
            guard result.errorCode == .none else {
                throw KafkaClientError.broker(
                    result.errorCode, context: "ListOffsets (\(spec)) for \(tp)", message: nil)
            }
            if partitions[tp] != nil && partitions[tp]?.position == nil {
                partitions[tp]?.position = result.offset
            }
        }
    }
}
