// Protocol tests: RecordBatchDecoder. Goal: batches written by a real client decode to what it
// wrote; every truncation, bit flip and forged field gives a typed error, never a trap.

import NIOCore
import Testing

@testable import Cluster

@Suite struct RecordBatchDecoderTests {
    @Test("kafka-python's uncompressed batch decodes to its records")
    func kafkaPythonPlain() throws {
        let batch = try RecordBatchDecoder.decode(
            BatchFixtures.buffer(BatchFixtures.kafkaPythonPlain), at: 0)
        #expect(
            batch.records == [
                ConsumerRecord(
                    offset: 0, timestamp: 1_700_000_000_000, timestampType: .createTime,
                    key: Array("k".utf8), value: Array("v1".utf8),
                    headers: [RecordHeader(key: "h", value: Array("x".utf8))], leaderEpoch: 0),
                ConsumerRecord(
                    offset: 1, timestamp: 1_700_000_000_005, timestampType: .createTime,
                    key: nil, value: [], headers: [RecordHeader(key: "trace", value: nil)],
                    leaderEpoch: 0),
            ])
    }

    @Test("kafka-python's gzip batch decodes to its records, out-of-order timestamps kept")
    func kafkaPythonGzip() throws {
        let batch = try RecordBatchDecoder.decode(
            BatchFixtures.buffer(BatchFixtures.kafkaPythonGzip), at: 0)
        #expect(batch.header.compression == .gzip)
        #expect(
            batch.header.producerId == 7 && batch.header.producerEpoch == 0
                && batch.header.baseSequence == 0)
        #expect(batch.records.map(\.offset) == [0, 1, 2])
        #expect(
            batch.records.map(\.timestamp) == [
                1_700_000_000_000, 1_699_999_999_990, 1_700_000_000_007,
            ])
        #expect(batch.records.map(\.key) == [Array("order-1".utf8), Array("order-2".utf8), nil])
        #expect(batch.records.map(\.value) == [BatchFixtures.hello6, nil, BatchFixtures.hello6])
        #expect(batch.records[1].headers == [RecordHeader(key: "h", value: Array("x".utf8))])
    }

    @Test("a stamped base offset and leader epoch carry into every record")
    func stampedOffsets() throws {
        var buffer = BatchFixtures.buffer(BatchFixtures.kafkaPythonGzip)
        RecordBatchView.stamp(&buffer, at: 0, baseOffset: 1_000, partitionLeaderEpoch: 5)
        let batch = try RecordBatchDecoder.decode(buffer, at: 0)
        #expect(batch.records.map(\.offset) == [1_000, 1_001, 1_002])
        #expect(batch.records.allSatisfy { $0.leaderEpoch == 5 })
    }

    @Test("LogAppendTime gives every record the batch's maxTimestamp", arguments: [false, true])
    func logAppendTime(gzip: Bool) throws {
        var buffer = BatchFixtures.buffer(
            gzip ? BatchFixtures.kafkaPythonGzip : BatchFixtures.kafkaPythonPlain)
        RecordBatchView.stampLogAppendTime(&buffer, at: 0, timestamp: 1_800_000_000_000)
        let batch = try RecordBatchDecoder.decode(buffer, at: 0)
        #expect(
            batch.records.allSatisfy {
                $0.timestamp == 1_800_000_000_000 && $0.timestampType == .logAppendTime
            })
    }

    @Test(
        "snappy, lz4 and zstd batches give an error that names the codec",
        arguments: [CompressionCodec.snappy, .lz4, .zstd])
    func unsupportedCodec(codec: CompressionCodec) throws {
        let bytes = BatchFixtures.resealed(
            BatchFixtures.setting(
                Int16(codec.rawValue), at: RecordBatchHeader.attributesAt,
                in: BatchFixtures.kafkaPythonPlain))
        let error = #expect(throws: RecordDecodeError.self) {
            try RecordBatchDecoder.decode(BatchFixtures.buffer(bytes), at: 0)
        }
        #expect(error == .unsupportedCompression(codec))
        #expect(error?.description.contains(codec.description) == true)
        #expect(error?.errorCode == .unsupportedCompressionType)
    }

    // MARK: - RECORDS blobs

    private func blob() throws -> [UInt8] {
        var second = RecordBatchBuilder(compression: .gzip)
        try second.append(.init(key: Array("x".utf8), value: BatchFixtures.hello6, timestamp: 42))
        var secondBuffer = try second.build()
        RecordBatchView.stamp(&secondBuffer, at: 0, baseOffset: 2, partitionLeaderEpoch: 0)
        var third = BatchFixtures.buffer(BatchFixtures.handBuilt)
        RecordBatchView.stamp(&third, at: 0, baseOffset: 3, partitionLeaderEpoch: 0)
        return BatchFixtures.kafkaPythonPlain + BatchFixtures.bytes(secondBuffer)
            + BatchFixtures.bytes(third)
    }

    @Test("a RECORDS blob decodes batch by batch")
    func wholeBlob() throws {
        let (batches, partial) = try RecordBatchDecoder.decodeAll(BatchFixtures.buffer(try blob()))
        #expect(partial == 0)
        #expect(batches.flatMap(\.records).map(\.offset) == [0, 1, 2, 3])
        #expect(batches.map(\.header.compression) == [.none, .gzip, .none])
    }

    @Test("a blob cut anywhere inside its last batch stops cleanly before that batch")
    func partialTrailingBatch() throws {
        let bytes = try blob()
        let lastStart = bytes.count - BatchFixtures.handBuilt.count
        for cut in lastStart..<bytes.count {
            let (batches, partial) = try RecordBatchDecoder.decodeAll(
                BatchFixtures.buffer(Array(bytes[0..<cut])))
            #expect(batches.count == 2)
            #expect(partial == cut - lastStart)
        }
    }

    @Test("a blob whose next batch has a broken length or magic is refused, not skipped")
    func brokenBlob() throws {
        let bytes = try blob()
        let short = BatchFixtures.setting(Int32(10), at: RecordBatchHeader.lengthAt, in: bytes)
        #expect(throws: RecordDecodeError.batch(.badLength(10))) {
            try RecordBatchDecoder.decodeAll(BatchFixtures.buffer(short))
        }
        let magic = BatchFixtures.setting(Int8(1), at: RecordBatchHeader.magicAt, in: bytes)
        #expect(throws: RecordDecodeError.batch(.badMagic(1))) {
            try RecordBatchDecoder.decodeAll(BatchFixtures.buffer(magic))
        }
        let huge = BatchFixtures.setting(Int32.max, at: RecordBatchHeader.lengthAt, in: bytes)
        #expect(throws: RecordDecodeError.self) {
            try RecordBatchDecoder.decodeAll(BatchFixtures.buffer(huge))
        }
    }

    // MARK: - Damage

    static let validBatches: [[UInt8]] = [
        BatchFixtures.handBuilt, BatchFixtures.kafkaPythonPlain, BatchFixtures.kafkaPythonGzip,
    ]

    @Test(
        "every truncation of a valid batch is refused by validate and by the decoder",
        arguments: 0..<3)
    func everyTruncation(which: Int) {
        let bytes = Self.validBatches[which]
        for length in 0..<bytes.count {
            let buffer = BatchFixtures.buffer(Array(bytes[0..<length]))
            guard case .failure = RecordBatchView.validate(buffer, at: 0) else {
                Issue.record("validate accepted \(length) of \(bytes.count) bytes")
                continue
            }
            #expect(throws: RecordDecodeError.self) { try RecordBatchDecoder.decode(buffer, at: 0) }
        }
    }

    /// Base offset (bytes 0..<8) and partition leader epoch (12..<16) are outside the CRC on
    /// purpose, so the broker can stamp them; a flip there is undetectable by design, in Kafka
    /// too. Every other bit is covered by the length, magic or CRC-32C checks.
    @Test("every single-bit flip outside base offset and leader epoch is refused", arguments: 0..<3)
    func everyBitFlip(which: Int) throws {
        let bytes = Self.validBatches[which]
        let original = try RecordBatchDecoder.decode(BatchFixtures.buffer(bytes), at: 0)
        for index in 0..<bytes.count {
            for bit in 0..<8 {
                var flipped = bytes
                flipped[index] ^= UInt8(1) << UInt8(bit)
                let buffer = BatchFixtures.buffer(flipped)
                if (0..<8).contains(index) || (12..<16).contains(index) {
                    let decoded = try RecordBatchDecoder.decode(buffer, at: 0)
                    #expect(decoded.records.map(\.value) == original.records.map(\.value))
                    continue
                }
                let refusedByValidate: Bool
                if case .failure = RecordBatchView.validate(buffer, at: 0) {
                    refusedByValidate = true
                } else {
                    refusedByValidate = false
                }
                #expect(refusedByValidate, "flip of byte \(index) bit \(bit) passed validate")
                #expect(throws: RecordDecodeError.self) {
                    try RecordBatchDecoder.decode(buffer, at: 0)
                }
            }
        }
    }

    @Test("random records sections under a correct CRC give errors or records, never a trap")
    func randomSections() {
        var entropy = SplitMix64(seed: 2024)
        for round in 0..<3_000 {
            let length = Int(entropy.next(upperBound: UInt64(64)))
            var section = (0..<length).map { _ in UInt8(truncatingIfNeeded: entropy.next()) }
            // Half the rounds start with a plausible record so the parser gets past the length.
            if round % 2 == 0, length > 4 {
                section[0] = UInt8(truncatingIfNeeded: (length - 1) * 2)
            }
            let count = Int32(entropy.next(upperBound: UInt64(4)))
            let attributes =
                Int16(entropy.next(upperBound: UInt64(2))) | (round % 3 == 0 ? 0x08 : 0)
            let bytes = BatchFixtures.sealedBatch(
                section: section, recordsCount: count, lastOffsetDelta: max(count - 1, 0),
                attributes: attributes)
            if let batch = try? RecordBatchDecoder.decode(BatchFixtures.buffer(bytes), at: 0) {
                #expect(batch.records.count == Int(count))
            }
        }
    }

    @Test("forged counts and deltas under a correct CRC are typed errors")
    func forgedFields() throws {
        var plain = BatchFixtures.kafkaPythonPlain
        // lastOffsetDelta = Int32.max: validate's count check would overflow if reached.
        let maxDelta = BatchFixtures.resealed(
            BatchFixtures.setting(Int32.max, at: RecordBatchHeader.lastOffsetDeltaAt, in: plain))
        #expect(throws: RecordDecodeError.self) {
            try RecordBatchDecoder.decode(BatchFixtures.buffer(maxDelta), at: 0)
        }

        // Declares one record but carries two.
        plain = BatchFixtures.setting(Int32(0), at: RecordBatchHeader.lastOffsetDeltaAt, in: plain)
        plain = BatchFixtures.resealed(
            BatchFixtures.setting(Int32(1), at: RecordBatchHeader.recordsCountAt, in: plain))
        let remaining = #expect(throws: RecordDecodeError.self) {
            try RecordBatchDecoder.decode(BatchFixtures.buffer(plain), at: 0)
        }
        guard case .recordsRemaining = remaining else {
            Issue.record("expected recordsRemaining, got \(String(describing: remaining))")
            return
        }

        // A gzip batch declaring more records than it holds.
        var gzip = BatchFixtures.setting(
            Int32(3), at: RecordBatchHeader.lastOffsetDeltaAt, in: BatchFixtures.kafkaPythonGzip)
        gzip = BatchFixtures.resealed(
            BatchFixtures.setting(Int32(4), at: RecordBatchHeader.recordsCountAt, in: gzip))
        let short = #expect(throws: RecordDecodeError.self) {
            try RecordBatchDecoder.decode(BatchFixtures.buffer(gzip), at: 0)
        }
        guard case .record(index: 3, .truncated) = short else {
            Issue.record("expected record 3 truncated, got \(String(describing: short))")
            return
        }

        // A base timestamp so large that adding the second record's delta overflows.
        let late = BatchFixtures.resealed(
            BatchFixtures.setting(
                Int64.max - 2, at: RecordBatchHeader.baseTimestampAt,
                in: BatchFixtures.kafkaPythonPlain))
        #expect(throws: RecordDecodeError.deltaOutOfRange(index: 1, field: "timestamp")) {
            try RecordBatchDecoder.decode(BatchFixtures.buffer(late), at: 0)
        }
    }

    @Test("a gzip section that inflates past the limit is refused")
    func gzipBombInBatch() throws {
        let zeros = [UInt8](repeating: 0, count: 1 << 20)
        let section = try Gzip.compress(zeros)
        let bytes = BatchFixtures.sealedBatch(
            section: section, recordsCount: 1, lastOffsetDelta: 0, attributes: 1)
        #expect(throws: RecordDecodeError.gzip(.tooLarge(limit: 65_536))) {
            try RecordBatchDecoder.decode(
                BatchFixtures.buffer(bytes), at: 0, decompressedBytesMax: 65_536)
        }
    }
}
