// Protocol room: builds the RecordBatch v2 bytes a producer sends, records appended one by one,
// then header, optional gzip and CRC-32C filled in. The result passes RecordBatchView.validate.

import NIOCore

/// Why a batch could not be built.
public enum RecordBatchBuilderError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A batch needs at least one record (Kafka never sends an empty one from a producer).
    case empty
    /// The batch would exceed the limit it was built for (`message.max.bytes`).
    case tooLarge(size: Int, limit: Int)
    /// The record's timestamp is too far from the batch's first for a 64-bit delta.
    case timestampOutOfRange(Int64)
    /// Only `none` and `gzip` can be written here.
    case unsupportedCompression(CompressionCodec)
    case gzip(GzipError)

    public var description: String {
        switch self {
        case .empty: return "a record batch needs at least one record"
        case .tooLarge(let size, let limit): return "record batch of \(size) bytes exceeds \(limit)"
        case .timestampOutOfRange(let t):
            return "timestamp \(t) is too far from the batch's first timestamp"
        case .unsupportedCompression(let codec):
            return "cannot write \(codec) batches; use none or gzip"
        case .gzip(let error): return error.description
        }
    }
}

/// Accumulates records into one RecordBatch v2, as a producer does for one partition.
///
/// Records are encoded as they are appended (offset delta = their position, timestamp delta
/// from the first record's timestamp), so `sizeInBytes` is exact and an accumulator can close
/// the batch when it reaches `batch.size`. `build()` writes the 61-byte header with base offset
/// 0 and partition leader epoch -1 (the broker stamps both), compresses the records section if
/// asked, and fills in the CRC-32C over attributes..end. Mirrors Kafka's `MemoryRecordsBuilder`.
public struct RecordBatchBuilder: Sendable {
    /// What a producer hands over for one record; the builder works out the deltas.
    public struct Entry: Equatable, Sendable {
        public var key: [UInt8]?
        public var value: [UInt8]?
        public var headers: [RecordHeader]
        /// CreateTime, in milliseconds since the epoch.
        public var timestamp: Int64

        public init(key: [UInt8]?, value: [UInt8]?, headers: [RecordHeader] = [], timestamp: Int64)
        {
            self.key = key
            self.value = value
            self.headers = headers
            self.timestamp = timestamp
        }
    }

    public let compression: CompressionCodec
    /// -1 when the producer is not idempotent (`enable.idempotence=false`).
    public let producerId: Int64
    public let producerEpoch: Int16
    public let baseSequence: Int32
    public let isTransactional: Bool
    /// A control batch (attribute bit 5): transaction markers, or KRaft's leader-change and
    /// snapshot records, whose keys name a control record type.
    public let isControl: Bool
    /// The largest whole batch this builder will produce, at most `Int32.max`.
    public let batchBytesMax: Int

    public private(set) var recordsCount: Int32 = 0
    public private(set) var baseTimestamp: Int64 = 0
    public private(set) var maxTimestamp: Int64 = -1
    /// The uncompressed records section, built as records arrive.
    private var records = ByteBuffer()

    public init(
        compression: CompressionCodec = .none, producerId: Int64 = -1, producerEpoch: Int16 = -1,
        baseSequence: Int32 = -1, isTransactional: Bool = false, isControl: Bool = false,
        batchBytesMax: Int = Limits.batchBytesMax
    ) {
        self.compression = compression
        self.producerId = producerId
        self.producerEpoch = producerEpoch
        self.baseSequence = baseSequence
        self.isTransactional = isTransactional
        self.isControl = isControl
        self.batchBytesMax = min(batchBytesMax, Int(Int32.max))
    }

    /// The whole batch's size if built uncompressed now.
    public var sizeInBytes: Int { RecordBatchHeader.size + records.readableBytes }
    public var isEmpty: Bool { recordsCount == 0 }

    /// Appends one record. Throws, leaving the builder unchanged, if the uncompressed batch
    /// would outgrow `batchBytesMax` or the timestamp delta cannot be represented.
    public mutating func append(_ entry: Entry) throws(RecordBatchBuilderError) {
        _ = try append(entry, within: batchBytesMax)
    }

