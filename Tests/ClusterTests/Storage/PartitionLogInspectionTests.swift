// Storage tests: what the REPL's `log segments` and `log dump` read, plus config changes and
// time-based flushes. Goal: the inspection views match what was appended.

import NIOCore
import Testing

@testable import Cluster

@Suite struct PartitionLogInspectionTests {
    @Test(
        "segments report base offset, files, size, first and largest timestamp, and which is active"
    )
    func segmentInfo() throws {
        var log = try LogFixture { $0.segmentBytes = 1_024 }.openNew()
        try log.appendBatches(4, valueBytes: 200, timestamp: 7_000, timestampStep: 5)
        let size = TestBatches.batch(valueBytes: 200).readableBytes
        let segments = log.segments
        #expect(segments.map(\.baseOffset) == [0, 3])
        #expect(segments.map(\.nextOffset) == [3, 4])
        #expect(
            segments.map(\.logFileName) == ["00000000000000000000.log", "00000000000000000003.log"])
        #expect(
            segments.map(\.indexFileName) == [
                "00000000000000000000.index", "00000000000000000003.index",
            ])
        #expect(
            segments.map(\.timeIndexFileName) == [
                "00000000000000000000.timeindex", "00000000000000000003.timeindex",
            ])
        #expect(segments.map(\.sizeInBytes) == [3 * size, size])
        #expect(segments.map(\.firstTimestamp) == [7_000, 7_015])
        #expect(segments.map(\.largestTimestamp) == [7_010, 7_015])
        #expect(segments.map(\.isActive) == [false, true])
    }

    @Test("a dump walks a segment's batches with their positions and stops at damage")
    func dump() throws {
        let fixture = LogFixture()
        var log = try fixture.openNew()
        try log.appendBatches(3, records: 2)
        let size = TestBatches.batch(records: 2).readableBytes
        var walk = try log.batches(inSegment: 0)
        let entries = Array(walk)
        #expect(entries.map(\.position) == [0, size, 2 * size])
        #expect(entries.map(\.header.baseOffset) == [0, 2, 4])
        while walk.next() != nil {}
        #expect(walk.stopReason == .endOfFile)

        var bytes = try #require(fixture.fs.contents(of: fixture.path("00000000000000000000.log")))
        bytes[size + 65] ^= 0x10
        fixture.fs.setContents(of: fixture.path("00000000000000000000.log"), to: bytes)
        var checked = try log.batches(inSegment: 0, verifyChecksums: true)
        #expect(checked.next()?.position == 0)
        #expect(checked.next() == nil)
        guard case .invalid(let position, let reason)? = checked.stopReason else {
            Issue.record("the walk did not stop at the damage")
            return
        }
        #expect(position == size && reason.hasPrefix("CRC mismatch"))
        #expect(throws: StorageError.self) { try log.batches(inSegment: 99) }
    }

    @Test("a dump's handle is closed once the walk is dropped")
    func dumpCloses() throws {
        let fixture = LogFixture()
        var log = try fixture.openNew()
        try log.appendBatches(2)
        var count = 0
        for _ in try log.batches(inSegment: 0) {
            count += 1
            #expect(fixture.fs.openFileCount == 4)
        }
        #expect(count == 2)
        #expect(fixture.fs.openFileCount == 3)
    }

    @Test("flush.ms fsyncs on the first append after that long without a flush")
    func flushMs() throws {
        let fixture = LogFixture { $0.flushMs = 1_000 }
        var log = try fixture.open(recoveryPoint: nil, wallClockMs: 10_000).0
        #expect(try !log.appendBatches(1, wallClockMs: 10_500)[0].flushed)
        #expect(try log.appendBatches(1, wallClockMs: 11_000)[0].flushed)
        #expect(log.recoveryPoint == 2)
        #expect(try !log.appendBatches(1, wallClockMs: 11_500)[0].flushed)
    }

    @Test("a new config applies to the next append: a smaller segment.bytes rolls at once")
    func updateConfig() throws {
        var log = try LogFixture().openNew()
        try log.appendBatches(3, valueBytes: 200)
        var smaller = log.config
        smaller.segmentBytes = 1_024
        log.updateConfig(smaller)
        #expect(try log.appendBatches(1, valueBytes: 200)[0].rolled)
        #expect(log.segments.map(\.baseOffset) == [0, 3])
    }

    @Test("close is idempotent and releases every file")
    func closeTwice() throws {
        let fixture = LogFixture()
        var log = try fixture.openNew()
        try log.appendBatches(1)
        try log.close()
        try log.close()
        #expect(fixture.fs.openFileCount == 0 && log.openFileCount == 0)
        #expect(throws: StorageError.logClosed(directory: fixture.directory)) {
            try log.appendBatches(1)
        }
        #expect(throws: StorageError.logClosed(directory: fixture.directory)) {
            try log.read(from: 0, maxBytes: 1, upTo: .max)
        }
    }
}
