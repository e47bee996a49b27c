// Storage room: a topic's log settings (segment size and age, retention, index spacing,
// flush policy, timestamp type), with Kafka's defaults.

/// The per-topic settings a `PartitionLog` follows.
///
/// Mirrors Kafka's `LogConfig`: the same defaults, and the same dotted names in
/// `LogConfig.keys`, so a learner who sets `segment.bytes` here sets what Kafka's docs
/// describe. Spans stay in milliseconds because Kafka's settings are `*.ms` numbers.
public struct LogConfig: Equatable, Sendable {
    /// `segment.bytes`: roll to a new segment before a segment's log file would exceed this.
    public var segmentBytes: Int = 1_073_741_824
    /// `segment.ms`: roll once the active segment's data spans this long.
    public var segmentMs: Int64 = 604_800_000
    /// `retention.ms`: delete a closed segment once its newest record is older (-1: never).
    public var retentionMs: Int64 = 604_800_000
    /// `retention.bytes`: delete the oldest closed segments while the log is larger (-1: no cap).
    public var retentionBytes: Int64 = -1
    /// `index.interval.bytes`: log bytes between two offset-index entries.
    public var indexIntervalBytes: Int = 4096
    /// `segment.index.bytes`: the largest `.index` or `.timeindex` file; a full one rolls.
    public var segmentIndexBytes: Int = 10_485_760
    /// `flush.messages`: fsync after this many unflushed records (Kafka leaves it to the OS).
    public var flushMessages: Int64 = .max
    /// `flush.ms`: fsync when the last flush is older than this.
    public var flushMs: Int64 = .max
    /// `message.timestamp.type`: keep the producer's CreateTime, or stamp LogAppendTime.
    public var messageTimestampType: TimestampType = .createTime
    /// `max.message.bytes`: the largest record batch the log accepts.
    public var maxMessageBytes: Int = 1_048_588

    public init() {}

    /// Kafka's defaults.
    public static let `default` = LogConfig()

    /// Entries an offset index of `segmentIndexBytes` holds (8 bytes each).
    public var offsetIndexEntriesMax: Int { max(segmentIndexBytes, 0) / OffsetIndex.entrySize }
    /// Entries a time index of `segmentIndexBytes` holds (12 bytes each).
    public var timeIndexEntriesMax: Int { max(segmentIndexBytes, 0) / TimeIndex.entrySize }
}
