// Storage tests: opening a log after clean and unclean shutdowns. Goal: a clean restart
// scans nothing and keeps every offset; recovery keeps exactly the valid prefix for every
// torn length and for sampled bit flips of the last batch, and never fails to open.

import NIOCore
import Testing

@testable import Cluster

@Suite struct RecoveryTests {
    private static let logFile = "00000000000000000000.log"

    /// Eight batches of 1 to 4 records with varied sizes, in one segment, closed cleanly.
    /// Returns the fixture, the full log bytes, the start position of each batch and the
    /// base offset of each batch.
    private func closedLog() throws -> (LogFixture, [UInt8], [Int], [Int64]) {
        let fixture = LogFixture { $0.indexIntervalBytes = 150 }
        var log = try fixture.openNew()
        var positions: [Int] = []
        var bases: [Int64] = []
        for n in 0..<8 {
            positions.append(log.segments[0].sizeInBytes)
            let info = try log.append(
                TestBatches.batch(
                    records: 1 + n % 4, valueBytes: 10 + 7 * n, timestamp: 1_000 + Int64(n)),
                leaderEpoch: 3, wallClockMs: 0)
            bases.append(info.firstOffset)
        }
        try log.close()
        let bytes = try #require(fixture.fs.contents(of: fixture.path(Self.logFile)))
        return (fixture, bytes, positions, bases)
    }

    @Test("after a clean close a restart scans nothing and finds the same offsets")
    func cleanRestart() throws {
        let fixture = LogFixture {
            $0.segmentBytes = 1_024
            $0.indexIntervalBytes = 100
        }
        var log = try fixture.openNew()
        try log.appendBatches(12, valueBytes: 150, timestamp: 5_000, timestampStep: 10)
        try log.deleteRecords(before: 2)
        let before = (log.segments, try log.readAllHeaders(), log.logEndOffset)
        try log.close()
        #expect(log.recoveryPoint == log.logEndOffset)
        #expect(throws: StorageError.logClosed(directory: fixture.directory)) { try log.flush() }

        var (reopened, report) = try fixture.open(
            recoveryPoint: log.recoveryPoint, logStartOffset: log.logStartOffset)
        #expect(report.wasClean && report.validatedBytes == 0 && report.truncatedBytes == 0)
        #expect(report.segmentsLoaded == before.0.count && !report.wrotePartitionMetadata)
        #expect(reopened.segments == before.0)
        #expect(try reopened.readAllHeaders() == before.1)
        #expect(reopened.logEndOffset == before.2 && reopened.logStartOffset == 2)
        #expect(try reopened.appendBatches(1)[0].firstOffset == before.2)
    }

