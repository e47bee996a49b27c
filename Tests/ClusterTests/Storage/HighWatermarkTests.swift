// Storage tests: the high watermark a partition log keeps. Goal: it always lies in
// [log start, log end]: clamped when loaded from replication-offset-checkpoint, when set,
// after a truncation and after DeleteRecords; it advances only forward when asked to.

import NIOCore
import Testing

@testable import Cluster

@Suite struct HighWatermarkTests {
    @Test(
        "the checkpointed high watermark is clamped into the log when it opens",
        arguments: [(Int64?.none, Int64(2)), (0, 2), (5, 5), (10, 10), (11, 10), (-7, 2)])
    func clampedOnOpen(checkpointed: Int64?, expected: Int64) throws {
        let fixture = LogFixture()
        var log = try fixture.openNew()
        try log.appendBatches(10)
        try log.deleteRecords(before: 2)
        try log.close()
        let (reopened, report) = try PartitionLog.open(
            directory: fixture.directory, topicId: LogFixture.topicId, config: fixture.config,
            fs: fixture.fs, recoveryPoint: 10, logStartOffset: 2, highWatermark: checkpointed,
            now: .zero, wallClockMs: 0)
        #expect(reopened.highWatermark == expected)
        #expect(report.highWatermark == expected)
    }

    @Test("updateHighWatermark clamps; maybeIncrementHighWatermark only moves forward")
    func setAndAdvance() throws {
        let fixture = LogFixture()
        var log = try fixture.openNew()
        try log.appendBatches(6)
        #expect(log.highWatermark == 0)
        #expect(log.updateHighWatermark(4) == 4)
        #expect(log.updateHighWatermark(99) == 6)
        #expect(log.updateHighWatermark(2) == 2)
        let forward = log.maybeIncrementHighWatermark(5)
        #expect(forward && log.highWatermark == 5)
        let backward = log.maybeIncrementHighWatermark(3)
        #expect(!backward && log.highWatermark == 5)
        let pastEnd = log.maybeIncrementHighWatermark(40)
        #expect(pastEnd && log.highWatermark == 6)
        let again = log.maybeIncrementHighWatermark(40)
        #expect(!again && log.highWatermark == 6)
    }

    @Test("a truncation below the high watermark brings it down; DeleteRecords past it lifts it")
    func followsTheLog() throws {
        let fixture = LogFixture()
        var log = try fixture.openNew()
        try log.appendBatches(8)
        log.updateHighWatermark(7)
        try log.truncate(to: 5)
        #expect(log.highWatermark == 5)
        log.updateHighWatermark(1)
        try log.deleteRecords(before: 3)
        #expect(log.highWatermark == 3)
    }

    @Test("the high watermark survives a restart through replication-offset-checkpoint")
    func checkpointRoundTrip() throws {
        let fixture = LogFixture()
        var log = try fixture.openNew()
        try log.appendBatches(9)
        log.updateHighWatermark(7)
        let tp = TopicPartition(topic: "orders", partition: 0)
        let path = "/data/node-1/" + Checkpoints.replicationOffsetFileName
        try Checkpoints.write([tp: log.highWatermark], to: path, fs: fixture.fs)
        try log.close()
        #expect(
            fixture.fs.contents(of: path) == Array("0\n1\norders 0 7\n".utf8))
        let stored = try Checkpoints.read(path, fs: fixture.fs)
        let (reopened, _) = try PartitionLog.open(
            directory: fixture.directory, topicId: LogFixture.topicId, config: fixture.config,
            fs: fixture.fs, recoveryPoint: log.recoveryPoint, highWatermark: stored[tp],
            now: .zero, wallClockMs: 0)
        #expect(reopened.highWatermark == 7)
    }
}
