// Broker room: long-poll fetches waiting for data (`fetch.max.wait.ms`, `fetch.min.bytes`).
// A parked request is a value with a deadline, answered by a later produce or tick.

/// A Fetch that did not have `min_bytes` available and waits up to `max_wait_ms`.
struct ParkedFetch {
    var connection: ConnectionID
    var header: RequestHeader
    var request: FetchRequest
    var requestBytes: Int
    var deadline: Instant
}

/// Kafka's `DelayedFetch` purgatory, as plain data.
struct FetchPurgatory {
    private(set) var parked: [ParkedFetch] = []

    var isFull: Bool { parked.count >= Limits.purgatoryEntriesMax }
    var earliestDeadline: Instant? { parked.map(\.deadline).min() }

    mutating func park(_ fetch: ParkedFetch) { parked.append(fetch) }

    /// Removes and returns the entries `ready` says can be answered now.
    mutating func take(where ready: (ParkedFetch) -> Bool) -> [ParkedFetch] {
        var taken: [ParkedFetch] = []
        var kept: [ParkedFetch] = []
        for entry in parked {
            if ready(entry) { taken.append(entry) } else { kept.append(entry) }
        }
        parked = kept
        return taken
    }

    /// Drops a closed connection's entries.
    mutating func forget(_ connection: ConnectionID) { parked.removeAll { $0.connection == connection } }
}
