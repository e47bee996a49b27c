// Storage tests: replica storage under kill -9 and torn writes. Goal: whatever the moment of
// the crash (between operations, or after any write inside a follower append, a truncation or a
// full truncation) and whatever the disk keeps, the log reopens as a prefix of what it was
// before or after the operation, with indexes that serve every offset, an epoch cache and
// checkpoint file that agree with its batches, and a clamped high watermark. Seeds are fixed;
// a failure prints its seed and trace tail, and
// `SWIFTKA_SEED=<n> swift test --filter ReplicaLogCrashTests` replays one seed.

import NIOCore
import Testing

@testable import Cluster

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

@Suite struct ReplicaLogCrashTests {
    static let steps = 160

    static var seedFromEnvironment: UInt64? {
        guard let raw = getenv("SWIFTKA_SEED") else { return nil }
        return UInt64(String(cString: raw))
    }

    /// Runs one seed; on a violation records the seed, what broke and the trace tail.
    @discardableResult
    static func run(seed: UInt64) -> ReplicaLogSimulation? {
        var sim: ReplicaLogSimulation
        do {
            sim = try ReplicaLogSimulation(seed: seed)
        } catch {
            Issue.record("seed \(seed): could not open the log: \(error)")
            return nil
        }
        do {
            try sim.run(steps: steps)
            try sim.finish()
        } catch {
            Issue.record(
                """
                seed \(seed) broke: \(error) at step \(sim.step).
                Replay: SWIFTKA_SEED=\(seed) swift test --filter ReplicaLogCrashTests
                Trace tail:
                \(sim.trace.suffix(30).joined(separator: "\n"))
                """)
            return nil
        }
        return sim
    }

