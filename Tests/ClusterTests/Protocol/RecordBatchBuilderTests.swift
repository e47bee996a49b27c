// Protocol tests: RecordBatchBuilder. Goal: what the client builds is a valid RecordBatch v2,
// byte for byte what the spec and kafka-python produce, and it decodes back to what went in.

import NIOCore
import Testing

@testable import Cluster

@Suite struct RecordBatchBuilderTests {
    static let entries: [RecordBatchBuilder.Entry] = [
        .init(
            key: Array("k".utf8), value: Array("v1".utf8),
            headers: [RecordHeader(key: "h", value: Array("x".utf8))],
            timestamp: 1_700_000_000_000),
        .init(key: nil, value: Array("null key".utf8), timestamp: 1_700_000_000_009),
        .init(key: Array("tombstone".utf8), value: nil, timestamp: 1_699_999_999_990),
        .init(
            key: Array("empty".utf8), value: [], headers: [RecordHeader(key: "trace", value: nil)],
            timestamp: 1_700_000_000_003),
        .init(
            key: [], value: BatchFixtures.hello6,
            headers: [
                RecordHeader(key: "a", value: []),
                RecordHeader(key: "a", value: [0xFF]),
            ],
            timestamp: 1_700_000_000_003),
    ]

    private func build(
        _ entries: [RecordBatchBuilder.Entry], compression: CompressionCodec = .none
    ) throws -> ByteBuffer {
        var builder = RecordBatchBuilder(compression: compression)
        try builder.append(contentsOf: entries)
        return try builder.build()
    }

    @Test("one record builds exactly the hand-built batch, CRC included")
    func matchesHandBuiltBytes() throws {
        let batch = try build([Self.entries[0]])
        #expect(BatchFixtures.bytes(batch) == BatchFixtures.handBuilt)
    }

    @Test("two records build kafka-python's bytes, except the leader epoch it writes as 0 (not -1)")
    func matchesKafkaPython() throws {
        let batch = try build([
            .init(
                key: Array("k".utf8), value: Array("v1".utf8),
                headers: [RecordHeader(key: "h", value: Array("x".utf8))],
                timestamp: 1_700_000_000_000),
            .init(
                key: nil, value: [], headers: [RecordHeader(key: "trace", value: nil)],
                timestamp: 1_700_000_000_005),
        ])
        var ours = BatchFixtures.bytes(batch)
        #expect(ours.count == BatchFixtures.kafkaPythonPlain.count)
        // The partition leader epoch sits outside the CRC, so the CRCs agree too.
        ours.replaceSubrange(12..<16, with: [0, 0, 0, 0])
        #expect(ours == BatchFixtures.kafkaPythonPlain)
    }

    @Test(
        "built batches pass RecordBatchView.validate with the right header",
        arguments: [CompressionCodec.none, .gzip])
    func validates(compression: CompressionCodec) throws {
        let batch = try build(Self.entries, compression: compression)
        let header = try RecordBatchView.validate(batch, at: 0).get()
        #expect(header.baseOffset == 0)
        #expect(header.totalSize == batch.readableBytes)
        #expect(header.partitionLeaderEpoch == -1)
        #expect(header.compression == compression)
        #expect(header.timestampType == .createTime)
        #expect(header.recordsCount == 5)
        #expect(header.lastOffsetDelta == 4)
        #expect(header.baseTimestamp == 1_700_000_000_000)  // the first record's, not the smallest
        #expect(header.maxTimestamp == 1_700_000_000_009)
        #expect(header.producerId == -1 && header.producerEpoch == -1 && header.baseSequence == -1)
        #expect(!header.isTransactional && !header.isControl)
    }

    @Test(
        "builder → validate → decoder gives back every record",
        arguments: [CompressionCodec.none, .gzip])
    func roundTrip(compression: CompressionCodec) throws {
        let batch = try build(Self.entries, compression: compression)
        let decoded = try RecordBatchDecoder.decode(batch, at: 0)
        #expect(decoded.records.count == Self.entries.count)
        for (offset, (record, entry)) in zip(decoded.records, Self.entries).enumerated() {
            #expect(record.offset == Int64(offset))
            #expect(record.timestamp == entry.timestamp)
            #expect(record.timestampType == .createTime)
            #expect(record.key == entry.key)
            #expect(record.value == entry.value)
            #expect(record.headers == entry.headers)
            #expect(record.leaderEpoch == nil)
        }
    }

    @Test("gzip shrinks a repetitive batch and marks compression in the attributes")
    func gzipShrinks() throws {
        let entries = (0..<100).map { i in
            RecordBatchBuilder.Entry(
                key: Array("order-\(i)".utf8), value: BatchFixtures.hello6, timestamp: Int64(i))
        }
        let plain = try build(entries)
        let gzip = try build(entries, compression: .gzip)
        #expect(gzip.readableBytes * 4 < plain.readableBytes)
        #expect(
            gzip.getInteger(at: RecordBatchHeader.attributesAt, endianness: .big, as: Int16.self)
                == 1)
        #expect(
            try RecordBatchDecoder.decode(gzip, at: 0).records
                == RecordBatchDecoder.decode(plain, at: 0).records)
    }

    @Test("idempotent and transactional producers stamp their ID, epoch, sequence and bit")
    func producerFields() throws {
        var builder = RecordBatchBuilder(
            producerId: 4242, producerEpoch: 3, baseSequence: 17, isTransactional: true)
        try builder.append(contentsOf: Array(Self.entries[0..<3]))
        let header = try RecordBatchView.validate(try builder.build(), at: 0).get()
        #expect(header.producerId == 4242)
        #expect(header.producerEpoch == 3)
        #expect(header.baseSequence == 17)
        #expect(header.lastSequence == 19)
        #expect(header.isTransactional)
    }

    @Test("sizeInBytes is the exact size of the uncompressed batch as records are appended")
    func sizeIsExact() throws {
        var builder = RecordBatchBuilder()
        #expect(builder.sizeInBytes == RecordBatchHeader.size)
        for entry in Self.entries {
            try builder.append(entry)
            #expect(try builder.build().readableBytes == builder.sizeInBytes)
        }
    }

    @Test("an empty batch, snappy, or a record past batchBytesMax is refused")
    func refusals() throws {
        #expect(throws: RecordBatchBuilderError.empty) { try RecordBatchBuilder().build() }
        for codec in [CompressionCodec.snappy, .lz4, .zstd] {
            var builder = RecordBatchBuilder(compression: codec)
            try builder.append(Self.entries[0])
            #expect(throws: RecordBatchBuilderError.unsupportedCompression(codec)) {
                try builder.build()
            }
        }
        var builder = RecordBatchBuilder(batchBytesMax: 200)
        try builder.append(Self.entries[0])
        let before = try builder.build()
        let big = RecordBatchBuilder.Entry(
            key: nil, value: [UInt8](repeating: 1, count: 200), timestamp: 0)
        #expect(throws: RecordBatchBuilderError.self) { try builder.append(big) }
        #expect(try builder.build() == before)
        #expect(builder.recordsCount == 1)
    }

    @Test("timestamps whose delta overflows 64 bits are refused, not wrapped")
    func timestampOverflow() throws {
        var builder = RecordBatchBuilder()
        try builder.append(.init(key: nil, value: [], timestamp: .min))
        #expect(throws: RecordBatchBuilderError.timestampOutOfRange(.max)) {
            try builder.append(.init(key: nil, value: [], timestamp: .max))
        }
    }
}
