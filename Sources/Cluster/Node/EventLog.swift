// Node room: the cluster's event stream at the edge. Nodes append typed events; the REPL's
// `events`, narration and lesson checks read the history or wait for what comes next.

import DequeModule

/// A bounded, thread-safe history of `ClusterEvent`s with waiting readers.
///
/// `@unchecked Sendable`: `history`, `nextSequence` and `continuations` are only touched under `lock`.
public final class EventLog: @unchecked Sendable {
    private let lock = NIOLockLite()
    private var history = Deque<(sequence: Int, event: ClusterEvent)>()
    private var nextSequence = 0
    private var continuations: [Int: AsyncStream<ClusterEvent>.Continuation] = [:]
    private var nextSubscriber = 0
    public static let historyMax = 10_000

    public init() {}

    public func append(_ events: [ClusterEvent]) {
        guard !events.isEmpty else { return }
        let listeners: [AsyncStream<ClusterEvent>.Continuation] = lock.withLock {
            for event in events {
                history.append((nextSequence, event))
                nextSequence += 1
            }
            while history.count > Self.historyMax { history.removeFirst() }
            return Array(continuations.values)
        }
        for listener in listeners { for event in events { listener.yield(event) } }
    }

    /// The sequence number the next event will get: a bookmark for `since(_:)`.
    public var mark: Int { lock.withLock { nextSequence } }

    /// Every kept event from `mark` on.
    public func since(_ mark: Int) -> [ClusterEvent] {
        lock.withLock { history.filter { $0.sequence >= mark }.map(\.event) }
    }

    public func all() -> [ClusterEvent] { lock.withLock { history.map(\.event) } }

    /// Events as they arrive, until the stream is dropped.
    public func subscribe() -> AsyncStream<ClusterEvent> {
        AsyncStream(bufferingPolicy: .bufferingNewest(1_000)) { continuation in
            let id: Int = lock.withLock {
                nextSubscriber += 1
                continuations[nextSubscriber] = continuation
                return nextSubscriber
            }
            continuation.onTermination = { [weak self] _ in
                self?.lock.withLock { _ = self?.continuations.removeValue(forKey: id) }
            }
        }
    }
}
