// Client room: one partition's answer to ListOffsets: the offset found and the timestamp of
// its record, or the error the leader gave.

/// An offset found by ListOffsets. `offset` and `timestamp` are -1 when no record matches a
/// timestamp spec (Kafka's `offsetsForTimes` returns null there). Mirrors Kafka's
/// `ListOffsetsResultInfo`.
public struct ListedOffset: Sendable, Equatable {
    public var partition: Int32
    public var offset: Int64
    public var timestamp: Int64
    /// -1 when the broker did not say (ListOffsets before v4).
    public var leaderEpoch: Int32
    public var errorCode: ErrorCode

    public init(
        partition: Int32, offset: Int64, timestamp: Int64 = -1, leaderEpoch: Int32 = -1,
        errorCode: ErrorCode = .none
    ) {
        self.partition = partition
        self.offset = offset
        self.timestamp = timestamp
        self.leaderEpoch = leaderEpoch
        self.errorCode = errorCode
    }
}
