// Client room: what a producer learns about a record once its batch is acknowledged: where it
// landed (partition, offset) and its timestamp.

/// The acknowledged position of a produced record. Mirrors Kafka's `RecordMetadata`.
public struct RecordMetadata: Sendable, Equatable {
    public var topic: String
    public var partition: Int32
    /// -1 under acks=0, where the broker says nothing.
    public var offset: Int64
    /// The broker's LogAppendTime for such topics, otherwise the record's CreateTime.
    public var timestamp: Int64
    /// Why the record went to `partition`.
    public var partitionChoice: PartitionChoice

    public init(
        topic: String, partition: Int32, offset: Int64, timestamp: Int64,
        partitionChoice: PartitionChoice
    ) {
        self.topic = topic
        self.partition = partition
        self.offset = offset
        self.timestamp = timestamp
        self.partitionChoice = partitionChoice
    }

    public var topicPartition: TopicPartition { TopicPartition(topic, partition) }
}
