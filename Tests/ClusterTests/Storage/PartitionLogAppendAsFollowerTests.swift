// Storage tests: a follower's append. Goal: the leader's batches land byte for byte (offsets,
// leader epochs, timestamps, producer fields kept), the epoch cache follows them, batches that
// do not continue the log or fail their checks are refused with nothing written, and segments
// roll and indexes grow as on the leader.

import NIOCore
import Testing

@testable import Cluster

@Suite struct PartitionLogAppendAsFollowerTests {
    private static let logFile = "00000000000000000000.log"

    /// A leader log under LogAppendTime (so a follower that restamped would differ): three
    /// batches in epoch 3 and 4, two of them from idempotent producer 42.
    private func leaderLog() throws -> (LogFixture, PartitionLog) {
        let fixture = LogFixture { $0.messageTimestampType = .logAppendTime }
        var log = try fixture.openNew()
        let batches: [(ByteBuffer, Int32)] = [
            (TestBatches.batch(records: 2, timestamp: 10, producer: (42, 1, 0)), 3),
            (TestBatches.batch(records: 1, timestamp: 20), 3),
            (TestBatches.batch(records: 3, timestamp: 30, producer: (42, 1, 2)), 4),
        ]
        for (batch, epoch) in batches {
            _ = try log.append(batch, leaderEpoch: epoch, wallClockMs: 7_000)
        }
        return (fixture, log)
    }

