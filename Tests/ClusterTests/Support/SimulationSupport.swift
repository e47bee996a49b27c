// Test support for the seeded simulation suites. Their CPU-bound runs go, one at a time, to a
// queue of their own: Swift's cooperative pool has one thread per core (two here), and a
// thousand seeds on it (or a thread per suite, all competing) starve the tests that drive real
// sockets, whose clients then time out.

import Dispatch

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

private let simulations = DispatchQueue(label: "swiftka.tests.simulations", qos: .utility)

/// Runs the jobs of the tasks that prefer it on the simulation queue.
private final class SimulationExecutor: TaskExecutor {
    static let shared = SimulationExecutor()

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        simulations.async { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
    }
}

/// Runs `work` on the simulation queue, one run at a time, and returns its result.
///
/// The work stays in the calling test's task (a task executor preference, SE-0417), so
/// `#expect`, `#require` and `Issue.record` inside it are charged to that test as usual.
func offCooperativePool<T, E: Error>(_ work: () throws(E) -> T) async throws(E) -> T {
    try await withTaskExecutorPreference(SimulationExecutor.shared) { () async throws(E) -> T in
        dispatchPrecondition(condition: .onQueue(simulations))
        return try work()
    }
}

/// A seed setting from the environment (`SWIFTKA_SEED`, `SWIFTKA_SEEDS`, `SWIFTKA_SEED_BASE`).
func seedSetting(_ name: String) -> UInt64? {
    guard let raw = getenv(name) else { return nil }
    return UInt64(String(cString: raw))
}
