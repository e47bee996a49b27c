// Storage tests: the two FileSystem implementations. Goal: POSIX and in-memory behave the
// same for every operation the log uses, and the in-memory disk crashes as documented.

import Foundation
import NIOCore
import Testing

@testable import Cluster

@Suite struct FileSystemTests {
    /// A fresh directory under the system's temporary directory, removed afterwards.
    private static func withTemporaryDirectory(_ body: (String) throws -> Void) throws {
        let path = FileManager.default.temporaryDirectory
            .appendingPathComponent("swiftka-storage-\(UInt64.random(in: 0...UInt64.max))").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try body(path)
    }

    /// The operations the log relies on, checked against any file system rooted at `root`.
    private func exercise(_ fs: any FileSystem, root: String) throws {
        let dir = root + "/node-1/orders-0"
        try fs.makeDirectory(dir)
        try fs.makeDirectory(dir)  // twice is fine
        let file = try fs.create(dir + "/a.log")
        try fs.append(file, ByteBuffer(string: "hello "))
        try fs.append(file, ByteBuffer(string: "kafka"))
        #expect(try fs.size(file) == 11)
        #expect(try String(buffer: fs.pread(file, at: 6, count: 5)) == "kafka")
        #expect(try fs.pread(file, at: 8, count: 100).readableBytes == 3)
        #expect(try fs.pread(file, at: 50, count: 10).readableBytes == 0)
        try fs.truncate(file, to: 5)
        try fs.append(file, ByteBuffer(string: "!"))
        #expect(try String(buffer: fs.pread(file, at: 0, count: 100)) == "hello!")
        // A gathered write: parts in order, empty ones and slices included.
        let whole = ByteBuffer(string: "--records--")
        let parts = [
            ByteBuffer(string: " a"), ByteBuffer(),
            whole.getSlice(at: 2, length: 7) ?? ByteBuffer(),
            ByteBuffer(string: "!"),
        ]
        try fs.append(file, gathering: parts)
        try fs.append(file, gathering: [ByteBuffer(string: "?")])
        #expect(try String(buffer: fs.pread(file, at: 0, count: 100)) == "hello! arecords!?")
        try fs.truncate(file, to: 6)
        try fs.fsync(file)
        fs.close(file)

        #expect(throws: StorageError.notFound(path: dir + "/missing")) {
            try fs.open(dir + "/missing")
        }
        try fs.writeAtomically(dir + "/cp", ByteBuffer(string: "0\n0\n"))
        #expect(try String(buffer: fs.readWholeFile(dir + "/cp", limit: 100)) == "0\n0\n")
        #expect(throws: StorageError.self) { try fs.readWholeFile(dir + "/cp", limit: 2) }
        try fs.rename(dir + "/a.log", to: dir + "/b.log")
        #expect(!fs.exists(dir + "/a.log") && fs.exists(dir + "/b.log"))
        #expect(try fs.list(dir) == ["b.log", "cp"])
        #expect(try fs.list(root + "/node-1") == ["orders-0"])
        try fs.delete(dir + "/b.log")
        try fs.delete(dir + "/b.log")  // a missing file is not an error
        #expect(try fs.list(dir) == ["cp"])
        try fs.fsyncDirectory(dir)
        let again = try fs.create(dir + "/cp")
        #expect(try fs.size(again) == 0)
        fs.close(again)
    }

    @Test("the POSIX file system does what the log needs")
    func posix() throws {
        try Self.withTemporaryDirectory { root in try exercise(PosixFileSystem(), root: root) }
    }

    @Test("the in-memory file system does the same")
    func memory() throws {
        let fs = MemoryFileSystem()
        try exercise(fs, root: "/tmp/test")
        #expect(fs.openFileCount == 0)
    }

    @Test("a partition log on real files leaves Kafka's layout and reopens cleanly")
    func logOnDisk() throws {
        try Self.withTemporaryDirectory { root in
            let fs = PosixFileSystem()
            let dir = root + "/node-1/orders-0"
            var config = LogConfig()
            config.segmentBytes = 1_024
            var (log, _) = try PartitionLog.open(
                directory: dir, topicId: LogFixture.topicId, config: config, fs: fs,
                recoveryPoint: nil,
                now: .zero, wallClockMs: 0)
            try log.appendBatches(4, valueBytes: 200)
            try log.close()
            #expect(
                try fs.list(dir) == [
                    "00000000000000000000.index", "00000000000000000000.log",
                    "00000000000000000000.timeindex",
                    "00000000000000000003.index", "00000000000000000003.log",
                    "00000000000000000003.timeindex",
                    "leader-epoch-checkpoint", "partition.metadata",
                ])
            #expect(
                try String(buffer: fs.readWholeFile(dir + "/leader-epoch-checkpoint", limit: 64))
                    == "0\n1\n0 0\n")
            let (reopened, report) = try PartitionLog.open(
                directory: dir, topicId: LogFixture.topicId, config: config, fs: fs,
                recoveryPoint: log.recoveryPoint,
                now: .zero, wallClockMs: 0)
            #expect(report.wasClean && reopened.logEndOffset == 4)
            #expect(try reopened.readAllHeaders().map(\.baseOffset) == [0, 1, 2, 3])
        }
    }

    @Test("a crash keeps written bytes, or only fsynced ones, or tears the last write")
    func crashes() throws {
        func prepare() throws -> MemoryFileSystem {
            let fs = MemoryFileSystem()
            try fs.makeDirectory("/d")
            let file = try fs.create("/d/f")
            try fs.append(file, ByteBuffer(string: "durable"))
            try fs.fsync(file)
            try fs.append(file, ByteBuffer(string: "+one"))
            try fs.append(file, ByteBuffer(string: "+two"))
            return fs
        }
        let kill = try prepare()
        kill.crash(.keepWrittenBytes)
        #expect(kill.contents(of: "/d/f") == Array("durable+one+two".utf8))
        #expect(kill.openFileCount == 0)
        let power = try prepare()
        power.crash(.loseUnsyncedBytes)
        #expect(power.contents(of: "/d/f") == Array("durable".utf8))
        let torn = try prepare()
        torn.crash(.tearLastWrite(keepingBytes: 2))
        #expect(torn.contents(of: "/d/f") == Array("durable+one+t".utf8))
    }

    @Test("a handle follows its file through a rename, and a failed disk refuses writes")
    func handlesAndFailures() throws {
        let fs = MemoryFileSystem()
        try fs.makeDirectory("/d")
        let file = try fs.create("/d/x.tmp")
        try fs.rename("/d/x.tmp", to: "/d/x")
        try fs.append(file, ByteBuffer(string: "ok"))
        #expect(fs.contents(of: "/d/x") == Array("ok".utf8))
        fs.failWrites = true
        #expect(throws: StorageError.io(operation: "write", path: "/d/x.tmp", errno: 5)) {
            try fs.append(file, ByteBuffer(string: "no"))
        }
        #expect(throws: StorageError.self) { try fs.create("/d/y") }
        fs.failWrites = false
        fs.close(file)
        #expect(throws: StorageError.self) { try fs.append(file, ByteBuffer(string: "closed")) }
        #expect(throws: StorageError.notFound(path: "/nowhere")) { try fs.create("/nowhere/z") }
    }
}