    @Test("a log cut at every byte of its last batch recovers exactly the batches before it")
    func everyTornLength() throws {
        let (fixture, full, positions, bases) = try closedLog()
        let lastStart = positions[positions.count - 1]
        for cut in lastStart..<full.count {
            fixture.fs.setContents(of: fixture.path(Self.logFile), to: Array(full[..<cut]))
            var (log, report) = try fixture.open(recoveryPoint: nil)
            #expect(log.logEndOffset == bases[bases.count - 1], "cut at \(cut)")
            #expect(report.truncatedBytes == Int64(cut - lastStart), "cut at \(cut)")
            #expect(report.truncatedBatches == (cut > lastStart ? 1 : 0), "cut at \(cut)")
            #expect(
                fixture.fs.contents(of: fixture.path(Self.logFile)) == Array(full[..<lastStart]))
            #expect(try log.readAllHeaders().map(\.baseOffset) == Array(bases.dropLast()))
            try log.close()
        }
    }

    @Test("a single flipped bit anywhere the CRC or the offsets cover cuts the log at that batch")
    func flippedBits() throws {
        let (fixture, full, positions, bases) = try closedLog()
        let lastStart = positions[positions.count - 1]
        // The partition leader epoch (bytes 12-15) is outside the CRC by design, like the
        // base offset; the base offset is still caught because offsets must follow on.
        let epoch = (lastStart + 12)..<(lastStart + 16)
        for position in lastStart..<full.count where !epoch.contains(position) {
            var damaged = full
            damaged[position] ^= UInt8(1) << UInt8(position % 8)
            fixture.fs.setContents(of: fixture.path(Self.logFile), to: damaged)
            let (log, report) = try fixture.open(recoveryPoint: nil)
            #expect(log.logEndOffset == bases[bases.count - 1], "bit flipped at \(position)")
            #expect(
                report.truncatedBytes == Int64(full.count - lastStart), "bit flipped at \(position)"
            )
            #expect(report.truncation?.position == lastStart)
        }
    }

    @Test("a forged tail with a valid CRC but an impossible record count is cut, not trapped on")
    func forgedTail() throws {
        let (fixture, full, _, bases) = try closedLog()
        var forged = TestBatches.batch(
            baseOffset: bases[bases.count - 1] + 4, lastOffsetDelta: Int32.max)
        let tail = forged.readBytes(length: forged.readableBytes) ?? []
        fixture.fs.setContents(of: fixture.path(Self.logFile), to: full + tail)
        let (log, report) = try fixture.open(recoveryPoint: nil)
        #expect(log.logEndOffset == bases[bases.count - 1] + 4)
        #expect(report.truncatedBytes == Int64(tail.count))
    }

    @Test("damage in an earlier batch cuts everything from that batch on")
    func earlyDamage() throws {
        let (fixture, full, positions, bases) = try closedLog()
        var damaged = full
        damaged[positions[3] + 40] ^= 0x80
        fixture.fs.setContents(of: fixture.path(Self.logFile), to: damaged)
        let (log, report) = try fixture.open(recoveryPoint: nil)
        #expect(log.logEndOffset == bases[3])
        #expect(report.truncatedBatches == 5)
        #expect(
            report.truncation
                == .init(
                    segmentBaseOffset: 0, position: positions[3],
                    reason: report.truncation?.reason ?? ""))
        #expect(report.truncation?.reason.hasPrefix("CRC mismatch") == true)
    }

    @Test("damage in a closed segment cuts it and deletes every later segment")
    func damageInClosedSegment() throws {
        let fixture = LogFixture { $0.segmentBytes = 1_024 }
        var log = try fixture.openNew()
        try log.appendBatches(10, valueBytes: 200)
        #expect(log.segments.map(\.baseOffset) == [0, 3, 6, 9])
        try log.close()
        let path = fixture.path("00000000000000000003.log")
        var bytes = try #require(fixture.fs.contents(of: path))
        bytes[300] ^= 0x04  // inside the second batch of segment 3
        fixture.fs.setContents(of: path, to: bytes)
        let (reopened, report) = try fixture.open(recoveryPoint: nil)
        #expect(reopened.logEndOffset == 4)
        #expect(reopened.segments.map(\.baseOffset) == [0, 3])
        #expect(report.deletedSegments == [6, 9])
        #expect(report.truncatedBatches == 2 + 4)
        #expect(!fixture.fs.exists(fixture.path("00000000000000000006.log")))
    }

    @Test("with a recovery point only the segments past it are validated")
    func pastRecoveryPointOnly() throws {
        let fixture = LogFixture { $0.segmentBytes = 1_024 }
        var log = try fixture.openNew()
        try log.appendBatches(10, valueBytes: 200)
        try log.close()
        let (_, report) = try fixture.open(recoveryPoint: 7)
        #expect(report.recoveredSegments == [6, 9])
        let (_, full) = try fixture.open(recoveryPoint: nil)
        #expect(full.recoveredSegments == [0, 3, 6, 9])
    }

    @Test("power loss keeps what was flushed; the recovery point then needs no cut")
    func powerLoss() throws {
        let fixture = LogFixture()
        var log = try fixture.openNew()
        try log.appendBatches(5)
        try log.flush()
        let checkpoint = log.recoveryPoint
        try log.appendBatches(3)
        fixture.fs.crash(.loseUnsyncedBytes)
        let (reopened, report) = try fixture.open(recoveryPoint: checkpoint)
        #expect(reopened.logEndOffset == 5)
        #expect(report.truncatedBytes == 0)
        #expect(try reopened.readAllHeaders().map(\.baseOffset) == [0, 1, 2, 3, 4])
    }

    @Test(
        "a torn last write is cut at the last whole batch, whatever its length",
        arguments: [0, 1, 12, 60, 61, 70])
    func tornWrite(keep: Int) throws {
        let fixture = LogFixture()
        var log = try fixture.openNew()
        try log.appendBatches(4)
        try log.flush()
        let checkpoint = log.recoveryPoint
        _ = try log.append(
            TestBatches.batch(records: 3, valueBytes: 40), leaderEpoch: 0, wallClockMs: 0)
        fixture.fs.crash(.tearLastWrite(keepingBytes: keep))
        var (reopened, report) = try fixture.open(recoveryPoint: checkpoint)
        #expect(reopened.logEndOffset == 4)
        #expect(report.truncatedBytes == Int64(keep))
        #expect(try reopened.appendBatches(1)[0].firstOffset == 4)
    }

    @Test("a process kill without flush keeps every written byte and validates it")
    func processKill() throws {
        let fixture = LogFixture()
        var log = try fixture.openNew()
        try log.appendBatches(6)
        fixture.fs.crash(.keepWrittenBytes)
        let (reopened, report) = try fixture.open(recoveryPoint: 0)
        #expect(
            reopened.logEndOffset == 6 && report.recoveredSegments == [0]
                && report.truncatedBytes == 0)
    }

    @Test("missing or damaged index files are rebuilt from the log")
    func rebuildIndexes() throws {
        let fixture = LogFixture {
            $0.segmentBytes = 1_024
            $0.indexIntervalBytes = 100
        }
        var log = try fixture.openNew()
        try log.appendBatches(10, valueBytes: 200)
        try log.close()
        let index = try #require(
            fixture.fs.contents(of: fixture.path("00000000000000000009.index")))
        try fixture.fs.delete(fixture.path("00000000000000000003.timeindex"))
        fixture.fs.setContents(of: fixture.path("00000000000000000009.index"), to: [1, 2, 3])
        var (reopened, report) = try fixture.open(recoveryPoint: log.recoveryPoint)
        #expect(report.recoveredSegments == [3, 9] && report.truncatedBytes == 0)
        #expect(fixture.fs.contents(of: fixture.path("00000000000000000009.index")) == index)
        #expect(fixture.fs.exists(fixture.path("00000000000000000003.timeindex")))
        // A closed segment's insane .index is rebuilt when a fetch first needs it.
        fixture.fs.setContents(
            of: fixture.path("00000000000000000000.index"), to: [0, 0, 0, 9, 0, 0])
        #expect(try reopened.readAllHeaders().count == 10)
        #expect(fixture.fs.contents(of: fixture.path("00000000000000000000.index"))?.count == 16)
        try reopened.close()
        // One that looks sane but points past the batch it names is caught by the walk:
        // it claims offset 3 ends in the batch at 268, which holds offset 4.
        fixture.fs.setContents(
            of: fixture.path("00000000000000000003.index"), to: [0, 0, 0, 0, 0, 0, 1, 12])
        let misled = try fixture.open(recoveryPoint: reopened.recoveryPoint).0
        let data = try misled.read(from: 3, maxBytes: 1, upTo: .max)
        #expect(RecordBatchHeader(data.records, at: 0)?.baseOffset == 3)
        #expect(data.position == 0)
    }

    @Test("leftover files are removed at open")
    func leftovers() throws {
        let fixture = LogFixture()
        var log = try fixture.openNew()
        try log.appendBatches(2)
        try log.close()
        for name in [
            "00000000000000000000.log.deleted", "partition.metadata.tmp",
            "00000000000000000050.index",
            "00000000000000000050.timeindex",
        ] {
            fixture.fs.setContents(of: fixture.path(name), to: [1])
        }
        let (_, report) = try fixture.open(recoveryPoint: 2)
        #expect(
            report.removedFiles.sorted() == [
                "00000000000000000000.log.deleted", "00000000000000000050.index",
                "00000000000000000050.timeindex",
                "partition.metadata.tmp",
            ])
        #expect(report.wasClean)
    }

    @Test("a directory of another topic id is refused with INCONSISTENT_TOPIC_ID")
    func otherTopic() throws {
        let fixture = LogFixture()
        _ = try fixture.openNew()
        do {
            _ = try PartitionLog.open(
                directory: fixture.directory,
                topicId: Uuid(mostSignificantBits: 9, leastSignificantBits: 9),
                config: fixture.config, fs: fixture.fs, recoveryPoint: nil, now: .zero,
                wallClockMs: 0)
            Issue.record("opened another topic's directory")
        } catch {
            #expect(error.errorCode == .inconsistentTopicId)
        }
    }

    @Test("a log start offset past the data starts an empty log there")
    func startPastData() throws {
        let fixture = LogFixture()
        var log = try fixture.openNew()
        try log.appendBatches(3)
        try log.close()
        var (reopened, report) = try fixture.open(recoveryPoint: 3, logStartOffset: 50)
        #expect(reopened.logStartOffset == 50 && reopened.logEndOffset == 50)
        #expect(report.deletedSegments == [0])
        #expect(reopened.segments.map(\.logFileName) == ["00000000000000000050.log"])
        #expect(try reopened.appendBatches(1)[0].firstOffset == 50)
    }

    @Test("a segment of pure garbage opens as an empty log", arguments: [1, 60, 61, 4_000])
    func garbage(size: Int) throws {
        let fixture = LogFixture()
        _ = try fixture.openNew()
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15 &+ UInt64(size)
        let junk = (0..<size).map { _ -> UInt8 in
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return UInt8(truncatingIfNeeded: state >> 33)
        }
        fixture.fs.setContents(of: fixture.path(Self.logFile), to: junk)
        fixture.fs.setContents(of: fixture.path("00000000000000000000.index"), to: junk)
        let (log, report) = try fixture.open(recoveryPoint: nil)
        #expect(
            log.logEndOffset == 0 && report.truncatedBytes == Int64(size)
                && report.truncatedBatches >= 1)
    }
}
