// Protocol room: turns RecordBatch v2 bytes into records a consumer can show, uncompressed or
// gzip. A fetch response's RECORDS may end in a partial batch; that tail is skipped, not refused.

import NIOCore

/// Decodes the records of RecordBatch v2 bytes.
///
/// A batch is validated first (`RecordBatchView.validate`: length, magic, CRC-32C), then its
/// records section is inflated if gzip and read record by record; the batch must hold exactly
/// the records it declares. Offsets become `baseOffset + offsetDelta`; timestamps become
/// `baseTimestamp + timestampDelta`, or the batch's `maxTimestamp` for LogAppendTime batches.
/// Mirrors Kafka's `DefaultRecordBatch` record iterator and `ByteBufferLogInputStream`.
public enum RecordBatchDecoder {
    /// Decodes the whole batch starting at `index` of `buffer`.
    public static func decode(
        _ buffer: ByteBuffer, at index: Int,
        batchBytesMax: Int = Limits.batchBytesMax,
        decompressedBytesMax: Int = Limits.decompressedBatchBytesMax
    ) throws(RecordDecodeError) -> DecodedRecordBatch {
        guard index >= buffer.readerIndex, index <= buffer.writerIndex else {
            throw .batch(.truncated(have: 0, need: RecordBatchHeader.size))
        }
        // validate computes `lastOffsetDelta + 1` in Int32, which traps at Int32.max (a count
        // a client can forge with a correct CRC); refuse that case before calling it.
        if let peek = RecordBatchHeader(buffer, at: index), peek.compression == .none,
            peek.lastOffsetDelta == .max
        {
            throw .batch(
                .recordCountMismatch(
                    count: peek.recordsCount, lastOffsetDelta: peek.lastOffsetDelta))
        }
        let header: RecordBatchHeader
        switch RecordBatchView.validate(buffer, at: index, batchBytesMax: batchBytesMax) {
        case .failure(let error): throw .batch(error)
        case .success(let valid): header = valid
        }
        let sectionLength = header.totalSize - RecordBatchHeader.size
        guard
            let section = buffer.getSlice(at: index + RecordBatchHeader.size, length: sectionLength)
        else {
            throw .batch(.truncated(have: buffer.writerIndex - index, need: header.totalSize))
        }
        let plain: ByteBuffer
        switch header.compression {
        case .none:
            plain = section
        case .gzip:
            do {
                plain = ByteBuffer(bytes: try Gzip.decompress(section, limit: decompressedBytesMax))
            } catch {
                throw .gzip(error)
            }
        case .snappy, .lz4, .zstd, .unknown:
            throw .unsupportedCompression(header.compression)
        }
        return DecodedRecordBatch(header: header, records: try records(in: plain, of: header))
    }

    /// Decodes every complete batch of a RECORDS blob (a fetch response's partition data or a
    /// log segment's bytes). A last batch cut short is not an error: a broker may send one
    /// when a fetch ends inside it, and Kafka's consumer ignores it. Its byte count is
    /// returned as `partialBatchBytes`. A damaged length, magic or CRC is still refused.
    public static func decodeAll(
        _ buffer: ByteBuffer,
        batchBytesMax: Int = Limits.batchBytesMax,
        decompressedBytesMax: Int = Limits.decompressedBatchBytesMax
    ) throws(RecordDecodeError) -> (batches: [DecodedRecordBatch], partialBatchBytes: Int) {
        var batches: [DecodedRecordBatch] = []
        var index = buffer.readerIndex
        while index < buffer.writerIndex {
            let available = buffer.writerIndex - index
            guard
                let totalSize = try completeBatchSize(
                    buffer, at: index, batchBytesMax: batchBytesMax)
            else {
                return (batches, available)
            }
            batches.append(
                try decode(
                    buffer, at: index, batchBytesMax: batchBytesMax,
                    decompressedBytesMax: decompressedBytesMax))
            index += totalSize
        }
        return (batches, 0)
    }

    /// The size of the batch at `index` if it is all there; nil if the bytes end first. The
    /// checks and their order follow Kafka's `ByteBufferLogInputStream.nextBatchSize`.
    private static func completeBatchSize(
        _ buffer: ByteBuffer, at index: Int, batchBytesMax: Int
    ) throws(RecordDecodeError) -> Int? {
        let available = buffer.writerIndex - index
        guard available >= RecordBatchHeader.logOverhead,
            let length = buffer.getInteger(
                at: index + RecordBatchHeader.lengthAt, endianness: .big, as: Int32.self)
        else { return nil }
        guard length >= Int32(RecordBatchHeader.size - RecordBatchHeader.logOverhead) else {
            throw .batch(.badLength(length))
        }
        let totalSize = Int(length) + RecordBatchHeader.logOverhead
        guard totalSize <= batchBytesMax else {
            throw .batch(.tooLarge(size: totalSize, limit: batchBytesMax))
        }
        if let magic = buffer.getInteger(at: index + RecordBatchHeader.magicAt, as: Int8.self),
            magic != 2
        {
            throw .batch(.badMagic(magic))
        }
        return available >= totalSize ? totalSize : nil
    }

    /// Reads exactly `header.recordsCount` records from an uncompressed records section.
    static func records(in section: ByteBuffer, of header: RecordBatchHeader)
        throws(RecordDecodeError) -> [ConsumerRecord]
    {
        var reader = WireReader(section)
        var out: [ConsumerRecord] = []
        // The count is covered by the CRC but still outside data: every record takes at
        // least one byte, so never reserve more than the bytes there are.
        out.reserveCapacity(min(Int(header.recordsCount), section.readableBytes))
        let leaderEpoch: Int32? =
            header.partitionLeaderEpoch < 0 ? nil : header.partitionLeaderEpoch
        for index in 0..<Int(max(header.recordsCount, 0)) {
            let record: Record
            do {
                record = try Record(from: &reader)
            } catch {
                throw .record(index: index, error)
            }
            let (offset, offsetOverflow) = header.baseOffset.addingReportingOverflow(
                Int64(record.offsetDelta))
            guard !offsetOverflow else { throw .deltaOutOfRange(index: index, field: "offset") }
            let timestamp: Int64
            switch header.timestampType {
            case .logAppendTime:
                timestamp = header.maxTimestamp
            case .createTime:
                let (sum, overflow) = header.baseTimestamp.addingReportingOverflow(
                    record.timestampDelta)
                guard !overflow else { throw .deltaOutOfRange(index: index, field: "timestamp") }
                timestamp = sum
            }
            out.append(
                ConsumerRecord(
                    offset: offset, timestamp: timestamp, timestampType: header.timestampType,
                    key: record.key, value: record.value, headers: record.headers,
                    leaderEpoch: leaderEpoch))
        }
        guard reader.isAtEnd else { throw .recordsRemaining(bytes: reader.remaining) }
        return out
    }
}
