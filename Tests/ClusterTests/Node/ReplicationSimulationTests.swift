// Node tests: seeded runs of a 3-node cluster with an RF 3 topic (min.insync.replicas=2) and
// an acks=all producer under crashes, clean stops, restarts, delay and cut links. A failure
// prints its seed; `SWIFTKA_SEED=<n> swift test --filter ReplicationSimulationTests` replays it
// and `SWIFTKA_SEEDS=<n>` runs n more.

import Testing

@testable import Cluster

@Suite struct ReplicationSimulationTests {
    /// One seed's run and, if it broke an invariant, the report to record.
    static func attempt(seed: UInt64, crashes: Bool = true, cuts: Bool = true) -> (ReplicationSimulationRun, String?) {
        var run = ReplicationSimulationRun(seed: seed, crashes: crashes, cuts: cuts)
        do {
            try run.run()
            return (run, nil)
        } catch {
            return (run, """
                seed \(seed) broke \(error)
                state: \(run.describe())
                Replay: SWIFTKA_SEED=\(seed) swift test --filter ReplicationSimulationTests
                Trace tail:
                \(run.sim.trace.suffix(80).joined(separator: "\n"))
                """)
        }
    }

    @discardableResult
    static func run(seed: UInt64, crashes: Bool = true, cuts: Bool = true) -> ReplicationSimulationRun {
        let (run, failure) = attempt(seed: seed, crashes: crashes, cuts: cuts)
        if let failure { Issue.record("\(failure)") }
        return run
    }

    @Test("without faults every acks=all record is on all three replicas")
    func noFaults() async {
        await offCooperativePool {
            let run = Self.run(seed: 1, crashes: false, cuts: false)
            let acknowledged = run.acknowledged.values.map(\.count).reduce(0, +)
            #expect(acknowledged > 50, "the run must produce, not idle\n\(run.sim.trace.filter { $0.contains("producer") }.prefix(20).joined(separator: "\n"))")
            #expect(run.acknowledgedCommit > 10, "the run must commit offsets, not idle")
        }
    }

    @Test("acknowledged records survive crashes, stops and cut links; replicas converge", arguments: 0..<8)
    func fixedSeeds(chunk: UInt64) async {
        let (acknowledged, failures) = await offCooperativePool { () -> (Int, [String]) in
            var acknowledged = 0
            var failures: [String] = []
            for seed in (chunk * 25 + 1)...(chunk * 25 + 25) {
                let (run, failure) = Self.attempt(seed: seed)
                acknowledged += run.acknowledged.values.map(\.count).reduce(0, +)
                if let failure { failures.append(failure) }
            }
            return (acknowledged, failures)
        }
        for failure in failures { Issue.record("\(failure)") }
        #expect(acknowledged > 100, "the runs must produce, not idle")
    }

    @Test("SWIFTKA_SEEDS more seeds", .enabled(if: seedSetting("SWIFTKA_SEEDS") != nil))
    func longRun() async {
        await offCooperativePool {
            let count = seedSetting("SWIFTKA_SEEDS") ?? 0
            let base = seedSetting("SWIFTKA_SEED_BASE") ?? 1_000_000
            for seed in base..<(base + count) { Self.run(seed: seed) }
        }
    }

    @Test("one seed from SWIFTKA_SEED", .enabled(if: seedSetting("SWIFTKA_SEED") != nil))
    func replay() async {
        guard let seed = seedSetting("SWIFTKA_SEED") else { return }
        await offCooperativePool {
            let run = Self.run(seed: seed)
            print(run.sim.trace.joined(separator: "\n"))
        }
    }
}
