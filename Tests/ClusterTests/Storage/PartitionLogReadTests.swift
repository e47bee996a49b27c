// Storage tests: fetches from a partition log. Goal: Kafka's read rules: whole batches up to
// max bytes, the first batch whole even when larger, nothing at or past the high watermark,
// OFFSET_OUT_OF_RANGE outside the log, every offset found through the index.

import NIOCore
import Testing

@testable import Cluster

@Suite struct PartitionLogReadTests {
    /// Ten batches of three records (offsets 0...29) in one segment.
    private func tenBatches(_ configure: (inout LogConfig) -> Void = { _ in }) throws -> (
        LogFixture, PartitionLog
    ) {
        let fixture = LogFixture(configure)
        var log = try fixture.openNew()
        try log.appendBatches(10, records: 3)
        return (fixture, log)
    }

    private let batchSize = TestBatches.batch(records: 3).readableBytes

    private func baseOffsets(_ data: FetchData) -> [Int64] {
        guard case .success(let batches) = RecordBatchView.batches(in: data.records) else {
            return [-1]
        }
        return batches.map(\.header.baseOffset)
    }

    @Test("a large enough fetch returns every batch from the one holding the offset")
    func everything() throws {
        let (_, log) = try tenBatches()
        let data = try log.read(from: 0, maxBytes: 1 << 20, upTo: .max)
        #expect(baseOffsets(data) == [0, 3, 6, 9, 12, 15, 18, 21, 24, 27])
        #expect(
            data.nextFetchOffset == 30 && data.batchCount == 10 && !data.firstBatchExceedsMaxBytes)
        #expect(data.records.readableBytes == 10 * batchSize)
        #expect(data.segmentFileName == "00000000000000000000.log" && data.position == 0)
    }

    @Test("an offset inside a batch returns that whole batch first")
    func midBatch() throws {
        let (_, log) = try tenBatches()
        let data = try log.read(from: 13, maxBytes: 2 * batchSize, upTo: .max)
        #expect(baseOffsets(data) == [12, 15])
        #expect(data.fetchOffset == 13 && data.nextFetchOffset == 18)
        #expect(data.position == 4 * batchSize)
    }

    @Test("max bytes never splits a batch")
    func maxBytes() throws {
        let (_, log) = try tenBatches()
        #expect(
            baseOffsets(try log.read(from: 0, maxBytes: 2 * batchSize + batchSize / 2, upTo: .max))
                == [0, 3])
        #expect(
            baseOffsets(try log.read(from: 0, maxBytes: 3 * batchSize, upTo: .max)) == [0, 3, 6])
    }

    @Test("the first batch is returned whole even when larger than max bytes")
    func firstBatchWhole() throws {
        let (_, log) = try tenBatches()
        let data = try log.read(from: 4, maxBytes: 1, upTo: .max)
        #expect(baseOffsets(data) == [3])
        #expect(data.firstBatchExceedsMaxBytes)
        let strict = try log.read(from: 4, maxBytes: 1, upTo: .max, minOneBatch: false)
        #expect(strict.isEmpty && strict.nextFetchOffset == 4)
    }

    @Test("no batch reaching the high watermark is returned")
    func upToHighWatermark() throws {
        let (_, log) = try tenBatches()
        #expect(baseOffsets(try log.read(from: 0, maxBytes: 1 << 20, upTo: 9)) == [0, 3, 6])
        #expect(baseOffsets(try log.read(from: 0, maxBytes: 1 << 20, upTo: 8)) == [0, 3])
        #expect(try log.read(from: 9, maxBytes: 1 << 20, upTo: 9).isEmpty)
        #expect(try log.read(from: 12, maxBytes: 1 << 20, upTo: 9).isEmpty)
        #expect(try log.read(from: 30, maxBytes: 1 << 20, upTo: .max).isEmpty)
    }

    @Test("offsets outside [log start, log end] are OFFSET_OUT_OF_RANGE")
    func outOfRange() throws {
        var (_, log) = try tenBatches()
        for offset: Int64 in [31, -1, .max] {
            do {
                _ = try log.read(from: offset, maxBytes: 100, upTo: .max)
                Issue.record("offset \(offset) was read")
            } catch {
                #expect(
                    error == .offsetOutOfRange(offset: offset, logStartOffset: 0, logEndOffset: 30))
                #expect(error.errorCode == .offsetOutOfRange)
            }
        }
        try log.deleteRecords(before: 7)
        #expect(
            throws: StorageError.offsetOutOfRange(offset: 6, logStartOffset: 7, logEndOffset: 30)
        ) {
            try log.read(from: 6, maxBytes: 100, upTo: .max)
        }
        #expect(baseOffsets(try log.read(from: 7, maxBytes: 1, upTo: .max)) == [6])
    }

    @Test("every offset is found through a dense index, in every segment")
    func everyOffset() throws {
        let fixture = LogFixture {
            $0.indexIntervalBytes = 100
            $0.segmentBytes = 1_024
        }
        var log = try fixture.openNew()
        for n in 0..<40 { try log.appendBatches(1, records: 1 + n % 4) }
        #expect(log.segments.count > 3)
        for offset in 0..<log.logEndOffset {
            let data = try log.read(from: offset, maxBytes: 1, upTo: .max)
            guard case .success(let batches) = RecordBatchView.batches(in: data.records),
                let first = batches.first
            else {
                Issue.record("nothing read at \(offset)")
                continue
            }
            #expect(first.header.baseOffset <= offset && offset <= first.header.lastOffset)
        }
        #expect(try log.readAllHeaders().count == 40)
    }

    @Test("a read stays in one segment; the next read goes on in the next")
    func oneSegmentPerRead() throws {
        let fixture = LogFixture { $0.segmentBytes = 1_024 }
        var log = try fixture.openNew()
        try log.appendBatches(7, valueBytes: 200)
        let first = try log.read(from: 1, maxBytes: 1 << 20, upTo: .max)
        #expect(baseOffsets(first) == [1, 2] && first.segmentBaseOffset == 0)
        let second = try log.read(from: first.nextFetchOffset, maxBytes: 1 << 20, upTo: .max)
        #expect(baseOffsets(second) == [3, 4, 5] && second.segmentBaseOffset == 3)
    }

    @Test("closed segments are opened on demand and at most a few stay open")
    func boundedHandles() throws {
        let fixture = LogFixture { $0.segmentBytes = 1_024 }
        var log = try fixture.openNew()
        try log.appendBatches(30, valueBytes: 200)
        #expect(log.segments.count == 10)
        #expect(fixture.fs.openFileCount == 3)
        for round in 0..<2 {
            for offset in stride(from: Int64(round), to: 30, by: 3) {
                _ = try log.read(from: offset, maxBytes: 100, upTo: .max)
                #expect(fixture.fs.openFileCount <= Limits.openFilesPerPartitionMax)
                #expect(log.openFileCount == fixture.fs.openFileCount)
            }
        }
        try log.close()
        #expect(fixture.fs.openFileCount == 0)
    }

    @Test("bytes damaged on disk after they were written fail the read instead of being served")
    func damagedOnDisk() throws {
        let (fixture, log) = try tenBatches()
        var bytes = try #require(fixture.fs.contents(of: fixture.path("00000000000000000000.log")))
        bytes[batchSize + 70] ^= 0x01
        fixture.fs.setContents(of: fixture.path("00000000000000000000.log"), to: bytes)
        #expect(baseOffsets(try log.read(from: 0, maxBytes: 1, upTo: .max)) == [0])
        do {
            _ = try log.read(from: 3, maxBytes: 1, upTo: .max)
            Issue.record("a damaged batch was served")
        } catch {
            #expect(error.errorCode == .kafkaStorageError)
        }
    }
}
