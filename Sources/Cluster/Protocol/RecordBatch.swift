// Protocol room: RecordBatch v2 as a view over stored bytes. The broker checks the header and
// CRC, stamps base offset and partition leader epoch in place, and never re-encodes records.

import NIOCore

/// The fixed 61-byte header of a RecordBatch (magic 2), read from bytes.
///
/// Mirrors Kafka's `DefaultRecordBatch`. `batchLength` counts the bytes after itself, so a
/// whole batch is `batchLength + 12` bytes. The CRC covers everything from `attributes` on,
/// which is why base offset and leader epoch can be stamped without recomputing it.
public struct RecordBatchHeader: Equatable, Sendable {
    public var baseOffset: Int64
    public var batchLength: Int32
    public var partitionLeaderEpoch: Int32
    public var magic: Int8
    public var crc: UInt32
    public var attributes: Int16
    public var lastOffsetDelta: Int32
    public var baseTimestamp: Int64
    public var maxTimestamp: Int64
    public var producerId: Int64
    public var producerEpoch: Int16
    public var baseSequence: Int32
    public var recordsCount: Int32

    public static let size = 61
    /// The bytes before the length-counted part: baseOffset (8) + batchLength (4).
    public static let logOverhead = 12

    // Field positions inside a batch, as Kafka's DefaultRecordBatch names them.
    static let baseOffsetAt = 0, lengthAt = 8, partitionLeaderEpochAt = 12, magicAt = 16
    static let crcAt = 17, attributesAt = 21, lastOffsetDeltaAt = 23, baseTimestampAt = 27
    static let maxTimestampAt = 35, producerIdAt = 43, producerEpochAt = 51, baseSequenceAt = 53
    static let recordsCountAt = 57

    public var totalSize: Int { Int(batchLength) + Self.logOverhead }
    public var lastOffset: Int64 { baseOffset + Int64(lastOffsetDelta) }
    public var compression: CompressionCodec { CompressionCodec(rawValue: Int8(attributes & 0x07)) ?? .unknown }
    public var timestampType: TimestampType { attributes & 0x08 != 0 ? .logAppendTime : .createTime }
    public var isTransactional: Bool { attributes & 0x10 != 0 }
    public var isControl: Bool { attributes & 0x20 != 0 }
    /// The sequence of the batch's last record (-1 for non-idempotent batches).
    public var lastSequence: Int32 {
        baseSequence < 0 ? -1 : Int32(truncatingIfNeeded: (Int64(baseSequence) + Int64(lastOffsetDelta)) % (Int64(Int32.max) + 1))
    }

    /// Reads the header at `index` of `buffer` without moving any indices.
    public init?(_ buffer: ByteBuffer, at index: Int) {
        guard buffer.readableBytes - (index - buffer.readerIndex) >= Self.size,
            let baseOffset = buffer.getInteger(at: index, endianness: .big, as: Int64.self),
            let batchLength = buffer.getInteger(at: index + 8, endianness: .big, as: Int32.self),
            let epoch = buffer.getInteger(at: index + 12, endianness: .big, as: Int32.self),
            let magic = buffer.getInteger(at: index + 16, as: Int8.self),
            let crc = buffer.getInteger(at: index + 17, endianness: .big, as: UInt32.self),
            let attributes = buffer.getInteger(at: index + 21, endianness: .big, as: Int16.self),
            let lastOffsetDelta = buffer.getInteger(at: index + 23, endianness: .big, as: Int32.self),
            let baseTimestamp = buffer.getInteger(at: index + 27, endianness: .big, as: Int64.self),
            let maxTimestamp = buffer.getInteger(at: index + 35, endianness: .big, as: Int64.self),
            let producerId = buffer.getInteger(at: index + 43, endianness: .big, as: Int64.self),
            let producerEpoch = buffer.getInteger(at: index + 51, endianness: .big, as: Int16.self),
            let baseSequence = buffer.getInteger(at: index + 53, endianness: .big, as: Int32.self),
            let recordsCount = buffer.getInteger(at: index + 57, endianness: .big, as: Int32.self)
        else { return nil }
        self.baseOffset = baseOffset
        self.batchLength = batchLength
        self.partitionLeaderEpoch = epoch
        self.magic = magic
        self.crc = crc
        self.attributes = attributes
        self.lastOffsetDelta = lastOffsetDelta
        self.baseTimestamp = baseTimestamp
        self.maxTimestamp = maxTimestamp
        self.producerId = producerId
        self.producerEpoch = producerEpoch
        self.baseSequence = baseSequence
        self.recordsCount = recordsCount
    }
}

public enum CompressionCodec: Int8, Sendable, CustomStringConvertible {
    case none = 0, gzip = 1, snappy = 2, lz4 = 3, zstd = 4, unknown = 7
    public var description: String {
        switch self {
        case .none: return "none"
        case .gzip: return "gzip"
        case .snappy: return "snappy"
        case .lz4: return "lz4"
        case .zstd: return "zstd"
        case .unknown: return "unknown"
        }
    }
}

public enum TimestampType: Sendable, Equatable {
    case createTime, logAppendTime
}

/// Why a batch was refused; each maps to the error code a Kafka broker answers with.
public enum RecordBatchError: Error, Equatable, Sendable, CustomStringConvertible {
    case truncated(have: Int, need: Int)
    case badMagic(Int8)
    case badLength(Int32)
    case crcMismatch(stored: UInt32, computed: UInt32)
    case recordCountMismatch(count: Int32, lastOffsetDelta: Int32)
    case tooLarge(size: Int, limit: Int)

