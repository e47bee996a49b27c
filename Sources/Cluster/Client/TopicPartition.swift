// Client room: the name of one partition of one topic, the unit every producer batch,
// fetch position and listed offset belongs to.

/// A topic name and a partition index. Mirrors Kafka's `TopicPartition`, printed the way
/// Kafka prints it (`orders-2`).
public struct TopicPartition: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var topic: String
    public var partition: Int32

    public init(_ topic: String, _ partition: Int32) {
        self.topic = topic
        self.partition = partition
    }

    public init(topic: String, partition: Int32) {
        self.init(topic, partition)
    }

    public static func < (a: TopicPartition, b: TopicPartition) -> Bool {
        (a.topic, a.partition) < (b.topic, b.partition)
    }

    public var description: String { "\(topic)-\(partition)" }
}
