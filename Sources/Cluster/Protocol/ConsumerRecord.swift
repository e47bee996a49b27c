// Protocol room: a record as a consumer sees it, with absolute offset and timestamp worked
// out from its batch. Produced by RecordBatchDecoder; shown by the REPL and checked by tests.

/// One decoded record with the batch's context applied.
///
/// A `Record` on the wire holds only deltas; this is what they mean: `offset` is the batch's
/// `baseOffset + offsetDelta`, and `timestamp` is `baseTimestamp + timestampDelta` for
/// CreateTime batches, or the batch's `maxTimestamp` for every record of a LogAppendTime batch
/// (the broker stamps the batch, not each record). Mirrors Kafka's `ConsumerRecord`, without
/// the topic and partition, which the fetch response carries around it.
public struct ConsumerRecord: Equatable, Sendable {
    public var offset: Int64
    public var timestamp: Int64
    public var timestampType: TimestampType
    public var key: [UInt8]?
    public var value: [UInt8]?
    public var headers: [RecordHeader]
    /// The partition leader epoch stamped on the record's batch; nil when it is -1 (unknown).
    public var leaderEpoch: Int32?

    public init(
        offset: Int64, timestamp: Int64, timestampType: TimestampType,
        key: [UInt8]?, value: [UInt8]?, headers: [RecordHeader] = [], leaderEpoch: Int32? = nil
    ) {
        self.offset = offset
        self.timestamp = timestamp
        self.timestampType = timestampType
        self.key = key
        self.value = value
        self.headers = headers
        self.leaderEpoch = leaderEpoch
    }
}
