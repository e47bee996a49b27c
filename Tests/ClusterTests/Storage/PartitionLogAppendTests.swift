// Storage tests: appending to a partition log. Goal: offsets are assigned by stamping each
// batch in place, the bytes on disk are the bytes given, LogAppendTime is stamped with a
// fresh CRC, bad input and failed writes leave the log unchanged.

import NIOCore
import Testing

@testable import Cluster

@Suite struct PartitionLogAppendTests {
    @Test(
        "a new log has Kafka's files: segment 0, empty leader-epoch-checkpoint, partition.metadata"
    )
    func newLog() throws {
        let fixture = LogFixture()
        let (log, report) = try fixture.open(recoveryPoint: nil)
        #expect(log.logStartOffset == 0 && log.logEndOffset == 0)
        #expect(
            try fixture.fs.list(fixture.directory) == [
                "00000000000000000000.index", "00000000000000000000.log",
                "00000000000000000000.timeindex",
                "leader-epoch-checkpoint", "partition.metadata",
            ])
        let checkpoint = fixture.fs.contents(of: fixture.path("leader-epoch-checkpoint"))
        #expect(checkpoint == Array("0\n0\n".utf8))
        #expect(!report.rebuiltLeaderEpochCache)
        let metadata = fixture.fs.contents(of: fixture.path("partition.metadata")) ?? []
        #expect(
            String(decoding: metadata, as: UTF8.self)
                == "version: 0\ntopic_id: \(LogFixture.topicId)")
        #expect(report.wrotePartitionMetadata)
        #expect(log.segments.map(\.isActive) == [true])
    }

    @Test("appends get consecutive offsets, stamped into the stored batches with the leader epoch")
    func offsets() throws {
        let fixture = LogFixture()
        var log = try fixture.openNew()
        let inputs = (0..<3).map { TestBatches.batch(records: 2, timestamp: 1_000 + Int64($0)) }
        var infos: [AppendInfo] = []
        for input in inputs { infos.append(try log.append(input, leaderEpoch: 7, wallClockMs: 5)) }
        #expect(infos.map(\.firstOffset) == [0, 2, 4])
        #expect(infos.map(\.lastOffset) == [1, 3, 5])
        #expect(infos.allSatisfy { $0.logAppendTime == -1 && $0.recordCount == 2 && !$0.rolled })
        #expect(log.logEndOffset == 6)

        let stored = try #require(fixture.fs.contents(of: fixture.path("00000000000000000000.log")))
        var expected: [UInt8] = []
        for (n, var input) in inputs.enumerated() {
            RecordBatchView.stamp(&input, at: 0, baseOffset: Int64(2 * n), partitionLeaderEpoch: 7)
            expected += TestBatches.bytes(input)
        }
        #expect(stored == expected)
        guard case .success(let batches) = RecordBatchView.batches(in: ByteBuffer(bytes: stored))
        else {
            Issue.record("stored batches do not validate")
            return
        }
        #expect(batches.map(\.header.baseOffset) == [0, 2, 4])
        #expect(batches.allSatisfy { $0.header.partitionLeaderEpoch == 7 })
    }

    @Test("several batches in one append are stamped one after another")
    func multiBatch() throws {
        var log = try LogFixture().openNew()
        let input = TestBatches.concat([
            TestBatches.batch(records: 3), TestBatches.batch(records: 1),
            TestBatches.batch(records: 2),
        ])
        let info = try log.append(input, leaderEpoch: 0, wallClockMs: 0)
        #expect(
            info.firstOffset == 0 && info.lastOffset == 5 && info.batchCount == 3
                && info.recordCount == 6)
        #expect(try log.readAllHeaders().map(\.baseOffset) == [0, 3, 4])
    }

    @Test("many batches in one append (stamped in a copy) are stored as a few at a time are")
    func manyBatchesMatchGatheredAppends() throws {
        let count = Limits.gatheredAppendBatchesMax + 3
        let batches = (0..<count).map { TestBatches.batch(records: 1 + $0 % 3, valueBytes: $0) }
        let together = LogFixture()
        var one = try together.openNew()
        let input = TestBatches.concat(batches)
        let untouched = TestBatches.bytes(input)
        _ = try one.append(input, leaderEpoch: 7, wallClockMs: 0)
        #expect(TestBatches.bytes(input) == untouched, "the caller's bytes are not stamped")
        let apart = LogFixture()
        var few = try apart.openNew()
        for chunk in stride(from: 0, to: count, by: 4) {
            let part = TestBatches.concat(Array(batches[chunk..<min(chunk + 4, count)]))
            _ = try few.append(part, leaderEpoch: 7, wallClockMs: 0)
        }
        let name = "00000000000000000000.log"
        let stored = together.fs.contents(of: together.path(name))
        #expect(stored != nil && stored == apart.fs.contents(of: apart.path(name)))
        #expect(try few.readAllHeaders().map(\.partitionLeaderEpoch).allSatisfy { $0 == 7 })
        #expect(few.logEndOffset == one.logEndOffset)
    }

    @Test("under LogAppendTime the broker's clock is stamped and the CRC still holds")
    func logAppendTime() throws {
        let fixture = LogFixture { $0.messageTimestampType = .logAppendTime }
        var log = try fixture.openNew()
        let info = try log.append(
            TestBatches.batch(records: 2, timestamp: 5), leaderEpoch: 1,
            wallClockMs: 1_700_000_000_000)
        #expect(info.logAppendTime == 1_700_000_000_000)
        #expect(info.maxTimestamp == 1_700_000_000_000)
        let data = try log.read(from: 0, maxBytes: 1 << 20, upTo: .max)
        guard case .success(let batches) = RecordBatchView.batches(in: data.records) else {
            Issue.record("the stamped batch does not validate")
            return
        }
        #expect(batches[0].header.timestampType == .logAppendTime)
        #expect(batches[0].header.maxTimestamp == 1_700_000_000_000)
    }

    @Test("bytes that are not valid batches are refused and change nothing")
    func invalidInput() throws {
        let fixture = LogFixture { $0.maxMessageBytes = 200 }
        var log = try fixture.openNew()
        try log.appendBatches(1)
        var corrupt = TestBatches.batch()
        corrupt.setInteger(UInt8(0xFF), at: 70)
        #expect(throws: StorageError.self) {
            try log.append(corrupt, leaderEpoch: 0, wallClockMs: 0)
        }
        #expect(throws: StorageError.self) {
            try log.append(ByteBuffer(bytes: [1, 2, 3]), leaderEpoch: 0, wallClockMs: 0)
        }
        do {
            _ = try log.append(
                TestBatches.batch(records: 5, valueBytes: 50), leaderEpoch: 0, wallClockMs: 0)
            Issue.record("a batch over max.message.bytes was accepted")
        } catch {
            #expect(error.errorCode == .messageTooLarge)
        }
        #expect(log.logEndOffset == 1)
        #expect(log.segments[0].sizeInBytes == TestBatches.batch().readableBytes)
        let empty = try log.append(ByteBuffer(), leaderEpoch: 0, wallClockMs: 0)
        #expect(empty.batchCount == 0 && empty.firstOffset == 1 && log.logEndOffset == 1)
    }

    @Test("an uncompressed batch claiming 2^31 records is refused, not trapped on")
    func overflowingCount() throws {
        var log = try LogFixture().openNew()
        let forged = TestBatches.batch(lastOffsetDelta: Int32.max)
        do {
            _ = try log.append(forged, leaderEpoch: 0, wallClockMs: 0)
            Issue.record("a forged batch was appended")
        } catch {
            #expect(error.errorCode == .invalidRecord)
        }
        #expect(log.logEndOffset == 0)
    }

    @Test("a failed write leaves the log as it was, and the next append carries on")
    func failedWrite() throws {
        let fixture = LogFixture()
        var log = try fixture.openNew()
        try log.appendBatches(2)
        fixture.fs.failWrites = true
        #expect(throws: StorageError.self) { try log.appendBatches(1) }
        fixture.fs.failWrites = false
        #expect(log.logEndOffset == 2)
        let info = try log.appendBatches(1)
        #expect(info[0].firstOffset == 2)
        #expect(try log.readAllHeaders().map(\.baseOffset) == [0, 1, 2])
    }

    @Test("an offset-index entry is added each time more than index.interval.bytes were appended")
    func indexSpacing() throws {
        let fixture = LogFixture { $0.indexIntervalBytes = 200 }
        var log = try fixture.openNew()
        let size = TestBatches.batch(valueBytes: 30).readableBytes
        #expect(size == 98)
        try log.appendBatches(10, valueBytes: 30)
        // An entry goes to each batch that starts more than 200 bytes after the last entry's
        // batch: batches 3, 6 and 9 (the first batch starts the count at position 0).
        var expected = ByteBuffer()
        for n in [3, 6, 9] {
            expected.writeInteger(Int32(n), endianness: .big)
            expected.writeInteger(Int32(n * size), endianness: .big)
        }
        #expect(log.active.offsetIndex.encoded() == expected)
        #expect(log.active.offsetIndex.lookup(7) == .init(offset: 6, position: 6 * size))
        try log.flush()
        #expect(
            fixture.fs.contents(of: fixture.path("00000000000000000000.index"))
                == TestBatches.bytes(expected))
    }

    @Test("index entries reach their files a block at a time, and always before an fsync")
    func indexEntriesWrittenInBlocks() throws {
        let fixture = LogFixture { $0.indexIntervalBytes = 0 }
        let indexPath = fixture.path("00000000000000000000.index")
        let timeIndexPath = fixture.path("00000000000000000000.timeindex")
        var log = try fixture.openNew()
        // Every batch after the first gets an entry (more than 0 bytes since the last one).
        let block = Limits.unwrittenIndexEntriesMax
        try log.appendBatches(block, timestampStep: 1)
        #expect(log.active.offsetIndex.count == block - 1)
        #expect(fixture.fs.contents(of: indexPath)?.count == 0)
        try log.appendBatches(1, timestamp: 5_000)
        #expect(fixture.fs.contents(of: indexPath)?.count == block * OffsetIndex.entrySize)
        #expect(fixture.fs.contents(of: timeIndexPath)?.count == block * TimeIndex.entrySize)
        try log.appendBatches(3, timestamp: 6_000, timestampStep: 1)
        #expect(fixture.fs.contents(of: indexPath)?.count == block * OffsetIndex.entrySize)
        try log.flush()
        #expect(
            fixture.fs.contents(of: indexPath).map { ByteBuffer(bytes: $0) }
                == log.active.offsetIndex.encoded())
        #expect(
            fixture.fs.contents(of: timeIndexPath).map { ByteBuffer(bytes: $0) }
                == log.active.timeIndex.encoded())
    }

    @Test("a write that fails while index entries wait leaves memory and files consistent")
    func failedWriteWithUnwrittenIndexEntries() throws {
        let fixture = LogFixture { $0.indexIntervalBytes = 0 }
        var log = try fixture.openNew()
        try log.appendBatches(Limits.unwrittenIndexEntriesMax - 1, timestampStep: 1)
        let entries = log.active.offsetIndex
        fixture.fs.failWrites = true
        #expect(throws: StorageError.self) { try log.appendBatches(1, timestamp: 9_000) }
        fixture.fs.failWrites = false
        #expect(log.active.offsetIndex == entries)
        try log.close()
        let (reopened, report) = try fixture.open(recoveryPoint: log.recoveryPoint)
        #expect(report.wasClean)
        #expect(reopened.active.offsetIndex == entries)
        #expect(reopened.logEndOffset == Int64(Limits.unwrittenIndexEntriesMax - 1))
    }

    @Test("flush.messages fsyncs once that many records are unflushed and moves the recovery point")
    func flushMessages() throws {
        let fixture = LogFixture { $0.flushMessages = 3 }
        var log = try fixture.openNew()
        // The leader's epoch is recorded (and its checkpoint fsynced) on becoming leader, as
        // Kafka's Partition.makeLeader does, so the appends below only fsync to flush.
        try log.maybeAssignEpochStartOffset(leaderEpoch: 0, startOffset: 0)
        let synced = fixture.fs.fsyncCount
        let infos = try log.appendBatches(4)
        #expect(infos.map(\.flushed) == [false, false, true, false])
        #expect(log.recoveryPoint == 3)
        #expect(fixture.fs.fsyncCount == synced + 3)
        try log.flush()
        #expect(log.recoveryPoint == 4)
    }
}
