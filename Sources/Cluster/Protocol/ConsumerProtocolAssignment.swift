// Protocol room: the consumer protocol's assignment bytes (ConsumerProtocolAssignment, v0-3),
// which the group leader puts in SyncGroup and every member gets back. Opaque to the broker.

import NIOCore

/// The partitions one consumer is assigned, as the leader's assignor decided.
///
/// Carried as bytes inside SyncGroup: an int16 version, then the fields. All versions share one
/// layout (v1-3 exist only to follow the subscription's version). Mirrors Kafka's
/// `ConsumerProtocolAssignment` and `ConsumerProtocol.serializeAssignment`.
public struct ConsumerProtocolAssignment: Equatable, Sendable {
    /// The newest version we write and read.
    public static let version: Int16 = 3

    /// A topic and some of its partition indexes.
    public struct TopicPartitions: Equatable, Sendable {
        public var topic: String
        public var partitions: [Int32]
        public init(topic: String, partitions: [Int32]) {
            self.topic = topic
            self.partitions = partitions
        }
    }

    public var assignedPartitions: [TopicPartitions]
    public var userData: ByteBuffer?

    public init(assignedPartitions: [TopicPartitions], userData: ByteBuffer? = nil) {
        self.assignedPartitions = assignedPartitions
        self.userData = userData
    }

    /// The bytes for SyncGroup. Empty bytes mean "no assignment" to Kafka's consumer, so an
    /// empty assignment is still written out in full.
    public func encoded(version: Int16 = ConsumerProtocolAssignment.version) -> ByteBuffer {
        var w = WireWriter()
        w.writeInt16(max(0, version))
        Self.writeTopicPartitions(&w, assignedPartitions)
        w.writeNullableBytes(userData, compact: false)
        return w.buffer
    }

    /// Reads assignment bytes. A newer version than ours is read with our layout, as Kafka
    /// does (new versions only append fields).
    public init(decoding bytes: ByteBuffer) throws(DecodeError) {
        var r = WireReader(bytes)
        let version = try r.readInt16("version")
        guard version >= 0 else {
            throw .invalid(field: "version", reason: "negative version \(version)")
        }
        assignedPartitions = try Self.readTopicPartitions(&r, "assigned_partitions")
        userData = try r.readNullableBytes("user_data", compact: false)
    }

    static func writeTopicPartitions(_ w: inout WireWriter, _ items: [TopicPartitions]) {
        w.writeArray(items, compact: false) { w, tp in
            w.writeString(tp.topic, compact: false)
            w.writeArray(tp.partitions, compact: false) { w, p in w.writeInt32(p) }
        }
    }

    static func readTopicPartitions(
        _ r: inout WireReader, _ field: String
    ) throws(DecodeError) -> [TopicPartitions] {
        try r.readArray(field, compact: false) { e throws(DecodeError) in
            let topic = try e.readString("topic", compact: false)
            let partitions = try e.readArray("partitions", compact: false) {
                p throws(DecodeError) in
                try p.readInt32("partitions")
            }
            return TopicPartitions(topic: topic, partitions: partitions)
        }
    }
}
