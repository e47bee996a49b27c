// Storage tests: the leader-epoch cache as a partition log keeps it. Goal: the leader's append
// stamps and records its epoch, retention trims the cache, and opening a log fits the
// checkpoint to the data: trimmed when ahead, extended from recovered batches, rebuilt from
// the batch headers when missing, unreadable or disagreeing with the last batch.

import NIOCore
import Testing

@testable import Cluster

@Suite struct PartitionLogLeaderEpochTests {
    private static let checkpoint = "leader-epoch-checkpoint"

    private func entries(_ pairs: [(Int32, Int64)]) -> [EpochEntry] {
        pairs.map { EpochEntry(epoch: $0.0, startOffset: $0.1) }
    }

    private func checkpointText(_ fixture: LogFixture) -> String? {
        fixture.fs.contents(of: fixture.path(Self.checkpoint)).map {
            String(decoding: $0, as: UTF8.self)
        }
    }

    /// Two batches in epoch 5 (offsets 0-1 and 2-3), then two in epoch 7 (4-5 and 6-7).
    private func twoEpochs(_ fixture: LogFixture) throws -> PartitionLog {
        var log = try fixture.openNew()
        for epoch: Int32 in [5, 5, 7, 7] {
            _ = try log.append(TestBatches.batch(records: 2), leaderEpoch: epoch, wallClockMs: 0)
        }
        return log
    }

    @Test(
        "the leader's append stamps the epoch given and records each new one at its first offset"
    )
    func leaderAppend() throws {
        let fixture = LogFixture()
        var log = try twoEpochs(fixture)
        #expect(try log.readAllHeaders().map(\.partitionLeaderEpoch) == [5, 5, 7, 7])
        #expect(log.leaderEpochCache.entries == entries([(5, 0), (7, 4)]))
        #expect(log.latestEpoch == 7)
        #expect(checkpointText(fixture) == "0\n2\n5 0\n7 4\n")
        let info = try log.append(TestBatches.batch(), leaderEpoch: 7, wallClockMs: 0)
        #expect(info.lastLeaderEpoch == 7)
        #expect(log.leaderEpochCache.entries == entries([(5, 0), (7, 4)]))
    }

    @Test("endOffsetForEpoch answers OffsetForLeaderEpoch from the log: latest at the log end")
    func endOffsetForEpoch() throws {
        let fixture = LogFixture()
        let log = try twoEpochs(fixture)
        #expect(log.endOffsetForEpoch(5) == EpochEndOffset(leaderEpoch: 5, endOffset: 4))
        #expect(log.endOffsetForEpoch(6) == EpochEndOffset(leaderEpoch: 5, endOffset: 4))
        #expect(log.endOffsetForEpoch(7) == EpochEndOffset(leaderEpoch: 7, endOffset: 8))
        #expect(log.endOffsetForEpoch(4) == EpochEndOffset(leaderEpoch: 4, endOffset: 0))
        #expect(log.endOffsetForEpoch(8) == .undefined)
        #expect(log.endOffsetForEpoch(-1) == .undefined)
    }

    @Test(
        "a new leader records its epoch at its log end before writing, so the old epoch ends"
    )
    func becomeLeader() throws {
        let fixture = LogFixture()
        var log = try twoEpochs(fixture)
        try log.maybeAssignEpochStartOffset(leaderEpoch: 9, startOffset: log.logEndOffset)
        #expect(log.latestEpoch == 9)
        #expect(log.endOffsetForEpoch(7) == EpochEndOffset(leaderEpoch: 7, endOffset: 8))
        #expect(checkpointText(fixture) == "0\n3\n5 0\n7 4\n9 8\n")
        try log.maybeAssignEpochStartOffset(leaderEpoch: -1, startOffset: 8)
        #expect(log.leaderEpochCache.entries.count == 3)
    }

    @Test("DeleteRecords and retention move the first epoch's start up to the log start")
    func logStartMoves() throws {
        let fixture = LogFixture { $0.segmentBytes = 300 }
        var log = try twoEpochs(fixture)
        try log.deleteRecords(before: 3)
        #expect(log.leaderEpochCache.entries == entries([(5, 3), (7, 4)]))
        try log.deleteRecords(before: 5)
        #expect(log.leaderEpochCache.entries == entries([(7, 5)]))
        #expect(checkpointText(fixture) == "0\n1\n7 5\n")
    }

