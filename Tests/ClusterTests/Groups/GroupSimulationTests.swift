// Groups tests: a seeded simulation of the group coordinator with consumers that join, sync
// (the leader running the range or roundrobin assignor), heartbeat, commit, leave, crash and
// restart, and a coordinator that restarts by replaying its log. Invariants are checked after
// every step. Seeds are fixed here; a failure prints its seed and trace tail, and
// `SWIFTKA_SEED=<n> swift test --filter GroupSimulationTests` replays one seed.

import Testing

@testable import Cluster

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

@Suite struct GroupSimulationTests {
    static let steps = 1_500

    static var seedFromEnvironment: UInt64? {
        guard let raw = getenv("SWIFTKA_SEED") else { return nil }
        return UInt64(String(cString: raw))
    }

    /// Runs one seed; on a violation records the seed, the rule broken and the trace tail.
    static func run(seed: UInt64, steps: Int = steps) -> GroupSimulation {
        var sim = GroupSimulation(seed: seed)
        do {
            try sim.run(steps: steps)
        } catch {
            let tail = sim.trace.suffix(40).joined(separator: "\n")
            Issue.record(
                """
                seed \(seed) broke \(error) at step \(sim.step).
                Replay: SWIFTKA_SEED=\(seed) swift test --filter GroupSimulationTests
                Trace tail:
                \(tail)
                """)
        }
        return sim
    }

    @Test("invariants hold for fixed seeds", arguments: UInt64(1)...24)
    func fixedSeeds(seed: UInt64) async {
        await offCooperativePool {
            let sim = Self.run(seed: seed)
            // The run must have exercised the machine, not idled.
            #expect(sim.log.count > 10, "seed \(seed) wrote only \(sim.log.count) records")
        }
    }

    static var seedCountFromEnvironment: UInt64? {
        guard let raw = getenv("SWIFTKA_SEEDS") else { return nil }
        return UInt64(String(cString: raw))
    }

    @Test(
        "one seed from SWIFTKA_SEED, for replaying a failure",
        .enabled(if: seedFromEnvironment != nil))
    func replaySeed() async {
        guard let seed = Self.seedFromEnvironment else { return }
        await offCooperativePool {
            let sim = Self.run(seed: seed)
            print(sim.trace.suffix(60).joined(separator: "\n"))
        }
    }

    @Test(
        "a long run over SWIFTKA_SEEDS seeds from 1000 on",
        .enabled(if: seedCountFromEnvironment != nil))
    func longRun() async {
        let count = Self.seedCountFromEnvironment ?? 0
        await offCooperativePool {
            for seed in 1_000..<(1_000 + count) {
                let sim = Self.run(seed: seed, steps: 3_000)
                if !sim.violations.isEmpty { return }
            }
        }
    }

    @Test("the same seed gives the same trace, line for line")
    func deterministic() async {
        await offCooperativePool {
            let a = Self.run(seed: 77, steps: 600)
            let b = Self.run(seed: 77, steps: 600)
            #expect(a.trace == b.trace)
            #expect(a.log == b.log)
        }
    }

    @Test("across the fixed seeds the simulation reaches every state and path it is meant to test")
    func coverage() async {
        await offCooperativePool {
            var stable = 0
            var restarts = 0
            var expiries = 0
            var staticReplacements = 0
            var commits = 0
            var staleRefused = 0
            for seed in UInt64(1)...24 {
                let sim = Self.run(seed: seed)
                restarts += Int(sim.restarts)
                stable += sim.trace.filter { $0.contains("-> Stable") }.count
                expiries += sim.trace.filter { $0.contains("session timeout expired") }.count
                staticReplacements +=
                    sim.trace.filter { $0.contains("replaced by static member") }.count
                commits += sim.acknowledged.count
                staleRefused += sim.trace.filter { $0.contains("(stale)") }.count
            }
            print(
                "simulation coverage: stable \(stable), restarts \(restarts), expiries \(expiries), static \(staticReplacements), commits \(commits), stale commits \(staleRefused)"
            )
            #expect(
                stable > 50 && restarts > 10 && expiries > 10 && staticReplacements > 0
                    && commits > 20 && staleRefused > 20,
                "stable \(stable), restarts \(restarts), expiries \(expiries), static \(staticReplacements), commits \(commits)"
            )
        }
    }
}