    /// Appends one record if the batch stays within `limit` bytes (a producer's `batch.size`)
    /// and says whether it did; throws as `append(_:)` does. The record is measured once.
    public mutating func append(_ entry: Entry, within limit: Int) throws(RecordBatchBuilderError)
        -> Bool
    {
        let base = isEmpty ? entry.timestamp : baseTimestamp
        let (delta, overflow) = entry.timestamp.subtractingReportingOverflow(base)
        guard !overflow else { throw .timestampOutOfRange(entry.timestamp) }
        // recordsCount < batchBytesMax <= Int32.max, since every record takes bytes.
        let record = Record(
            timestampDelta: delta, offsetDelta: recordsCount,
            key: entry.key, value: entry.value, headers: entry.headers)
        let body = record.bodySize
        let size = sizeInBytes + Record.varintSize(Int64(body)) + body
        // Below the hard limit, not fitting `limit` is no error: the record may still fit a
        // batch of its own.
        if size > limit && limit < batchBytesMax { return false }
        guard size <= batchBytesMax else { throw .tooLarge(size: size, limit: batchBytesMax) }
        // Move the buffer into the writer and back, so it stays uniquely owned (no copy).
        var writer = WireWriter(records)
        records = ByteBuffer()
        record.encode(to: &writer, bodySize: body)
        records = writer.buffer
        if isEmpty { baseTimestamp = entry.timestamp }
        maxTimestamp = isEmpty ? entry.timestamp : max(maxTimestamp, entry.timestamp)
        recordsCount += 1
        return true
    }

    /// Appends every entry in order; see `append(_:)`.
    public mutating func append(contentsOf entries: [Entry]) throws(RecordBatchBuilderError) {
        for entry in entries { try append(entry) }
    }

    /// The finished batch: header, records section (compressed if asked) and CRC-32C.
    public func build() throws(RecordBatchBuilderError) -> ByteBuffer {
        guard !isEmpty else { throw .empty }
        let section: ByteBuffer
        switch compression {
        case .none:
            section = records
        case .gzip:
            let plain =
                records.getBytes(at: records.readerIndex, length: records.readableBytes) ?? []
            do {
                section = ByteBuffer(bytes: try Gzip.compress(plain))
            } catch {
                throw .gzip(error)
            }
        default:
            throw .unsupportedCompression(compression)
        }
        let totalSize = RecordBatchHeader.size + section.readableBytes
        guard totalSize <= batchBytesMax else {
            throw .tooLarge(size: totalSize, limit: batchBytesMax)
        }

        var writer = WireWriter(ByteBuffer())
        writer.buffer.reserveCapacity(totalSize)
        writer.writeInt64(0)  // baseOffset: assigned by the leader
        writer.writeInt32(Int32(totalSize - RecordBatchHeader.logOverhead))  // fits: <= Int32.max
        writer.writeInt32(-1)  // partitionLeaderEpoch: stamped by the leader
        writer.writeInt8(2)  // magic
        writer.writeUInt32(0)  // crc, filled in below
        writer.writeInt16(attributes)
        writer.writeInt32(recordsCount - 1)  // lastOffsetDelta
        writer.writeInt64(baseTimestamp)
        writer.writeInt64(maxTimestamp)
        writer.writeInt64(producerId)
        writer.writeInt16(producerEpoch)
        writer.writeInt32(baseSequence)
        writer.writeInt32(recordsCount)
        writer.writeRaw(section)

        var batch = writer.buffer
        let crc = RecordBatchView.crcOfBatch(batch, at: batch.readerIndex, totalSize: totalSize)
        batch.setInteger(crc, at: batch.readerIndex + RecordBatchHeader.crcAt, endianness: .big)
        return batch
    }

    /// Compression in bits 0-2, CreateTime (bit 3 clear), transactional in bit 4, control in
    /// bit 5.
    private var attributes: Int16 {
        Int16(compression.rawValue) | (isTransactional ? 0x10 : 0) | (isControl ? 0x20 : 0)
    }
}
