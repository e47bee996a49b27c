// Client room: a topic to create, as Admin.createTopics takes it: name, partitions,
// replication factor and topic-level configs.

/// A topic to create. -1 partitions or replication factor means the broker's default
/// (`num.partitions`, `default.replication.factor`; CreateTopics v4+, KIP-464). Mirrors
/// Kafka's `NewTopic`.
public struct NewTopic: Sendable, Equatable {
    public var name: String
    public var numPartitions: Int32
    public var replicationFactor: Int16
    /// Topic configs such as `cleanup.policy` or `retention.ms`.
    public var configs: [String: String]

    public init(
        name: String, numPartitions: Int32 = -1, replicationFactor: Int16 = -1,
        configs: [String: String] = [:]
    ) {
        self.name = name
        self.numPartitions = numPartitions
        self.replicationFactor = replicationFactor
        self.configs = configs
    }
}
