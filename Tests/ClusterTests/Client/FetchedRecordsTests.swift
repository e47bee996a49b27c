// Client tests: reading a fetched partition. Goal: records below the fetch offset (the
// batch starts earlier) and control batches are skipped, and the next offset moves past
// every whole batch but never past a partial one.

import NIOCore
import Testing

@testable import Cluster

@Suite struct FetchedRecordsTests {
    static let tp = TopicPartition("orders", 0)

    /// A batch of `count` records stamped at `baseOffset`, as a leader stores it.
    static func batch(baseOffset: Int64, count: Int, control: Bool = false) throws -> ByteBuffer {
        var builder = RecordBatchBuilder()
        for i in 0..<count {
            try builder.append(
                RecordBatchBuilder.Entry(
                    key: Array("k\(i)".utf8), value: Array("v\(Int(baseOffset) + i)".utf8),
                    headers: [RecordHeader(key: "h", value: [UInt8(i)])],
                    timestamp: 1_000 + Int64(i)))
        }
        var bytes = try builder.build()
        RecordBatchView.stamp(
            &bytes, at: bytes.readerIndex, baseOffset: baseOffset, partitionLeaderEpoch: 4)
        if control {
            let at = bytes.readerIndex + RecordBatchHeader.attributesAt
            let attributes = bytes.getInteger(at: at, endianness: .big, as: Int16.self) ?? 0
            bytes.setInteger(attributes | 0x20, at: at, endianness: .big)
            let crc = RecordBatchView.crcOfBatch(
                bytes, at: bytes.readerIndex, totalSize: bytes.readableBytes)
            bytes.setInteger(crc, at: bytes.readerIndex + RecordBatchHeader.crcAt, endianness: .big)
        }
        return bytes
    }

    static func joined(_ parts: [ByteBuffer]) -> ByteBuffer {
        var out = ByteBuffer()
        for var part in parts { out.writeBuffer(&part) }
        return out
    }

    @Test("records below the fetch offset in the first batch are skipped")
    func skipsBelowOffset() throws {
        let bytes = Self.joined([
            try Self.batch(baseOffset: 0, count: 10), try Self.batch(baseOffset: 10, count: 5),
        ])
        let fetched = try FetchedRecords.decode(bytes, from: Self.tp, fetchOffset: 7)
        #expect(fetched.records.map(\.offset) == Array(7...14))
        #expect(fetched.nextFetchOffset == 15)
        let first = try #require(fetched.records.first)
        #expect(first.value == Array("v7".utf8))
        #expect(first.key == Array("k7".utf8))
        #expect(first.timestamp == 1_007)
        #expect(first.headers == [RecordHeader(key: "h", value: [7])])
        #expect(first.topic == "orders" && first.partition == 0)
        #expect(first.leaderEpoch == 4)
    }

    @Test("control batches are skipped but stepped over")
    func controlBatches() throws {
        let bytes = Self.joined([
            try Self.batch(baseOffset: 0, count: 2),
            try Self.batch(baseOffset: 2, count: 1, control: true),
            try Self.batch(baseOffset: 3, count: 1),
        ])
        let fetched = try FetchedRecords.decode(bytes, from: Self.tp, fetchOffset: 0)
        #expect(fetched.records.map(\.offset) == [0, 1, 3])
        #expect(fetched.nextFetchOffset == 4)
    }

    @Test("a partial last batch is left for the next fetch")
    func partialTail() throws {
        let whole = try Self.batch(baseOffset: 0, count: 3)
        let next = try Self.batch(baseOffset: 3, count: 3)
        let cut = try #require(next.getSlice(at: next.readerIndex, length: next.readableBytes - 5))
        let fetched = try FetchedRecords.decode(
            Self.joined([whole, cut]), from: Self.tp, fetchOffset: 1)
        #expect(fetched.records.map(\.offset) == [1, 2])
        #expect(fetched.nextFetchOffset == 3)
    }

    @Test("no bytes, or only older batches, leave the offset where it was")
    func nothingNew() throws {
        #expect(try FetchedRecords.decode(nil, from: Self.tp, fetchOffset: 5).nextFetchOffset == 5)
        let old = try Self.batch(baseOffset: 0, count: 3)
        let fetched = try FetchedRecords.decode(old, from: Self.tp, fetchOffset: 5)
        #expect(fetched.records.isEmpty && fetched.nextFetchOffset == 5)
    }

    @Test("a damaged batch is an error, not a crash")
    func corrupt() throws {
        var bytes = try Self.batch(baseOffset: 0, count: 3)
        bytes.setInteger(UInt8(0xFF), at: bytes.writerIndex - 1)
        #expect(throws: KafkaClientError.self) {
            try FetchedRecords.decode(bytes, from: Self.tp, fetchOffset: 0)
        }
    }
}
