// Test support for the seeded simulation suites. Their CPU-bound runs go, one at a time, to a
// queue of their own: Swift's cooperative pool has one thread per core (two here), and a
// thousand seeds on it (or a thread per suite, all competing) starve the tests that drive real
// sockets, whose clients then time out. Issues are recorded by the caller, in its test.

import Dispatch

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

private let simulations = DispatchQueue(label: "swiftka.tests.simulations", qos: .utility)

func offCooperativePool<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
    await withCheckedContinuation { continuation in
        simulations.async { continuation.resume(returning: work()) }
    }
}

/// A seed setting from the environment (`SWIFTKA_SEED`, `SWIFTKA_SEEDS`, `SWIFTKA_SEED_BASE`).
func seedSetting(_ name: String) -> UInt64? {
    guard let raw = getenv(name) else { return nil }
    return UInt64(String(cString: raw))
}
