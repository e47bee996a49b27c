// Storage room: what opening a partition log found and did: segments loaded, validated and
// cut, files removed. The broker turns it into an event the learner can read.

/// The outcome of `PartitionLog.open` for one partition.
///
/// After an unclean shutdown Kafka's `LogLoader` validates every batch past the recovery
/// point and truncates at the first invalid byte; this says where that happened and what
/// was lost, so a torn tail is an event, never a failure to start.
public struct RecoveryReport: Equatable, Sendable {
    /// Where recovery cut a segment, and why.
    public struct Truncation: Equatable, Sendable {
        public var segmentBaseOffset: Int64
        public var position: Int
        public var reason: String
    }

    public var directory: String
    public var openedAt: Instant
    /// The recovery point the caller passed (nil: unknown, so every segment was validated).
    public var recoveryPoint: Int64?
    public var segmentsLoaded = 0
    /// Base offsets of the segments whose batches were validated (CRC) and indexes rebuilt.
    public var recoveredSegments: [Int64] = []
    /// Bytes whose batches were validated.
    public var validatedBytes: Int64 = 0
    /// Bytes cut from the tail of a segment, plus the bytes of segments deleted after it.
    public var truncatedBytes: Int64 = 0
    /// Batches, whole or torn, in the bytes cut.
    public var truncatedBatches = 0
    public var truncation: Truncation?
    /// Segments deleted because an earlier one was cut, or all of them when the log start
    /// offset was past the end of the data.
    public var deletedSegments: [Int64] = []
    /// Leftover files removed: `.tmp`, `.deleted`, and indexes without a `.log`.
    public var removedFiles: [String] = []
    /// Whether `partition.metadata` was written (new, or unreadable before).
    public var wrotePartitionMetadata = false
    /// Whether the leader-epoch cache was rebuilt from the batch headers because its
    /// checkpoint was missing, unreadable or disagreed with the log.
    public var rebuiltLeaderEpochCache = false
    public var logStartOffset: Int64 = 0
    public var logEndOffset: Int64 = 0
    /// The high watermark after clamping the checkpointed one into the log.
    public var highWatermark: Int64 = 0

    public init(directory: String, openedAt: Instant, recoveryPoint: Int64?) {
        self.directory = directory
        self.openedAt = openedAt
        self.recoveryPoint = recoveryPoint
    }

    /// True when nothing had to be validated: a clean restart.
    public var wasClean: Bool { recoveredSegments.isEmpty }
}
