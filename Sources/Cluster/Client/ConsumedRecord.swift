// Client room: a record as the consumer hands it over: where it came from (topic,
// partition, offset), its timestamp and its key, value and headers.

/// One consumed record. Mirrors Kafka's `ConsumerRecord`.
public struct ConsumedRecord: Sendable, Equatable {
    public var topic: String
    public var partition: Int32
    public var offset: Int64
    public var timestamp: Int64
    public var timestampType: TimestampType
    public var key: [UInt8]?
    public var value: [UInt8]?
    public var headers: [RecordHeader]
    /// The leader epoch of the batch, when the broker stamped one.
    public var leaderEpoch: Int32?

    public init(
        topic: String, partition: Int32, offset: Int64, timestamp: Int64,
        timestampType: TimestampType, key: [UInt8]?, value: [UInt8]?,
        headers: [RecordHeader] = [], leaderEpoch: Int32? = nil
    ) {
        self.topic = topic
        self.partition = partition
        self.offset = offset
        self.timestamp = timestamp
        self.timestampType = timestampType
        self.key = key
        self.value = value
        self.headers = headers
        self.leaderEpoch = leaderEpoch
    }

    init(_ record: ConsumerRecord, in tp: TopicPartition) {
        self.init(
            topic: tp.topic, partition: tp.partition, offset: record.offset,
            timestamp: record.timestamp, timestampType: record.timestampType, key: record.key,
            value: record.value, headers: record.headers, leaderEpoch: record.leaderEpoch)
    }

    public var topicPartition: TopicPartition { TopicPartition(topic, partition) }
}
