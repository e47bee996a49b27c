// Protocol room: a topic name and partition number, as Kafka's `TopicPartition`: the key of
// client state and checkpoint files, and the name of a partition's directory (`<topic>-<partition>`).

/// A partition of a topic, as Kafka's `TopicPartition`.
public struct TopicPartition: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var topic: String
    public var partition: Int32

    public init(_ topic: String, _ partition: Int32) {
        self.init(topic: topic, partition: partition)
    }

    public init(topic: String, partition: Int32) {
        self.topic = topic
        self.partition = partition
    }

    /// `orders-0`: the partition's directory name under a node's log directory.
    public var directoryName: String { "\(topic)-\(partition)" }
    public var description: String { directoryName }

    /// Parses a directory name; the partition follows the last `-`, since topic names may
    /// contain dashes themselves.
    public init?(directoryName: String) {
        guard let dash = directoryName.lastIndex(of: "-") else { return nil }
        let topic = String(directoryName[..<dash])
        let number = directoryName[directoryName.index(after: dash)...]
        guard !topic.isEmpty, number.allSatisfy({ $0 >= "0" && $0 <= "9" }),
            let partition = Int32(number)
        else { return nil }
        self.init(topic: topic, partition: partition)
    }

    public static func < (a: TopicPartition, b: TopicPartition) -> Bool {
        (a.topic, a.partition) < (b.topic, b.partition)
    }
}
