// Client room: where a consumer's position can be moved: the start or end of the log, an
// offset, or the first record at or after a time.

/// A new position for `Consumer.seek`. Mirrors `seekToBeginning`, `seekToEnd`, `seek` and
/// `offsetsForTimes` + `seek` of Kafka's consumer.
public enum SeekTarget: Sendable, Equatable {
    case earliest
    case latest
    case offset(Int64)
    /// ms since the epoch; with no record that late, the end of the log.
    case timestamp(Int64)
}
