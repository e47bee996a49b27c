// Client room: a shared, lock-protected value for the client's edge classes (producer state,
// connection slots, batch completions), which event loops and tasks all touch.

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A value behind a pthread mutex, shared by reference.
///
/// The client's hot path (one `send` per record) must not hop to an actor or an event loop,
/// so its shared state sits behind a lock instead; every access is one short critical
/// section that never awaits. A pthread mutex rather than `Synchronization.Mutex`: the
/// thread sanitizer sees pthread locks, but not the futex inside the prebuilt `Mutex`, and
/// reports every access through one as a race.
///
/// `@unchecked Sendable` is sound because `storage` is only read or written inside
/// `withLock`, between `pthread_mutex_lock` and `pthread_mutex_unlock` on `mutex`, which
/// lives as long as the object; the closure cannot let `inout` access escape.
final class Locked<Value: Sendable>: @unchecked Sendable {
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>
    private var storage: Value

    init(_ value: Value) {
        storage = value
        mutex = .allocate(capacity: 1)
        mutex.initialize(to: pthread_mutex_t())
        let status = pthread_mutex_init(mutex, nil)
        precondition(status == 0, "pthread_mutex_init failed: \(status)")
    }

    deinit {
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
    }

    func withLock<Result>(_ body: (inout Value) throws -> Result) rethrows -> Result {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return try body(&storage)
    }

    var value: Value { withLock { $0 } }
}
