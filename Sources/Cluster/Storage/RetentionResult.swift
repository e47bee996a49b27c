// Storage room: which segments retention deleted and why, for the broker's events and the
// REPL's teaching notes.

/// The outcome of `PartitionLog.applyRetention`.
public struct RetentionResult: Equatable, Sendable {
    /// Why a segment went: Kafka's three deletion rules in `UnifiedLog.deleteOldSegments`.
    public enum Reason: String, Equatable, Sendable {
        case retentionMs = "retention.ms"
        case retentionBytes = "retention.bytes"
        case logStartOffset = "log start offset"
    }

    public struct Deleted: Equatable, Sendable {
        public var segment: SegmentInfo
        public var reason: Reason
    }

    public var deleted: [Deleted] = []
    public var logStartOffset: Int64

    public var deletedBytes: Int { deleted.reduce(0) { $0 + $1.segment.sizeInBytes } }
}