    /// The Kafka error code for a produce carrying this batch.
    public var errorCode: ErrorCode {
        switch self {
        case .truncated, .badLength, .crcMismatch: return .corruptMessage
        case .badMagic: return .unsupportedForMessageFormat
        case .recordCountMismatch: return .invalidRecord
        case .tooLarge: return .messageTooLarge
        }
    }

    public var description: String {
        switch self {
        case .truncated(let have, let need): return "batch truncated: \(have) of \(need) bytes"
        case .badMagic(let m): return "magic \(m) is not supported (only RecordBatch v2, magic 2)"
        case .badLength(let l): return "batch length \(l) is invalid"
        case .crcMismatch(let s, let c): return "CRC mismatch: stored \(s), computed \(c)"
        case .recordCountMismatch(let n, let d): return "record count \(n) does not match lastOffsetDelta \(d)"
        case .tooLarge(let size, let limit): return "batch of \(size) bytes exceeds \(limit)"
        }
    }
}

/// Operations on RecordBatch bytes in place.
public enum RecordBatchView {
    /// Checks the batch starting at `index`: length, magic, CRC and record count against
    /// lastOffsetDelta. Returns its header; the bytes are not copied.
    public static func validate(
        _ buffer: ByteBuffer, at index: Int, batchBytesMax: Int = Limits.batchBytesMax
    ) -> Result<RecordBatchHeader, RecordBatchError> {
        let available = buffer.writerIndex - index
        guard let header = RecordBatchHeader(buffer, at: index) else {
            return .failure(.truncated(have: max(0, available), need: RecordBatchHeader.size))
        }
        guard header.batchLength >= Int32(RecordBatchHeader.size - RecordBatchHeader.logOverhead) else {
            return .failure(.badLength(header.batchLength))
        }
        guard header.magic == 2 else { return .failure(.badMagic(header.magic)) }
        guard header.totalSize <= batchBytesMax else {
            return .failure(.tooLarge(size: header.totalSize, limit: batchBytesMax))
        }
        guard available >= header.totalSize else {
            return .failure(.truncated(have: available, need: header.totalSize))
        }
        let computed = crcOfBatch(buffer, at: index, totalSize: header.totalSize)
        guard computed == header.crc else {
            return .failure(.crcMismatch(stored: header.crc, computed: computed))
        }
        guard header.recordsCount >= 0, header.lastOffsetDelta >= 0,
            header.compression != .none || Int64(header.recordsCount) == Int64(header.lastOffsetDelta) + 1
        else {
            return .failure(.recordCountMismatch(count: header.recordsCount, lastOffsetDelta: header.lastOffsetDelta))
        }
        return .success(header)
    }

    /// The CRC-32C over `attributes` to the end of the batch, as stored in the `crc` field.
    public static func crcOfBatch(_ buffer: ByteBuffer, at index: Int, totalSize: Int) -> UInt32 {
        let start = index + RecordBatchHeader.attributesAt
        let length = totalSize - RecordBatchHeader.attributesAt
        return buffer.withUnsafeReadableBytes { raw in
            let offset = start - buffer.readerIndex
            return CRC32C.checksum(UnsafeRawBufferPointer(rebasing: raw[offset..<(offset + length)]))
        }
    }

    /// Sets base offset and partition leader epoch: fields outside the CRC, so no re-encode.
    public static func stamp(_ buffer: inout ByteBuffer, at index: Int, baseOffset: Int64, partitionLeaderEpoch: Int32) {
        buffer.setInteger(baseOffset, at: index + RecordBatchHeader.baseOffsetAt, endianness: .big)
        buffer.setInteger(partitionLeaderEpoch, at: index + RecordBatchHeader.partitionLeaderEpochAt, endianness: .big)
    }

    /// For `message.timestamp.type=LogAppendTime`: sets the timestamp-type bit and max
    /// timestamp, then recomputes the CRC (both are covered by it). Records stay as they are;
    /// readers take the batch's timestamp for every record, as in Kafka.
    public static func stampLogAppendTime(_ buffer: inout ByteBuffer, at index: Int, timestamp: Int64) {
        guard let header = RecordBatchHeader(buffer, at: index) else { return }
        buffer.setInteger(header.attributes | 0x08, at: index + RecordBatchHeader.attributesAt, endianness: .big)
        buffer.setInteger(timestamp, at: index + RecordBatchHeader.maxTimestampAt, endianness: .big)
        let crc = crcOfBatch(buffer, at: index, totalSize: header.totalSize)
        buffer.setInteger(crc, at: index + RecordBatchHeader.crcAt, endianness: .big)
    }

    /// Splits a RECORDS blob into its batches' headers and start indices, validating each.
    public static func batches(in buffer: ByteBuffer, batchBytesMax: Int = Limits.batchBytesMax)
        -> Result<[(index: Int, header: RecordBatchHeader)], RecordBatchError>
    {
        var out: [(index: Int, header: RecordBatchHeader)] = []
        var index = buffer.readerIndex
        while index < buffer.writerIndex {
            switch validate(buffer, at: index, batchBytesMax: batchBytesMax) {
            case .failure(let error): return .failure(error)
            case .success(let header):
                out.append((index, header))
                index += header.totalSize
            }
        }
        return .success(out)
    }
}
