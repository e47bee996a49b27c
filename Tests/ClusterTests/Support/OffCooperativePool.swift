// Test support: CPU-bound simulation runs on a thread of their own. Swift's cooperative pool
// has one thread per core (two here); a thousand seeds on it starve the tests that drive real
// sockets, whose clients then time out. Issues are recorded by the caller, in its test.

import Foundation

func offCooperativePool<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
    await withCheckedContinuation { continuation in
        let thread = Thread { continuation.resume(returning: work()) }
        thread.stackSize = 16 << 20
        thread.start()
    }
}
