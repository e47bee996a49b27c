// Storage tests: truncating a log (a follower dropping a tail that diverged from its leader).
// Goal: inside a segment, at a segment boundary and across segments the log keeps exactly the
// batches below the target, its files, indexes and figures equal what a full recovery of the
// same bytes builds, the epoch cache and offsets follow, and appends carry on from the new end.

import NIOCore
import Testing

@testable import Cluster

@Suite struct PartitionLogTruncateTests {
    /// Ten batches of one record (268 bytes, three to a 1 KiB segment: segments 0, 3, 6, 9),
    /// offsets 0-4 in leader epoch 1 and 5-9 in epoch 2, timestamps 1000, 1010, ...
    private func tenBatches() throws -> (LogFixture, PartitionLog) {
        let fixture = LogFixture {
            $0.segmentBytes = 1_024
            $0.indexIntervalBytes = 100
        }
        var log = try fixture.openNew()
        for n in 0..<10 {
            _ = try log.append(
                TestBatches.batch(valueBytes: 200, timestamp: 1_000 + 10 * Int64(n)),
                leaderEpoch: n < 5 ? 1 : 2, wallClockMs: 0)
        }
        #expect(log.segments.map(\.baseOffset) == [0, 3, 6, 9])
        return (fixture, log)
    }

    private func entries(_ pairs: [(Int32, Int64)]) -> [EpochEntry] {
        pairs.map { EpochEntry(epoch: $0.0, startOffset: $0.1) }
    }

    private func logFiles(_ fixture: LogFixture) throws -> [String] {
        try fixture.fs.list(fixture.directory).filter { $0.hasSuffix(".log") }
    }

