// Storage room: what an append did, for the produce response (base offset, LogAppendTime)
// and for the broker's bookkeeping (last offset, epoch, producers, roll, flush).

/// The outcome of `PartitionLog.append` and `PartitionLog.appendAsFollower`.
///
/// Mirrors Kafka's `LogAppendInfo`: `firstOffset` is the produce response's `base_offset`
/// and `logAppendTime` its `log_append_time_ms` (-1 unless the topic stamps LogAppendTime).
public struct AppendInfo: Equatable, Sendable {
    /// The offset given to the first record; equals `lastOffset + 1` for an empty append.
    public var firstOffset: Int64
    public var lastOffset: Int64
    /// The broker's stamp under `message.timestamp.type=LogAppendTime`, else -1.
    public var logAppendTime: Int64
    /// The largest batch max-timestamp appended (after any LogAppendTime stamp).
    public var maxTimestamp: Int64
    public var batchCount: Int
    public var recordCount: Int
    public var sizeInBytes: Int
    /// Whether a new segment was rolled before these batches were written.
    public var rolled: Bool
    /// Whether the append triggered an fsync (`flush.messages` or `flush.ms`).
    public var flushed: Bool
    /// The partition leader epoch of the last batch appended; -1 when there was none
    /// (Kafka's `LogAppendInfo.lastLeaderEpoch`).
    public var lastLeaderEpoch: Int32 = -1
    /// The headers (as stored, offsets assigned) of the batches written by an idempotent or
    /// transactional producer (producer id 0 or above), in order, so the caller can bring its
    /// producer state up to date; a follower rebuilds it from these.
    public var producerBatches: [RecordBatchHeader] = []
}
