// Groups room: the key of an offset commit record in __consumer_offsets (OffsetCommitKey,
// key versions 0-1, same layout; we write 1 as Kafka 3.x/4.x do).

/// Which committed offset a `__consumer_offsets` record is about: group, topic, partition.
///
/// On disk: int16 key version, then the fields. A later record with the same key replaces
/// the earlier one (the topic is compacted); a null value deletes it. Mirrors Kafka's
/// `OffsetCommitKey`.
public struct OffsetCommitKey: Hashable, Comparable, Sendable, CustomStringConvertible {
    public static let keyVersion: Int16 = 1

    public var group: String
    public var topic: String
    public var partition: Int32

    public init(group: String, topic: String, partition: Int32) {
        self.group = group
        self.topic = topic
        self.partition = partition
    }

    public static func < (a: OffsetCommitKey, b: OffsetCommitKey) -> Bool {
        (a.group, a.topic, a.partition) < (b.group, b.topic, b.partition)
    }

    public var description: String { "\(group)/\(topic)-\(partition)" }

    func encode(to w: inout WireWriter) {
        w.writeInt16(Self.keyVersion)
        w.writeString(group, compact: false)
        w.writeString(topic, compact: false)
        w.writeInt32(partition)
    }

    /// Reads the fields after the key version (0 or 1).
    init(from r: inout WireReader) throws(DecodeError) {
        group = try r.readString("group", compact: false)
        topic = try r.readString("topic", compact: false)
        partition = try r.readInt32("partition")
    }
}
