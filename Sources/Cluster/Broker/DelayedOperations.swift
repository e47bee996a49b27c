// Broker room: Kafka's `DelayedOperationPurgatory` as plain data. A request that cannot be
// answered yet (a long-poll Fetch, an acks=all Produce, a group write waiting for its records
// to be committed) parks here, watched by the partitions whose progress can complete it; a
// change on one partition wakes only what watches that partition.

/// A request waiting for a partition to move (or for its deadline).
enum DelayedOperation {
    /// A Fetch with fewer than `min_bytes` to return (`fetch.max.wait.ms`).
    case fetch(ParkedFetch)
    /// An acks=all Produce whose records are not yet on every ISR member.
    case produce(DelayedProduce)
    /// Group coordinator answers promising records that are not yet committed.
    case groupWrite(DelayedGroupWrite)

    var deadline: Instant {
        switch self {
        case .fetch(let f): return f.deadline
        case .produce(let p): return p.deadline
        case .groupWrite(let g): return g.deadline
        }
    }

    /// The connection it answers, when it answers exactly one (a group write answers members
    /// on several connections; a closed one's answer is dropped when framed).
    var connection: ConnectionID? {
        switch self {
        case .fetch(let f): return f.connection
        case .produce(let p): return p.connection
        case .groupWrite: return nil
        }
    }
}

/// The parked operations, indexed by the partitions they watch. Ids grow, so operations woken
/// together complete in the order they were parked.
struct DelayedOperations {
    private var operations: [Int: (operation: DelayedOperation, keys: [TopicPartition])] = [:]
    private var watchers: [TopicPartition: Set<Int>] = [:]
    private var nextId = 0

    var count: Int { operations.count }
    var isFull: Bool { operations.count >= Limits.purgatoryEntriesMax }
    var earliestDeadline: Instant? { operations.values.lazy.map(\.operation.deadline).min() }

    mutating func park(_ operation: DelayedOperation, watching keys: [TopicPartition]) {
        put(nextId, operation, keys)
        nextId += 1
    }

    /// Takes out what watches any of `touched`, plus what is past its deadline, in parked
    /// order; `restore` puts back what could not complete yet.
    mutating func take(watching touched: Set<TopicPartition>, now: Instant) -> [Parked] {
        var ids = Set(touched.flatMap { watchers[$0] ?? [] })
        for (id, entry) in operations where entry.operation.deadline <= now { ids.insert(id) }
        return ids.sorted().compactMap { id in remove(id).map { Parked(id: id, operation: $0.operation, keys: $0.keys) } }
    }

    /// Takes out every operation (leadership changed: any of them may have an answer now).
    mutating func takeAll() -> [Parked] {
        operations.keys.sorted().compactMap { id in remove(id).map { Parked(id: id, operation: $0.operation, keys: $0.keys) } }
    }

    mutating func restore(_ parked: Parked) { put(parked.id, parked.operation, parked.keys) }

    /// Drops what a closed connection was waiting for.
    mutating func forget(_ connection: ConnectionID) {
        for (id, entry) in operations where entry.operation.connection == connection { _ = remove(id) }
    }

    struct Parked {
        var id: Int
        var operation: DelayedOperation
        var keys: [TopicPartition]
    }

    private mutating func put(_ id: Int, _ operation: DelayedOperation, _ keys: [TopicPartition]) {
        operations[id] = (operation, keys)
        for key in keys { watchers[key, default: []].insert(id) }
    }

    private mutating func remove(_ id: Int) -> (operation: DelayedOperation, keys: [TopicPartition])? {
        guard let entry = operations.removeValue(forKey: id) else { return nil }
        for key in entry.keys {
            watchers[key]?.remove(id)
            if watchers[key]?.isEmpty == true { watchers[key] = nil }
        }
        return entry
    }
}