    @Test("a checkpoint ahead of the log after a crash is trimmed to the log end at open")
    func checkpointAhead() throws {
        let fixture = LogFixture()
        var log = try twoEpochs(fixture)
        try log.maybeAssignEpochStartOffset(leaderEpoch: 9, startOffset: 8)
        log.abandon()
        fixture.fs.setContents(
            of: fixture.path(Self.checkpoint), to: Array("0\n4\n5 0\n7 4\n9 8\n11 30\n".utf8))
        let (reopened, report) = try fixture.open(recoveryPoint: nil)
        #expect(reopened.leaderEpochCache.entries == entries([(5, 0), (7, 4)]))
        #expect(checkpointText(fixture) == "0\n2\n5 0\n7 4\n")
        #expect(!report.rebuiltLeaderEpochCache)
    }

    @Test("epochs of recovered batches the checkpoint lacks are added, as Kafka's recovery does")
    func recoveredBatchesAddEpochs() throws {
        let fixture = LogFixture()
        var log = try twoEpochs(fixture)
        log.abandon()
        fixture.fs.setContents(of: fixture.path(Self.checkpoint), to: Array("0\n1\n5 0\n".utf8))
        let (reopened, report) = try fixture.open(recoveryPoint: nil)
        #expect(reopened.leaderEpochCache.entries == entries([(5, 0), (7, 4)]))
        #expect(!report.rebuiltLeaderEpochCache && !report.wasClean)
    }

    @Test(
        "a missing, unreadable or behind checkpoint is rebuilt from the batch headers",
        arguments: [nil, "junk", "0\n1\n5 0\n", "0\n0\n", "0\n3\n5 0\n"])
    func rebuilt(stored: String?) throws {
        let fixture = LogFixture()
        var log = try twoEpochs(fixture)
        try log.close()
        let path = fixture.path(Self.checkpoint)
        if let stored {
            fixture.fs.setContents(of: path, to: Array(stored.utf8))
        } else {
            try fixture.fs.delete(path)
        }
        // A clean reopen trusts every segment, so only the check against the last batch (or
        // the missing file) can bring the epochs back.
        let (reopened, report) = try fixture.open(recoveryPoint: log.recoveryPoint)
        #expect(report.wasClean)
        #expect(report.rebuiltLeaderEpochCache)
        #expect(reopened.leaderEpochCache.entries == entries([(5, 0), (7, 4)]))
        #expect(checkpointText(fixture) == "0\n2\n5 0\n7 4\n")
    }

    @Test("a log start checkpoint older than a DeleteRecords brings records back, and their epoch")
    func staleLogStart() throws {
        let fixture = LogFixture()
        var log = try twoEpochs(fixture)
        try log.deleteRecords(before: 6)
        #expect(log.leaderEpochCache.entries == entries([(7, 6)]))
        log.abandon()
        // The node last checkpointed log start 0, before the DeleteRecords.
        let (reopened, report) = try fixture.open(recoveryPoint: nil, logStartOffset: 0)
        #expect(reopened.logStartOffset == 0)
        #expect(report.rebuiltLeaderEpochCache)
        #expect(reopened.leaderEpochCache.entries == entries([(5, 0), (7, 4)]))
    }

    @Test("a rebuild over a trusted segment with a damaged base offset skips that batch, no trap")
    func damagedTrustedSegment() throws {
        let fixture = LogFixture { $0.segmentBytes = 300 }
        var log = try twoEpochs(fixture)
        #expect(log.segments.count > 1)
        try log.close()
        let first = fixture.path("00000000000000000000.log")
        var bytes = try #require(fixture.fs.contents(of: first))
        for at in 0..<8 { bytes[at] = 0xFF }  // base offset -1
        fixture.fs.setContents(of: first, to: bytes)
        try fixture.fs.delete(fixture.path(Self.checkpoint))
        let (reopened, report) = try fixture.open(recoveryPoint: log.recoveryPoint)
        #expect(report.rebuiltLeaderEpochCache)
        #expect(reopened.leaderEpochCache.entries == entries([(5, 2), (7, 4)]))
    }

    @Test("a clean reopen takes the checkpoint as it is and writes nothing")
    func cleanReopen() throws {
        let fixture = LogFixture()
        var log = try twoEpochs(fixture)
        try log.close()
        let synced = fixture.fs.fsyncCount
        let (reopened, report) = try fixture.open(recoveryPoint: log.recoveryPoint)
        #expect(!report.rebuiltLeaderEpochCache)
        #expect(reopened.leaderEpochCache == log.leaderEpochCache)
        #expect(fixture.fs.fsyncCount == synced)
    }

    @Test("a log whose data all lies before the checkpointed log start starts empty with no epochs")
    func logStartPastData() throws {
        let fixture = LogFixture()
        var log = try twoEpochs(fixture)
        try log.close()
        let (reopened, _) = try fixture.open(recoveryPoint: 8, logStartOffset: 20)
        #expect(reopened.logStartOffset == 20 && reopened.logEndOffset == 20)
        #expect(reopened.leaderEpochCache.isEmpty)
        #expect(checkpointText(fixture) == "0\n0\n")
    }
}
