// Client room: a shared, lock-protected value for the client's edge classes (producer state,
// connection slots), which event loops and tasks all touch.

import Synchronization

/// A reference to a `Mutex`-protected value, so closures and several owners can share it.
///
/// The client's hot path (one `send` per record) must not hop to an actor or an event loop,
/// so its shared state sits behind a lock instead; every access is one short critical
/// section that never awaits.
final class Locked<Value: Sendable>: Sendable {
    private let mutex: Mutex<Value>

    init(_ value: Value) { self.mutex = Mutex(value) }

    func withLock<Result>(_ body: (inout Value) throws -> Result) rethrows -> Result {
        try mutex.withLock { value in try body(&value) }
    }

    var value: Value { mutex.withLock { $0 } }
}
