// Client room: a topic as `kafka-topics.sh --describe` shows it: id, and per partition the
// leader, replicas and in-sync replicas, read from a Metadata response.

/// One topic's layout. `errorCode` is UNKNOWN_TOPIC_OR_PARTITION (and no partitions) for a
/// topic that does not exist. Mirrors Kafka's `TopicDescription`.
public struct TopicDescription: Sendable, Equatable {
    public var name: String
    public var topicId: Uuid
    public var isInternal: Bool
    public var partitions: [MetadataCache.Partition]
    public var errorCode: ErrorCode

    public init(
        name: String, topicId: Uuid = .zero, isInternal: Bool = false,
        partitions: [MetadataCache.Partition] = [], errorCode: ErrorCode = .none
    ) {
        self.name = name
        self.topicId = topicId
        self.isInternal = isInternal
        self.partitions = partitions
        self.errorCode = errorCode
    }
}
