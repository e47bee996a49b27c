// Client room: the one-shot result of a produced batch, which every record in it waits on.
// One per batch (not per record), so a million records cost a few thousand of these.

import NIOCore

/// Where a batch's answer arrives: the base offset the leader gave it, or why it failed.
///
/// Each record's `RecordMetadata` is derived from its batch's answer and its index in the
/// batch, as Kafka's `ProduceRequestResult` serves every `FutureRecordMetadata` of a batch.
final class BatchCompletion: Sendable {
    enum Outcome: Sendable, Equatable {
        /// `baseOffset` is -1 under acks=0; `logAppendTime` is -1 for CreateTime topics.
        case success(baseOffset: Int64, logAppendTime: Int64)
        case failure(KafkaClientError)
    }

    private struct State: Sendable {
        var outcome: Outcome?
        var waiters: [Int: CheckedContinuation<Outcome?, Never>] = [:]
        var nextWaiter = 0
    }

    private let state = Locked(State())

    init() {}

    var outcome: Outcome? { state.value.outcome }

    /// Records the answer (the first one wins) and wakes every waiter.
    func complete(_ outcome: Outcome) {
        let waiters = state.withLock { state -> [CheckedContinuation<Outcome?, Never>] in
            guard state.outcome == nil else { return [] }
            state.outcome = outcome
            defer { state.waiters = [:] }
            return Array(state.waiters.values)
        }
        for waiter in waiters { waiter.resume(returning: outcome) }
    }

    /// Waits for the answer.
    func wait() async -> Outcome {
        while true {
            if let outcome = await wait(timeout: nil, on: nil) { return outcome }
        }
    }

    /// Waits for the answer, or returns nil after `timeout` (timed on `loop`).
    func wait(timeout: Duration?, on loop: (any EventLoop)?) async -> Outcome? {
        await withCheckedContinuation { (continuation: CheckedContinuation<Outcome?, Never>) in
            let id = state.withLock { state -> Int? in
                if state.outcome != nil { return nil }
                state.nextWaiter += 1
                state.waiters[state.nextWaiter] = continuation
                return state.nextWaiter
            }
            guard let id else {
                continuation.resume(returning: outcome)
                return
            }
            if let timeout, let loop {
                loop.scheduleTask(in: .nanoseconds(timeout.nanosecondsClamped)) { [self] in
                    let waiter = state.withLock { $0.waiters.removeValue(forKey: id) }
                    waiter?.resume(returning: nil)
                }
            }
        }
    }
}