    /// The log as it stands equals what reopening the same files builds, both trusting the
    /// recovery point and recovering every segment; the log is left open as reopened.
    private func expectMatchesReopen(_ log: inout PartitionLog, _ fixture: LogFixture) throws {
        let segments = log.segments
        let headers = try log.readAllHeaders()
        let index = log.active.offsetIndex
        let cache = log.leaderEpochCache
        let point = log.recoveryPoint
        log.abandon()
        for recoveryPoint in [point, nil] {
            var (reopened, report) = try fixture.open(
                recoveryPoint: recoveryPoint, logStartOffset: log.logStartOffset)
            #expect(
                report.truncatedBytes == 0, "recovery point \(String(describing: recoveryPoint))")
            #expect(reopened.segments == segments)
            #expect(try reopened.readAllHeaders() == headers)
            #expect(reopened.active.offsetIndex == index)
            #expect(reopened.leaderEpochCache == cache)
            reopened.abandon()
        }
        log = try fixture.open(recoveryPoint: nil, logStartOffset: log.logStartOffset).0
    }

    @Test("inside a segment: the batches from the target on go, and appends continue there")
    func insideSegment() throws {
        var (fixture, log) = try tenBatches()
        log.updateHighWatermark(8)
        let removed = try log.truncate(to: 4)
        #expect(removed)
        #expect(log.logEndOffset == 4 && log.highWatermark == 4 && log.recoveryPoint <= 4)
        #expect(log.segments.map(\.baseOffset) == [0, 3])
        #expect(log.segments.map(\.nextOffset) == [3, 4])
        #expect(log.segments[1].isActive && log.segments[1].largestTimestamp == 1_030)
        #expect(try log.readAllHeaders().map(\.baseOffset) == [0, 1, 2, 3])
        #expect(try logFiles(fixture) == ["00000000000000000000.log", "00000000000000000003.log"])
        #expect(log.leaderEpochCache.entries == entries([(1, 0)]))
        try expectMatchesReopen(&log, fixture)

        let info = try log.append(
            TestBatches.batch(valueBytes: 200), leaderEpoch: 3, wallClockMs: 0)
        #expect(info.firstOffset == 4 && log.logEndOffset == 5)
        #expect(log.leaderEpochCache.entries == entries([(1, 0), (3, 4)]))
        try expectMatchesReopen(&log, fixture)
    }

    @Test("at a segment boundary: the segment starting there stays, empty, as the active one")
    func segmentBoundary() throws {
        var (fixture, log) = try tenBatches()
        let removed = try log.truncate(to: 6)
        #expect(removed)
        #expect(log.segments.map(\.baseOffset) == [0, 3, 6])
        #expect(log.segments.map(\.sizeInBytes)[2] == 0 && log.segments[2].isActive)
        #expect(log.logEndOffset == 6)
        #expect(!fixture.fs.exists(fixture.path("00000000000000000009.log")))
        #expect(!fixture.fs.exists(fixture.path("00000000000000000009.index")))
        #expect(log.leaderEpochCache.entries == entries([(1, 0), (2, 5)]))
        try expectMatchesReopen(&log, fixture)
        let info = try log.append(
            TestBatches.batch(valueBytes: 200), leaderEpoch: 2, wallClockMs: 0)
        #expect(info.firstOffset == 6 && !info.rolled)
        try expectMatchesReopen(&log, fixture)
    }

    @Test("across segments: every later segment is deleted and the first is cut")
    func acrossSegments() throws {
        var (fixture, log) = try tenBatches()
        let removed = try log.truncate(to: 1)
        #expect(removed)
        #expect(log.segments.map(\.baseOffset) == [0])
        #expect(log.logEndOffset == 1)
        #expect(try logFiles(fixture) == ["00000000000000000000.log"])
        #expect(
            try fixture.fs.list(fixture.directory).filter { $0.hasSuffix("index") } == [
                "00000000000000000000.index", "00000000000000000000.timeindex",
            ])
        #expect(log.leaderEpochCache.entries == entries([(1, 0)]))
        try expectMatchesReopen(&log, fixture)
        try log.appendBatches(4, valueBytes: 200)
        #expect(log.segments.map(\.baseOffset) == [0, 3])
        try expectMatchesReopen(&log, fixture)
    }

    @Test("a target inside a batch removes that whole batch, so the log ends below the target")
    func insideBatch() throws {
        let fixture = LogFixture()
        var log = try fixture.openNew()
        try log.appendBatches(3, records: 3)
        let removed = try log.truncate(to: 4)
        #expect(removed)
        #expect(log.logEndOffset == 3)
        #expect(try log.readAllHeaders().map(\.baseOffset) == [0])
        try expectMatchesReopen(&log, fixture)
    }

    @Test("a closed segment with damaged index files is cut and its indexes rebuilt")
    func damagedIndex() throws {
        var (fixture, log) = try tenBatches()
        fixture.fs.setContents(of: fixture.path("00000000000000000003.index"), to: [1, 2, 3])
        fixture.fs.setContents(of: fixture.path("00000000000000000003.timeindex"), to: [9])
        let removed = try log.truncate(to: 5)
        #expect(removed)
        #expect(log.segments.map(\.nextOffset) == [3, 5])
        #expect(try log.readAllHeaders().map(\.baseOffset) == [0, 1, 2, 3, 4])
        try expectMatchesReopen(&log, fixture)
    }

    @Test(
        "below the log start it is refused; at or past the end only the epoch cache is trimmed"
    )
    func outOfRange() throws {
        var (fixture, log) = try tenBatches()
        try log.deleteRecords(before: 3)
        #expect(
            throws: StorageError.offsetOutOfRange(offset: 2, logStartOffset: 3, logEndOffset: 10)
        ) {
            try log.truncate(to: 2)
        }
        // A leader that recorded its epoch and wrote nothing before losing leadership.
        try log.maybeAssignEpochStartOffset(leaderEpoch: 4, startOffset: 10)
        let truncatedAtEnd = try log.truncate(to: 10)
        let truncatedPastEnd = try log.truncate(to: 12)
        #expect(!truncatedAtEnd && !truncatedPastEnd)
        #expect(log.logEndOffset == 10)
        #expect(log.leaderEpochCache.entries == entries([(1, 3), (2, 5)]))
        #expect(
            fixture.fs.contents(of: fixture.path("leader-epoch-checkpoint"))
                == Array("0\n2\n1 3\n2 5\n".utf8))
    }

    @Test(
        "truncateFullyAndStartAt leaves one empty segment at the new offset, where all starts"
    )
    func fully() throws {
        var (fixture, log) = try tenBatches()
        try log.truncateFullyAndStartAt(50, wallClockMs: 0)
        #expect(log.logStartOffset == 50 && log.logEndOffset == 50)
        #expect(log.highWatermark == 50 && log.recoveryPoint == 50)
        #expect(log.segments.map(\.baseOffset) == [50])
        #expect(log.leaderEpochCache.isEmpty)
        #expect(try logFiles(fixture) == ["00000000000000000050.log"])
        #expect(
            fixture.fs.contents(of: fixture.path("leader-epoch-checkpoint"))
                == Array("0\n0\n".utf8))
        let fetched = TestBatches.batch(records: 2, baseOffset: 50, partitionLeaderEpoch: 6)
        let info = try log.appendAsFollower(fetched, wallClockMs: 0)
        #expect(info.firstOffset == 50 && log.logEndOffset == 52)
        #expect(log.leaderEpochCache.entries == entries([(6, 50)]))
        log.abandon()
        // No log-start checkpoint: the first segment's base is the log start.
        var (reopened, _) = try fixture.open(recoveryPoint: nil)
        #expect(reopened.logStartOffset == 50 && reopened.logEndOffset == 52)
        #expect(reopened.leaderEpochCache.entries == entries([(6, 50)]))
        #expect(
            throws: StorageError.offsetOutOfRange(offset: -1, logStartOffset: 50, logEndOffset: 52)
        ) {
            try reopened.truncateFullyAndStartAt(-1, wallClockMs: 0)
        }
    }
}
