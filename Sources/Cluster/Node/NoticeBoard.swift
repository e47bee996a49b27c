// Node room: notices for the learner from running nodes (a torn tail cut at recovery, segments
// deleted by retention, a log deleted with its topic). Bounded; the REPL drains it after each
// command, `serve` prints each as it comes.

import DequeModule

/// A bounded, thread-safe queue of notices.
///
/// `@unchecked Sendable`: `pending` and `sink` are only touched under `lock`.
public final class NoticeBoard: @unchecked Sendable {
    private let lock = NIOLockLite()
    private var pending = Deque<String>()
    private var sink: (@Sendable (String) -> Void)?
    public static let noticesMax = 200

    public init() {}

    /// Send every notice to `sink` as it arrives instead of queueing it.
    public func setSink(_ sink: (@Sendable (String) -> Void)?) { lock.withLock { self.sink = sink } }

    func post(_ text: String) {
        let sink: (@Sendable (String) -> Void)? = lock.withLock {
            if let sink = self.sink { return sink }
            pending.append(text)
            if pending.count > Self.noticesMax { pending.removeFirst() }
            return nil
        }
        sink?(text)
    }

    public func drain() -> [String] {
        lock.withLock {
            defer { pending.removeAll() }
            return Array(pending)
        }
    }
}
