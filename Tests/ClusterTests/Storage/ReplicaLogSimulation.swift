// Storage tests: a seeded run of one replica's log through what replication does to it
// (leader and follower appends, new leader epochs, truncations, full truncations, DeleteRecords,
// high watermark moves, flushes) with kills between and inside operations. After every reopen
// the log must be a prefix of what it held before or after the operation in flight, with its
// epoch cache, checkpoint file and high watermark consistent with it.

import NIOCore
import Testing

@testable import Cluster

/// One replica log, its model and the node's checkpoints, driven by one seed.
struct ReplicaLogSimulation {
    /// A rule the log broke.
    struct Violation: Error, CustomStringConvertible {
        var description: String
    }

    /// One batch as stored: its base offset and bytes.
    struct Batch: Equatable {
        var base: Int64
        var bytes: [UInt8]
    }

    private(set) var random: SplitMix64
    let fixture: LogFixture
    private(set) var log: PartitionLog
    /// What the log holds, oldest first.
    private(set) var model: [Batch] = []
    /// The node's checkpoints: recovery point, log start, high watermark.
    private var recoveryPoint: Int64 = 0
    private var logStart: Int64 = 0
    private var highWatermark: Int64 = 0
    private var leaderEpoch: Int32 = 0
    private var wallClockMs: Int64 = 0
    private(set) var trace: [String] = []
    private(set) var step = 0
    private(set) var crashes = 0
    private(set) var killsInside = 0
    /// Batches whose append completed, leader or follower.
    private(set) var appendedBatches = 0

    init(seed: UInt64) throws {
        var random = SplitMix64(seed: seed)
        let segmentBytes = 700 + random.below(1_000)
        let indexInterval = 64 * random.below(4)
        let retention: Int64 = random.below(3) == 0 ? 2_500 : -1
        self.random = random
        fixture = LogFixture {
            $0.segmentBytes = segmentBytes
            $0.indexIntervalBytes = indexInterval
            $0.retentionBytes = retention
        }
        log = try fixture.openNew()
        trace.append(
            "segment.bytes=\(segmentBytes) index.interval.bytes=\(indexInterval) "
                + "retention.bytes=\(retention)"
        )
    }

    private var modelEnd: Int64 { log.logEndOffset }

    // MARK: - Operations

    /// What one operation does to the model (nil: the model stays) and how to run it.
    private struct Operation {
        var name: String
        var after: [Batch]?
        var wipes = false
        var run: (inout PartitionLog) throws -> Void
    }

    mutating func run(steps: Int) throws {
        for _ in 0..<steps {
            step += 1
            if random.below(12) == 0 {
                try crash(inside: nil)
                continue
            }
            let operation = try nextOperation()
            if random.below(6) == 0 {
                try crash(inside: operation)
                continue
            }
            trace.append("\(step): \(operation.name)")
            try operation.run(&log)
            if let after = operation.after {
                appendedBatches += max(0, after.count - model.count)
                model = after
            }
            noteCheckpointsAfter(operation)
            try checkLog(against: [model], context: operation.name)
        }
    }

    private mutating func nextOperation() throws -> Operation {
        wallClockMs += 10
        let clock = wallClockMs
        switch random.below(20) {
        case 0..<6:
            let epoch = leaderEpoch
            let batch = TestBatches.batch(
                records: 1 + random.below(3),
                valueBytes: random.below(150), timestamp: clock)
            // The stored bytes are the batch stamped with its offset and the epoch.
            var stamped = batch
            RecordBatchView.stamp(
                &stamped, at: stamped.readerIndex, baseOffset: modelEnd,
                partitionLeaderEpoch: epoch)
            let after = model + [Batch(base: modelEnd, bytes: TestBatches.bytes(stamped))]
            return Operation(name: "append epoch \(epoch) at \(modelEnd)", after: after) { log in
                _ = try log.append(batch, leaderEpoch: epoch, wallClockMs: clock)
            }
        case 6..<12:
            var next = modelEnd
            var batches: [ByteBuffer] = []
            for _ in 0...random.below(4) {
                let records = 1 + random.below(3)
                batches.append(
                    TestBatches.batch(
                        records: records, valueBytes: random.below(300),
                        timestamp: clock, baseOffset: next, partitionLeaderEpoch: leaderEpoch,
                        producer: random.below(2) == 0 ? (7, 0, 0) : (-1, -1, -1)))
                next += Int64(records)
            }
            var base = modelEnd
            var after = model
            for batch in batches {
                after.append(Batch(base: base, bytes: TestBatches.bytes(batch)))
                base += Int64(RecordBatchHeader(batch, at: batch.readerIndex)?.recordsCount ?? 0)
            }
            let records = TestBatches.concat(batches)
            return Operation(
                name: "follower append \(batches.count) batches at \(modelEnd)", after: after
            ) { log in _ = try log.appendAsFollower(records, wallClockMs: clock) }
        case 12:
            leaderEpoch += 1
            let epoch = leaderEpoch
            let end = modelEnd
            return Operation(name: "become leader in epoch \(epoch) at \(end)", after: nil) { log in
                try log.maybeAssignEpochStartOffset(leaderEpoch: epoch, startOffset: end)
            }
        case 13, 14:
            let start = log.logStartOffset
            let target = start + Int64(random.below(Int(modelEnd - start) + 3))
            let after = model.filter { batch in
                (try? lastOffset(batch)).map { $0 < target } ?? false
            }
            leaderEpoch += random.below(2) == 0 ? 1 : 0
            return Operation(name: "truncate to \(target)", after: after) { log in
                try log.truncate(to: target)
            }
        case 15 where random.below(3) == 0:
            let offset = modelEnd + Int64(random.below(6))
            return Operation(name: "truncate fully, start at \(offset)", after: [], wipes: true) {
                log in try log.truncateFullyAndStartAt(offset, wallClockMs: clock)
            }
        case 16:
            let start = log.logStartOffset
            let offset = start + Int64(random.below(Int(modelEnd - start) + 1))
            return Operation(name: "delete records before \(offset)", after: nil) { log in
                try log.deleteRecords(before: offset)
            }
        case 17:
            let offset = Int64(random.below(Int(modelEnd) + 3)) - 1
            return Operation(name: "high watermark \(offset)", after: nil) { log in
                log.updateHighWatermark(offset)
            }
        case 18:
            return Operation(name: "retention", after: nil) { log in
                _ = try log.applyRetention(nowWallClockMs: clock)
            }
        default:
            return Operation(name: "flush and checkpoint", after: nil) { log in try log.flush() }
        }
    }

