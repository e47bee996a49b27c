// Protocol room: why the records of a batch could not be shown. Every malformed byte pattern
// ends here as a value, never as a trap; each case names the Kafka error code it matches.

/// Why a RecordBatch's records could not be decoded.
///
/// Kafka's consumer raises `CorruptRecordException` or `InvalidRecordException` for these;
/// a broker answers a produce carrying them with `CORRUPT_MESSAGE` (or the code of the case).
public enum RecordDecodeError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The batch header failed `RecordBatchView.validate` (length, magic, CRC, count).
    case batch(RecordBatchError)
    /// The batch is compressed with a codec we cannot inflate, so its records stay hidden.
    case unsupportedCompression(CompressionCodec)
    /// The records section of a gzip batch did not inflate.
    case gzip(GzipError)
    /// Record number `index` (0-based) of the batch is malformed.
    case record(index: Int, DecodeError)
    /// Bytes follow the last declared record ("Incorrect declared batch size, records still
    /// remaining in file", as Kafka says).
    case recordsRemaining(bytes: Int)
    /// A record's offset or timestamp falls outside Int64 once its delta is added.
    case deltaOutOfRange(index: Int, field: String)

    /// The Kafka error code a broker would answer a produce with.
    public var errorCode: ErrorCode {
        switch self {
        case .batch(let error): return error.errorCode
        case .unsupportedCompression: return .unsupportedCompressionType
        case .gzip, .record, .recordsRemaining, .deltaOutOfRange: return .corruptMessage
        }
    }

    public var description: String {
        switch self {
        case .batch(let error): return error.description
        case .unsupportedCompression(let codec):
            return "cannot show records compressed with \(codec): only none and gzip can be decoded"
        case .gzip(let error): return "records section: \(error)"
        case .record(let index, let error): return "record \(index): \(error)"
        case .recordsRemaining(let bytes):
            return "\(bytes) bytes remain after the batch's last declared record"
        case .deltaOutOfRange(let index, let field):
            return "record \(index): \(field) overflows 64 bits"
        }
    }
}
