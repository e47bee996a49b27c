// Test support: CPU-bound simulation runs, one at a time, on a queue of their own. Swift's
// cooperative pool has one thread per core (two here); a thousand seeds on it — or on a
// thread per suite, all competing — starve the tests that drive real sockets, whose clients
// then time out. One serial queue keeps the simulations to one core. Issues are recorded by
// the caller, in its test.

import Dispatch

private let simulations = DispatchQueue(label: "swiftka.tests.simulations", qos: .utility)

func offCooperativePool<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
    await withCheckedContinuation { continuation in
        simulations.async { continuation.resume(returning: work()) }
    }
}