    @Test("the leader's batches are stored byte for byte: offsets, epochs, timestamps, producers")
    func keepsEverything() throws {
        let (leaderFixture, leader) = try leaderLog()
        let fixture = LogFixture()
        var follower = try fixture.openNew()
        let info = try follower.appendAsFollower(try leader.storedBytes(from: 0), wallClockMs: 99)

        #expect(
            fixture.fs.contents(of: fixture.path(Self.logFile))
                == leaderFixture.fs.contents(of: leaderFixture.path(Self.logFile)))
        let headers = try follower.readAllHeaders()
        #expect(headers.map(\.baseOffset) == [0, 2, 3])
        #expect(headers.map(\.partitionLeaderEpoch) == [3, 3, 4])
        #expect(
            headers.allSatisfy { $0.maxTimestamp == 7_000 && $0.timestampType == .logAppendTime })
        #expect(headers.map(\.producerId) == [42, -1, 42])
        #expect(info.firstOffset == 0 && info.lastOffset == 5)
        #expect(info.batchCount == 3 && info.recordCount == 6)
        #expect(info.maxTimestamp == 7_000 && info.logAppendTime == -1)
        #expect(info.lastLeaderEpoch == 4)
        #expect(info.producerBatches.map(\.baseSequence) == [0, 2])
        #expect(info.producerBatches.map(\.baseOffset) == [0, 3])
        #expect(follower.logEndOffset == 6)
        #expect(
            follower.leaderEpochCache.entries == [
                EpochEntry(epoch: 3, startOffset: 0), EpochEntry(epoch: 4, startOffset: 3),
            ])
        #expect(
            fixture.fs.contents(of: fixture.path("leader-epoch-checkpoint"))
                == Array("0\n2\n3 0\n4 3\n".utf8))
        #expect(follower.endOffsetForEpoch(3) == EpochEndOffset(leaderEpoch: 3, endOffset: 3))
        follower.abandon()
        let (reopened, _) = try fixture.open(recoveryPoint: nil)
        #expect(try reopened.readAllHeaders() == headers)
        #expect(reopened.leaderEpochCache == follower.leaderEpochCache)
    }

    @Test("fetching a batch at a time from the log end gives the same log")
    func batchAtATime() throws {
        let (leaderFixture, leader) = try leaderLog()
        let fixture = LogFixture()
        var follower = try fixture.openNew()
        while follower.logEndOffset < leader.logEndOffset {
            let data = try leader.read(from: follower.logEndOffset, maxBytes: 1, upTo: .max)
            _ = try follower.appendAsFollower(data.records, wallClockMs: 0)
        }
        #expect(
            fixture.fs.contents(of: fixture.path(Self.logFile))
                == leaderFixture.fs.contents(of: leaderFixture.path(Self.logFile)))
        #expect(follower.leaderEpochCache == leader.leaderEpochCache)
    }

    /// A follower holding offsets 0-2 of a leader with ten single-record batches.
    private func followerBehind() throws -> (LogFixture, PartitionLog, PartitionLog) {
        let leaderFixture = LogFixture()
        var leader = try leaderFixture.openNew()
        try leader.appendBatches(10)
        let fixture = LogFixture()
        var follower = try fixture.openNew()
        _ = try follower.appendAsFollower(
            try leader.read(from: 0, maxBytes: 1 << 20, upTo: 3).records, wallClockMs: 0)
        return (fixture, follower, leader)
    }

    @Test(
        "batches not starting at the log end, or with a hole, are refused with the offset expected"
    )
    func notContiguous() throws {
        let (fixture, behind, leader) = try followerBehind()
        var follower = behind
        #expect(follower.logEndOffset == 3)
        let before = fixture.fs.contents(of: fixture.path(Self.logFile))
        let cache = follower.leaderEpochCache
        let batch = { (offset: Int64) in
            try leader.read(from: offset, maxBytes: 1, upTo: .max).records
        }
        let cases: [(ByteBuffer, StorageError)] = [
            (try batch(5), .unexpectedAppendOffset(expected: 3, found: 5)),
            (try batch(1), .unexpectedAppendOffset(expected: 3, found: 1)),
            (
                TestBatches.concat([try batch(3), try batch(5)]),
                .unexpectedAppendOffset(expected: 4, found: 5)
            ),
        ]
        for (records, expected) in cases {
            #expect(throws: expected) { try follower.appendAsFollower(records, wallClockMs: 0) }
            #expect(follower.logEndOffset == 3)
            #expect(fixture.fs.contents(of: fixture.path(Self.logFile)) == before)
            #expect(follower.leaderEpochCache == cache)
        }
        #expect(
            StorageError.unexpectedAppendOffset(expected: 3, found: 5).errorCode
                == .unknownServerError)
        let info = try follower.appendAsFollower(try batch(3), wallClockMs: 0)
        #expect(info.firstOffset == 3 && follower.logEndOffset == 4)
    }

    @Test("a batch with a bad CRC or an old magic is refused and nothing is written")
    func invalidBatches() throws {
        let (fixture, behind, leader) = try followerBehind()
        var follower = behind
        let before = fixture.fs.contents(of: fixture.path(Self.logFile))
        let good = try leader.read(from: 3, maxBytes: 1, upTo: .max).records
        var flipped = good
        let last = flipped.readerIndex + flipped.readableBytes - 1
        let lastByte = try #require(flipped.getInteger(at: last, as: UInt8.self))
        flipped.setInteger(lastByte ^ 0x01, at: last)
        var oldMagic = good
        oldMagic.setInteger(Int8(1), at: oldMagic.readerIndex + 16)
        for records in [flipped, oldMagic, TestBatches.concat([good, flipped])] {
            do {
                _ = try follower.appendAsFollower(records, wallClockMs: 0)
                Issue.record("appended an invalid batch")
            } catch {
                guard case .invalidRecords = error else {
                    Issue.record("expected invalidRecords, got \(error)")
                    continue
                }
            }
        }
        #expect(follower.logEndOffset == 3)
        #expect(fixture.fs.contents(of: fixture.path(Self.logFile)) == before)
        let magic = Result { () throws(StorageError) in
            try follower.appendAsFollower(oldMagic, wallClockMs: 0)
        }
        #expect(magic.errorValue == .invalidRecords(.badMagic(1)))
    }

    @Test(
        "segments roll by the follower's segment.bytes; a batch larger than it gets its own segment"
    )
    func rolls() throws {
        let leaderFixture = LogFixture()
        var leader = try leaderFixture.openNew()
        try leader.appendBatches(7, valueBytes: 200)  // 268 bytes each: three fit in 1024
        _ = try leader.append(TestBatches.batch(valueBytes: 1_400), leaderEpoch: 0, wallClockMs: 0)
        try leader.appendBatches(2, valueBytes: 200)
        let fixture = LogFixture {
            $0.segmentBytes = 1_024
            $0.indexIntervalBytes = 100
        }
        var follower = try fixture.openNew()
        let info = try follower.appendAsFollower(try leader.storedBytes(from: 0), wallClockMs: 0)
        #expect(info.rolled && info.batchCount == 10)
        #expect(follower.segments.map(\.baseOffset) == [0, 3, 6, 7, 8])
        #expect(follower.segments.map(\.nextOffset) == [3, 6, 7, 8, 10])
        #expect(try follower.readAllHeaders() == (try leader.readAllHeaders()))
        for offset in 0..<follower.logEndOffset {
            let data = try follower.read(from: offset, maxBytes: 1, upTo: .max)
            let header = try #require(RecordBatchHeader(data.records, at: data.records.readerIndex))
            #expect(header.baseOffset == offset)
        }
        // The indexes are those a full recovery rebuilds from the same bytes.
        let index = follower.active.offsetIndex
        let segments = follower.segments
        follower.abandon()
        let (reopened, _) = try fixture.open(recoveryPoint: nil)
        #expect(reopened.active.offsetIndex == index)
        #expect(reopened.segments == segments)
    }

    @Test("an empty fetch appends nothing")
    func empty() throws {
        var follower = try followerBehind().1
        let info = try follower.appendAsFollower(ByteBuffer(), wallClockMs: 0)
        #expect(info.batchCount == 0 && info.firstOffset == 3 && info.lastOffset == 2)
        #expect(follower.logEndOffset == 3)
    }
}

extension Result {
    fileprivate var errorValue: Failure? {
        if case .failure(let error) = self { return error }
        return nil
    }
}