    /// The node's checkpoints after an operation completed: taken on flush, and after a
    /// truncation, as Kafka's LogManager checkpoints recovery points after `truncateTo`.
    private mutating func noteCheckpointsAfter(_ operation: Operation) {
        if operation.name.hasPrefix("flush") {
            recoveryPoint = log.recoveryPoint
            logStart = log.logStartOffset
            highWatermark = log.highWatermark
        } else if operation.name.hasPrefix("truncate") {
            recoveryPoint = min(recoveryPoint, log.recoveryPoint)
            if operation.wipes {
                recoveryPoint = log.recoveryPoint
                logStart = log.logStartOffset
            }
            highWatermark = min(highWatermark, log.highWatermark)
        }
    }

    // MARK: - Crashes

    /// Kills the process (inside `operation`, after a random number of its writes, when
    /// given), loses or tears what the crash mode says, reopens and checks the log.
    private mutating func crash(inside operation: Operation?) throws {
        crashes += 1
        let modes: [MemoryFileSystem.CrashMode] = [
            .keepWrittenBytes, .loseUnsyncedBytes,
            .tearLastWrite(keepingBytes: random.below(80)),
        ]
        let mode = modes[random.below(modes.count)]
        var acceptable = [model]
        var completed = false
        var minimumEnd = log.recoveryPoint
        if let operation {
            let budget = random.below(14)
            fixture.fs.writesBeforeFailure = budget
            do {
                try operation.run(&log)
                completed = true
            } catch {}
            let after = operation.after ?? model
            // A completed operation leaves only its result; an interrupted one either.
            acceptable = completed ? [after] : [model, after]
            if completed, operation.wipes {
                minimumEnd = log.logEndOffset
            } else if operation.wipes {
                minimumEnd = 0
            } else {
                minimumEnd = min(minimumEnd, after.last.flatMap { try? lastOffset($0) + 1 } ?? 0)
            }
            if completed { noteCheckpointsAfter(operation) }
            killsInside += completed ? 0 : 1
            trace.append(
                "\(step): \(operation.name), killed after \(budget) writes"
                    + (completed ? " (it completed)" : "") + ", \(mode)")
        } else {
            trace.append("\(step): crash, \(mode)")
        }
        fixture.fs.crash(mode)
        let trusted = random.below(3) != 0
        let (reopened, report) = try fixture.open(
            recoveryPoint: trusted ? recoveryPoint : nil, logStartOffset: logStart,
            highWatermark: highWatermark, wallClockMs: wallClockMs)
        log = reopened
        trace.append(
            "  reopened [\(log.logStartOffset), \(log.logEndOffset)) hw \(log.highWatermark) "
                + "epochs \(log.leaderEpochCache.entries.map { "\($0.epoch)@\($0.startOffset)" }) "
                + "cut \(report.truncatedBytes) rebuilt \(report.rebuiltLeaderEpochCache)")
        guard log.logEndOffset >= minimumEnd else {
            throw Violation(
                description: "lost fsynced records: the log ends at \(log.logEndOffset), "
                    + "below \(minimumEnd)")
        }
        let recovered = try checkLog(against: acceptable, context: "after the crash")
        model = recovered
        recoveryPoint = min(recoveryPoint, log.recoveryPoint)
        let expectedHighWatermark = min(max(highWatermark, log.logStartOffset), log.logEndOffset)
        guard log.highWatermark == expectedHighWatermark else {
            throw Violation(
                description:
                    "high watermark \(log.highWatermark), expected \(expectedHighWatermark)")
        }
    }

    @discardableResult
    private func checkLog(against models: [[Batch]], context: String) throws -> [Batch] {
        try ReplicaLogChecks.check(log, fixture: fixture, against: models, context: context)
    }

    private func lastOffset(_ batch: Batch) throws -> Int64 {
        try ReplicaLogChecks.lastOffset(batch)
    }

    mutating func finish() throws {
        try log.close()
        guard fixture.fs.openFileCount == 0 else {
            throw Violation(description: "\(fixture.fs.openFileCount) files left open")
        }
    }
}

extension SplitMix64 {
    /// A draw in `0..<bound`.
    fileprivate mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(max(bound, 1))) }
}
