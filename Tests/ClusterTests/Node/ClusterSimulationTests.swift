// Node tests: seeded runs of whole clusters (3 and 5 nodes; 3 or 5 voters) under crashes,
// clean stops, restarts, loss, delay, reordering and cut links, with clients creating topics.
// A failure prints its seed; `SWIFTKA_SEED=<n> swift test --filter ClusterSimulationTests`
// replays it and `SWIFTKA_SEEDS=<n>` runs n more.

import Testing

@testable import Cluster

@Suite struct ClusterSimulationTests {
    /// One seed's run and, if it broke an invariant, the report to record.
    static func attempt(seed: UInt64) -> (ClusterSimulationRun, String?) {
        var run = ClusterSimulationRun(seed: seed)
        do {
            try run.run()
            return (run, nil)
        } catch {
            return (run, """
                seed \(seed) broke \(error)
                options: \(run.description)
                Replay: SWIFTKA_SEED=\(seed) swift test --filter ClusterSimulationTests
                Trace tail:
                \(run.sim.trace.suffix(60).joined(separator: "\n"))
                """)
        }
    }

    @discardableResult
    static func run(seed: UInt64) -> ClusterSimulationRun {
        let (run, failure) = attempt(seed: seed)
        if let failure { Issue.record("\(failure)") }
        return run
    }

    @Test("safety under faults, agreement after them", arguments: 0..<10)
    func fixedSeeds(chunk: UInt64) async {
        let (acknowledged, failures) = await offCooperativePool { () -> (Int, [String]) in
            var acknowledged = 0
            var failures: [String] = []
            for seed in (chunk * 100 + 1)...(chunk * 100 + 100) {
                let (run, failure) = Self.attempt(seed: seed)
                acknowledged += run.acknowledged.count
                if let failure { failures.append(failure) }
            }
            return (acknowledged, failures)
        }
        for failure in failures { Issue.record("\(failure)") }
        #expect(acknowledged > 50, "the runs must create topics, not idle")
    }

    @Test("one seed from SWIFTKA_SEED", .enabled(if: seedSetting("SWIFTKA_SEED") != nil))
    func replay() async {
        guard let seed = seedSetting("SWIFTKA_SEED") else { return }
        await offCooperativePool {
            let run = Self.run(seed: seed)
            print(run.sim.trace.joined(separator: "\n"))
        }
    }

    @Test("SWIFTKA_SEEDS more seeds", .enabled(if: seedSetting("SWIFTKA_SEEDS") != nil))
    func longRun() async {
        await offCooperativePool {
            let count = seedSetting("SWIFTKA_SEEDS") ?? 0
            let base = seedSetting("SWIFTKA_SEED_BASE") ?? 1_000_000
            for seed in base..<(base + count) { Self.run(seed: seed) }
        }
    }
}