    @Test("seeded runs: every crash reopens a consistent prefix", arguments: UInt64(1)...40)
    func fixedSeeds(seed: UInt64) async {
        await offCooperativePool {
            guard let sim = Self.run(seed: seed) else { return }
            #expect(sim.crashes > 3, "seed \(seed) crashed only \(sim.crashes) times")
            #expect(
                sim.appendedBatches > 30, "seed \(seed) appended \(sim.appendedBatches) batches")
        }
    }

    @Test("the fixed seeds kill operations halfway, not only between them")
    func killsInside() async {
        await offCooperativePool {
            let kills = (UInt64(1)...8).compactMap { Self.run(seed: $0)?.killsInside }
            #expect(kills.reduce(0, +) > 8)
        }
    }

    @Test(
        "one seed from SWIFTKA_SEED, for replaying a failure",
        .enabled(if: seedFromEnvironment != nil))
    func replaySeed() async {
        guard let seed = Self.seedFromEnvironment else { return }
        await offCooperativePool {
            guard let sim = Self.run(seed: seed) else { return }
            print(sim.trace.suffix(60).joined(separator: "\n"))
        }
    }

    // MARK: - Every kill point of one operation

    /// Ten single-record batches (segments of three), epochs 1 then 2 from offset 5, flushed;
    /// then `operation` is run with the disk failing after `budget` writes, the process is
    /// killed with `mode`, and the log reopened (with the recovery point, or without).
    /// Returns whether the operation completed within the budget.
    private func killInside(
        budget: Int, mode: MemoryFileSystem.CrashMode, trusted: Bool,
        after: (inout [ReplicaLogSimulation.Batch]) -> Void,
        _ operation: (inout PartitionLog) throws -> Void
    ) throws -> Bool {
        let fixture = LogFixture {
            $0.segmentBytes = 1_024
            $0.indexIntervalBytes = 100
        }
        var log = try fixture.openNew()
        for n in 0..<10 {
            _ = try log.append(
                TestBatches.batch(valueBytes: 200, timestamp: 1_000 + Int64(n)),
                leaderEpoch: n < 5 ? 1 : 2, wallClockMs: 0)
        }
        try log.flush()
        let recoveryPoint = log.recoveryPoint
        let before = try ReplicaLogChecks.batches(of: log)
        var expected = before
        after(&expected)

        fixture.fs.writesBeforeFailure = budget
        var completed = true
        do { try operation(&log) } catch { completed = false }
        fixture.fs.crash(mode)
        let context = "killed after \(budget) writes, \(mode), trusted \(trusted)"
        var (reopened, _) = try fixture.open(recoveryPoint: trusted ? recoveryPoint : nil)
        let found = try ReplicaLogChecks.check(
            reopened, fixture: fixture, against: completed ? [expected] : [before, expected],
            context: context)
        // Everything was flushed before the operation; only what it removes may go.
        #expect(
            found.count >= min(before.count, expected.count), "\(context): \(found.count) batches")
        if completed, mode == .keepWrittenBytes {
            #expect(found == expected, "\(context): the completed operation was lost")
        }
        for offset in reopened.logStartOffset..<reopened.logEndOffset {
            let data = try reopened.read(from: offset, maxBytes: 1, upTo: .max)
            let header = try #require(RecordBatchHeader(data.records, at: data.records.readerIndex))
            #expect(header.baseOffset <= offset && offset <= header.lastOffset, "\(context)")
        }
        // The log takes appends again from its end, and keeps them.
        let end = reopened.logEndOffset
        _ = try reopened.append(TestBatches.batch(), leaderEpoch: 9, wallClockMs: 0)
        reopened.abandon()
        let (again, _) = try fixture.open(recoveryPoint: nil)
        #expect(again.logEndOffset == end + 1, "\(context)")
        #expect(again.latestEpoch == 9, "\(context)")
        return completed
    }

    private static let modes: [MemoryFileSystem.CrashMode] = [
        .keepWrittenBytes, .loseUnsyncedBytes, .tearLastWrite(keepingBytes: 0),
        .tearLastWrite(keepingBytes: 5),
    ]

    /// Runs `operation` killed after 0, 1, 2... writes until it completes, in every mode.
    private func everyKillPoint(
        after: (inout [ReplicaLogSimulation.Batch]) -> Void,
        _ operation: (inout PartitionLog) throws -> Void
    ) throws {
        for mode in Self.modes {
            for trusted in [true, false] {
                var budget = 0
                while try !killInside(
                    budget: budget, mode: mode, trusted: trusted, after: after, operation)
                {
                    budget += 1
                    try #require(budget < 200, "the operation never completes")
                }
                #expect(budget > 3, "\(mode): the operation completed after \(budget) writes")
            }
        }
    }

    @Test("a truncation across segments killed after any of its writes leaves a prefix")
    func truncationKilledAnywhere() async throws {
        try await offCooperativePool {
            try everyKillPoint(after: { $0.removeSubrange(4...) }) { log in
                try log.truncate(to: 4)
            }
        }
    }

    @Test("a full truncation killed after any of its writes leaves a prefix or the empty log")
    func fullTruncationKilledAnywhere() async throws {
        try await offCooperativePool {
            try everyKillPoint(after: { $0.removeAll() }) { log in
                try log.truncateFullyAndStartAt(40, wallClockMs: 0)
            }
        }
    }

    @Test("a follower append that rolls segments, killed after any of its writes, leaves a prefix")
    func followerAppendKilledAnywhere() async throws {
        try await offCooperativePool {
            let fetched = (0..<6).map { n in
                TestBatches.batch(
                    records: 2, valueBytes: 250, baseOffset: 10 + 2 * Int64(n),
                    partitionLeaderEpoch: 3)
            }
            try everyKillPoint(
                after: { model in
                    for (n, batch) in fetched.enumerated() {
                        model.append(
                            .init(base: 10 + 2 * Int64(n), bytes: TestBatches.bytes(batch)))
                    }
                }
            ) { log in
                _ = try log.appendAsFollower(TestBatches.concat(fetched), wallClockMs: 0)
            }
        }
    }
}
