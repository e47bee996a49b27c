// Storage room: what can go wrong in a partition log, as values the broker must handle.
// Each case maps to the Kafka error code a real broker would answer with.

/// Why a storage operation failed.
///
/// Expected conditions (an offset outside the log, a batch too large) and disk failures
/// both arrive here, typed, so the broker answers with Kafka's code instead of crashing.
/// A torn or corrupt segment tail is not an error: recovery cuts it and reports it.
public enum StorageError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A fetch or DeleteRecords offset outside `[logStartOffset, logEndOffset]`.
    case offsetOutOfRange(offset: Int64, logStartOffset: Int64, logEndOffset: Int64)
    /// The bytes handed to `append` are not a sequence of valid v2 batches.
    case invalidRecords(RecordBatchError)
    /// One append is larger than `segment.bytes` and could never fit in a segment.
    case recordBatchTooLarge(size: Int, segmentBytes: Int)
    /// A follower append whose batch does not start where the log (or the batch before it)
    /// ends: `expected` is the offset it had to start at. Kafka's
    /// `UnexpectedAppendOffsetException`; the fetcher fetches again from `expected`.
    case unexpectedAppendOffset(expected: Int64, found: Int64)
    /// The partition directory belongs to another topic (its `partition.metadata` differs).
    case inconsistentTopicId(directory: String, stored: Uuid, expected: Uuid)
    /// A file we wrote ourselves no longer parses (checkpoint, metadata, segment header).
    case malformedFile(path: String, reason: String)
    /// The path does not exist.
    case notFound(path: String)
    /// A system call failed; `errno` as the OS reported it (0 for the in-memory disk).
    case io(operation: String, path: String, errno: Int32)
    /// The log was closed; a closed log takes no more calls.
    case logClosed(directory: String)

    /// The Kafka error code for a client whose request hit this.
    public var errorCode: ErrorCode {
        switch self {
        case .offsetOutOfRange: return .offsetOutOfRange
        case .invalidRecords(let error): return error.errorCode
        case .recordBatchTooLarge: return .recordListTooLarge
        case .unexpectedAppendOffset: return .unknownServerError
        case .inconsistentTopicId: return .inconsistentTopicId
        case .malformedFile, .notFound, .io, .logClosed: return .kafkaStorageError
        }
    }

    public var description: String {
        switch self {
        case .offsetOutOfRange(let offset, let start, let end):
            return "offset \(offset) is outside the log [\(start), \(end)]"
        case .invalidRecords(let error):
            return "invalid records: \(error)"
        case .recordBatchTooLarge(let size, let segmentBytes):
            return "an append of \(size) bytes exceeds segment.bytes=\(segmentBytes)"
        case .unexpectedAppendOffset(let expected, let found):
            return "a follower append has a batch at offset \(found) where \(expected) was expected"
        case .inconsistentTopicId(let directory, let stored, let expected):
            return "\(directory) holds topic id \(stored), not \(expected)"
        case .malformedFile(let path, let reason):
            return "\(path) is malformed: \(reason)"
        case .notFound(let path):
            return "\(path) does not exist"
        case .io(let operation, let path, let errno):
            return "\(operation) \(path) failed (errno \(errno))"
        case .logClosed(let directory):
            return "the log in \(directory) is closed"
        }
    }
}
