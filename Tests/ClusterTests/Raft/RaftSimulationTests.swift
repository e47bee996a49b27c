// Raft tests: many seeds of the quorum simulation, each with its own mix of faults (swarm
// testing). A failure prints its seed, options and trace tail; `SWIFTKA_SEED=<n> swift test
// --filter RaftSimulationTests` replays it, `SWIFTKA_SEEDS=<n>` runs n more seeds.

import Testing

@testable import Cluster

@Suite struct RaftSimulationTests {
    /// One seed's run and, if it broke an invariant, the report to record.
    static func attempt(seed: UInt64, verbose: Bool = false) -> (RaftSimulation, String?) {
        var sim = RaftSimulation(seed: seed, options: .swarm(seed: seed))
        sim.verbose = verbose
        do {
            try sim.run()
            return (sim, nil)
        } catch {
            return (sim, """
                seed \(seed) broke \(error)
                options: \(sim.options)
                Replay: SWIFTKA_SEED=\(seed) swift test --filter RaftSimulationTests
                Trace tail:
                \(sim.trace.suffix(60).joined(separator: "\n"))
                """)
        }
    }

    @discardableResult
    static func run(seed: UInt64, verbose: Bool = false) -> RaftSimulation {
        let (sim, failure) = attempt(seed: seed, verbose: verbose)
        if let failure { Issue.record("\(failure)") }
        return sim
    }

    @Test("safety under faults and agreement after them, 1000 seeds", arguments: 0..<10)
    func fixedSeeds(chunk: UInt64) async {
        let (committed, failures) = await offCooperativePool { () -> (Int, [String]) in
            var committed = 0
            var failures: [String] = []
            for seed in (chunk * 100 + 1)...(chunk * 100 + 100) {
                let (sim, failure) = Self.attempt(seed: seed)
                committed += sim.committed.count
                if let failure { failures.append(failure) }
            }
            return (committed, failures)
        }
        for failure in failures { Issue.record("\(failure)") }
        // The runs must have committed real work, not idled.
        #expect(committed > 500)
    }

    @Test("one seed runs the same way twice", arguments: [7, 42] as [UInt64])
    func deterministic(seed: UInt64) async {
        await offCooperativePool {
            var first = RaftSimulation(seed: seed, options: .swarm(seed: seed))
            var second = RaftSimulation(seed: seed, options: .swarm(seed: seed))
            first.verbose = true
            second.verbose = true
            try? first.run()
            try? second.run()
            #expect(first.trace == second.trace)
            #expect(first.events > 100)
        }
    }

    @Test("one seed from SWIFTKA_SEED", .enabled(if: seedSetting("SWIFTKA_SEED") != nil))
    func replay() async {
        guard let seed = seedSetting("SWIFTKA_SEED") else { return }
        await offCooperativePool {
            let sim = Self.run(seed: seed, verbose: true)
            print(sim.trace.joined(separator: "\n"))
        }
    }

    @Test("SWIFTKA_SEEDS more random seeds", .enabled(if: seedSetting("SWIFTKA_SEEDS") != nil))
    func longRun() async {
        await offCooperativePool {
            let count = seedSetting("SWIFTKA_SEEDS") ?? 0
            let base = seedSetting("SWIFTKA_SEED_BASE") ?? 1_000_000
            for seed in base..<(base + count) { Self.run(seed: seed) }
        }
    }
}
