// Broker tests: the node-level checkpoints a broker writes on a clean shutdown and reads at
// start-up. Goal: high watermarks go through Kafka's replication-offset-checkpoint and come back
// clamped into each log. Method: two broker lifetimes on one MemoryFileSystem.

import Testing

@testable import Cluster

@Suite struct BrokerCheckpointTests {
    static let directory = "/data/node-1"
    static let tp = TopicPartition(topic: "orders", partition: 0)

    private func broker(_ fs: MemoryFileSystem) -> Broker {
        var broker = Broker(
            identity: BrokerIdentity(
                nodeID: NodeID(1), clusterID: "c", host: "127.0.0.1", port: 9092),
            logDirectory: Self.directory, fs: fs)
        broker.loadCheckpoints()
        broker.apply(image: BrokerImageTests.images().newer, now: .zero, wallClockMs: 0)
        return broker
    }

    @Test("a clean shutdown checkpoints each high watermark and a restart loads it into the log")
    func highWatermarkRoundTrip() throws {
        let fs = MemoryFileSystem()
        var first = broker(fs)
        var log = try #require(first.logs[Self.tp])
        for _ in 0..<3 { _ = try log.append(TestBatches.batch(), leaderEpoch: 0, wallClockMs: 0) }
        first.logs[Self.tp] = log
        // The sole replica's appends are committed at once (its ISR is itself).
        first.leaderAppended(Self.tp)
        #expect(first.logs[Self.tp]?.highWatermark == 3)
        first.shutdownCleanly()
        let path = Self.directory + "/" + Checkpoints.replicationOffsetFileName
        #expect(fs.contents(of: path) == Array("0\n1\norders 0 3\n".utf8))

        let second = broker(fs)
        #expect(second.logs[Self.tp]?.highWatermark == 3)
        #expect(second.logs[Self.tp]?.logEndOffset == 3)
    }

    @Test("a checkpointed high watermark past the log end is clamped to it")
    func clamped() throws {
        let fs = MemoryFileSystem()
        var first = broker(fs)
        var log = try #require(first.logs[Self.tp])
        _ = try log.append(TestBatches.batch(records: 2), leaderEpoch: 0, wallClockMs: 0)
        first.logs[Self.tp] = log
        first.shutdownCleanly()
        fs.setContents(
            of: Self.directory + "/" + Checkpoints.replicationOffsetFileName,
            to: Array("0\n1\norders 0 99\n".utf8))
        #expect(broker(fs).logs[Self.tp]?.highWatermark == 2)
    }
}
