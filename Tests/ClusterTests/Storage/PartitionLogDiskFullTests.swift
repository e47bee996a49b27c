// Storage tests: a full disk (ENOSPC). Goal: whichever byte of an append, a roll or a flush
// the disk fills at, the append fails with KAFKA_STORAGE_ERROR, every batch the log had stays
// readable at its offset, appends resume once space returns, and the files a clean restart
// trusts (indexes) are what recovery would rebuild from the log. Method: a MemoryFileSystem
// whose capacity is the bytes in use plus each spare count in turn, so the short write lands
// on every byte of a batch, an index block and a segment roll.

import NIOCore
import Testing

@testable import Cluster

@Suite struct PartitionLogDiskFullTests {
    static let batch = TestBatches.batch(records: 2)

    /// Small segments and an index entry per batch, so rolls and index writes come often.
    static func fixture() -> LogFixture {
        LogFixture {
            $0.segmentBytes = 3 * batch.readableBytes
            $0.indexIntervalBytes = 1
            $0.flushMessages = 4
        }
    }

    /// The index files of every segment, by name.
    static func indexFiles(_ fixture: LogFixture) throws -> [String: [UInt8]] {
        var files: [String: [UInt8]] = [:]
        for name in try fixture.fs.list(fixture.directory) where name.hasSuffix(".index") || name.hasSuffix(".timeindex") {
            files[name] = fixture.fs.contents(of: fixture.path(name))
        }
        return files
    }

    @Test("the capacity counts every file's bytes; an append past it writes what fits, then fails with ENOSPC")
    func memoryDiskFills() throws {
        let fs = MemoryFileSystem()
        try fs.makeDirectory("/d")
        let file = try fs.create("/d/a")
        try fs.append(file, ByteBuffer(bytes: [1, 2, 3]))
        fs.capacityBytes = 5
        #expect(throws: StorageError.io(operation: "write", path: "/d/a", errno: 28)) {
            try fs.append(file, ByteBuffer(bytes: [4, 5, 6]))
        }
        #expect(fs.contents(of: "/d/a") == [1, 2, 3, 4, 5])
        #expect(throws: StorageError.self) { try fs.truncate(file, to: 6) }
        try fs.truncate(file, to: 3)
        try fs.append(file, ByteBuffer(bytes: [9, 9]))
        fs.capacityBytes = nil
        try fs.append(file, ByteBuffer(bytes: [7]))
        #expect(fs.contents(of: "/d/a") == [1, 2, 3, 9, 9, 7])
        #expect(fs.usedBytes == 6)
    }

    @Test("a disk full at any byte: KAFKA_STORAGE_ERROR, no batch lost or moved, appends resume, indexes rebuild the same")
    func fullAtEveryByte() throws {
        let size = Self.batch.readableBytes
        for spare in 0...(3 * size + 64) {
            let fixture = Self.fixture()
            var log = try fixture.openNew()
            try log.appendBatches(4, records: 2)
            fixture.fs.capacityBytes = fixture.fs.usedBytes + spare
            var refused: StorageError?
            for _ in 0..<8 where refused == nil {
                do { _ = try log.append(Self.batch, leaderEpoch: 0, wallClockMs: 0) } catch { refused = error }
            }
            #expect(refused?.errorCode == .kafkaStorageError, "spare \(spare)")
            // A batch whose write went through before a flush failed may stay: it was never
            // acknowledged, and a producer's retry is what Kafka's idempotence deduplicates.
            let kept = try log.readAllHeaders().map(\.baseOffset)
            #expect(kept == Array(stride(from: 0, to: log.logEndOffset, by: 2)), "spare \(spare)")
            #expect(kept.count >= 4, "spare \(spare)")

            fixture.fs.capacityBytes = nil
            let resumed = try log.append(Self.batch, leaderEpoch: 0, wallClockMs: 0)
            #expect(resumed.firstOffset == Int64(2 * kept.count), "spare \(spare)")
            try log.close()
            let written = try Self.indexFiles(fixture)

            let (clean, report) = try fixture.open(recoveryPoint: log.recoveryPoint)
            #expect(report.wasClean && report.truncatedBytes == 0, "spare \(spare)")
            #expect(try clean.readAllHeaders().map(\.baseOffset) == kept + [resumed.firstOffset], "spare \(spare)")
            var reopened = clean
            try reopened.close()
            // Recovery from nothing rebuilds every index from the log: the files written
            // through the full disk must be those.
            let (rebuilt, _) = try fixture.open(recoveryPoint: nil)
            var closing = rebuilt
            try closing.close()
            #expect(try Self.indexFiles(fixture) == written, "spare \(spare)")
        }
    }
}
