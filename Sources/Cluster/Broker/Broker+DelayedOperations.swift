// Broker room: parks requests that cannot be answered yet and completes them when a partition
// they watch moves (an append on a leader, a new high watermark, a change of leader) or their
// deadline passes. One mechanism for long-poll fetches, acks=all produces and group writes.

extension Broker {
    /// Parks an operation watched by `keys`; it may complete in this same step.
    mutating func park(_ operation: DelayedOperation, watching keys: [TopicPartition]) {
        delayed.park(operation, watching: keys)
    }

    /// Something about `tp` moved: whatever waits on it is looked at again.
    mutating func touch(_ tp: TopicPartition) { touched.insert(tp) }

    /// Completes the operations the partitions touched since the last call, or the clock, let
    /// complete; `everything` looks at all of them (leadership changed). Their answers go to
    /// `deferred`.
    mutating func completeDelayedOperations(now: Instant, everything: Bool = false) {
        let moved = touched
        touched = []
        guard delayed.count > 0 else { return }
        let candidates = everything ? delayed.takeAll() : delayed.take(watching: moved, now: now)
        for var parked in candidates {
            switch parked.operation {
            case .fetch(let fetch):
                if let reply = tryComplete(fetch, now: now) { deferred.append(reply) } else { delayed.restore(parked) }
            case .produce(var produce):
                if let reply = tryComplete(&produce, now: now) {
                    deferred.append(reply)
                } else {
                    parked.operation = .produce(produce)
                    delayed.restore(parked)
                }
            case .groupWrite(let write):
                if let answers = outcome(of: write, now: now) {
                    deferred += answers.compactMap { frameGroupAnswer($0.0, $0.1) }
                } else {
                    delayed.restore(parked)
                }
            }
        }
    }
}
