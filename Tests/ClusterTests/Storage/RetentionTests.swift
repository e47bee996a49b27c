// Storage tests: deleting old data. Goal: retention.ms and retention.bytes delete whole
// segments oldest first (an expired active one after rolling a new one, as Kafka does),
// never data past the high watermark;
// DeleteRecords moves the log start offset; the log start offset follows every deletion.

import NIOCore
import Testing

@testable import Cluster

@Suite struct RetentionTests {
    /// Segments of three 268-byte batches each ([0, 3, 6, 9]); batch n has timestamp
    /// 1000 + 100·n, so segment k's newest record is 1000 + 100·(3k + 2).
    private func fourSegments(_ configure: (inout LogConfig) -> Void = { _ in }) throws -> (
        LogFixture, PartitionLog
    ) {
        let fixture = LogFixture {
            $0.segmentBytes = 1_024
            configure(&$0)
        }
        var log = try fixture.openNew()
        try log.appendBatches(10, valueBytes: 200, timestamp: 1_000, timestampStep: 100)
        #expect(log.segments.map(\.baseOffset) == [0, 3, 6, 9])
        return (fixture, log)
    }

    @Test("retention.ms deletes closed segments whose newest record is older, oldest first")
    func byTime() throws {
        var (fixture, log) = try fourSegments { $0.retentionMs = 1_000 }
        // Segment 0's newest is 1200, segment 1's 1500, segment 2's 1800.
        let result = try log.applyRetention(nowWallClockMs: 2_600)
        #expect(result.deleted.map(\.segment.baseOffset) == [0, 3])
        #expect(result.deleted.allSatisfy { $0.reason == .retentionMs })
        #expect(result.logStartOffset == 6 && log.logStartOffset == 6)
        #expect(log.segments.map(\.baseOffset) == [6, 9])
        #expect(!fixture.fs.exists(fixture.path("00000000000000000000.log")))
        #expect(!fixture.fs.exists(fixture.path("00000000000000000003.index")))
        #expect(try fixture.fs.list(fixture.directory).filter { $0.hasSuffix(".deleted") }.isEmpty)
        #expect(throws: StorageError.self) { try log.read(from: 5, maxBytes: 100, upTo: .max) }
        #expect(try log.read(from: 6, maxBytes: 1, upTo: .max).batchCount == 1)
    }

    @Test("an expired active segment is deleted after a new empty one is rolled, as in Kafka")
    func expiredActiveRolls() throws {
        var (_, log) = try fourSegments { $0.retentionMs = 0 }
        let result = try log.applyRetention(nowWallClockMs: 1_000_000)
        #expect(result.deleted.map(\.segment.baseOffset) == [0, 3, 6, 9])
        #expect(log.segments.map(\.baseOffset) == [10])
        #expect(log.segments.map(\.isActive) == [true])
        #expect(log.logStartOffset == 10 && log.logEndOffset == 10)
        // The empty active segment is never deleted, and the log takes appends again.
        #expect(try log.applyRetention(nowWallClockMs: 2_000_000).deleted.isEmpty)
        try log.appendBatches(1, valueBytes: 200, timestamp: 3_000_000, timestampStep: 0)
        #expect(log.logEndOffset == 11)
    }

    @Test("an active segment that is not yet expired stays")
    func youngActiveStays() throws {
        var (_, log) = try fourSegments { $0.retentionMs = 1_000 }
        // Segment 9's newest record is 1900: at 2_800 it is 900 ms old, under retention.ms.
        let result = try log.applyRetention(nowWallClockMs: 2_800)
        #expect(result.deleted.map(\.segment.baseOffset) == [0, 3])
        #expect(log.segments.map(\.baseOffset) == [6, 9])
    }

    @Test("retention.ms -1 keeps everything")
    func forever() throws {
        var (_, log) = try fourSegments { $0.retentionMs = -1 }
        #expect(try log.applyRetention(nowWallClockMs: .max).deleted.isEmpty)
    }

    @Test("retention.bytes deletes the oldest segments while the partition stays above it")
    func bySize() throws {
        let batch = TestBatches.batch(valueBytes: 200).readableBytes
        // 10 batches in all; a limit of 5 batches' bytes must drop 5: only whole segments,
        // so segment 0 (3 batches) goes, and segment 1 would leave 4 < 5, so it stays.
        var (_, log) = try fourSegments { $0.retentionBytes = Int64(5 * batch) }
        let result = try log.applyRetention(nowWallClockMs: 0)
        #expect(result.deleted.map(\.segment.baseOffset) == [0])
        #expect(result.deleted.first?.reason == .retentionBytes)
        #expect(result.deletedBytes == 3 * batch)
        #expect(log.sizeInBytes == 7 * batch && log.logStartOffset == 3)
        #expect(try log.applyRetention(nowWallClockMs: 0).deleted.isEmpty)
    }

    @Test("segments reaching the high watermark are kept until it passes them")
    func highWatermark() throws {
        var (_, log) = try fourSegments { $0.retentionMs = 0 }
        #expect(
            try log.applyRetention(nowWallClockMs: 1_000_000, highWatermark: 5).deleted.map(
                \.segment.baseOffset) == [0])
        #expect(
            try log.applyRetention(nowWallClockMs: 1_000_000, highWatermark: 6).deleted.map(
                \.segment.baseOffset) == [3])
    }

    @Test("DeleteRecords moves the log start offset and deletes the segments wholly below it")
    func deleteRecords() throws {
        var (fixture, log) = try fourSegments()
        #expect(try log.deleteRecords(before: 4) == 4)
        #expect(log.segments.map(\.baseOffset) == [3, 6, 9])
        #expect(!fixture.fs.exists(fixture.path("00000000000000000000.log")))
        #expect(try log.deleteRecords(before: 2) == 4)
        #expect(try log.deleteRecords(before: 10) == 10)
        #expect(log.segments.map(\.baseOffset) == [9])
        #expect(try log.read(from: 10, maxBytes: 100, upTo: .max).isEmpty)
        #expect(
            throws: StorageError.offsetOutOfRange(offset: 11, logStartOffset: 10, logEndOffset: 10)
        ) {
            try log.deleteRecords(before: 11)
        }
        let next = try log.appendBatches(1)
        #expect(next[0].firstOffset == 10)
    }

    @Test("segments below a checkpointed log start offset go at the next retention pass")
    func logStartReason() throws {
        var (fixture, log) = try fourSegments()
        try log.close()
        var reopened = try fixture.open(recoveryPoint: log.recoveryPoint, logStartOffset: 7).0
        #expect(reopened.logStartOffset == 7 && reopened.segments.count == 4)
        let result = try reopened.applyRetention(nowWallClockMs: 0)
        #expect(result.deleted.map(\.segment.baseOffset) == [0, 3])
        #expect(result.deleted.allSatisfy { $0.reason == .logStartOffset })
        #expect(reopened.logStartOffset == 7)
    }
}
