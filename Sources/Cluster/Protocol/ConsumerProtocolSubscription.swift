// Protocol room: the consumer protocol's subscription bytes (ConsumerProtocolSubscription,
// v0-3), which every consumer sends as its JoinGroup protocol metadata. v1 adds owned
// partitions, v2 the generation they were owned in, v3 the rack id.

import NIOCore

/// What a consumer subscribes to, and what it owned in the last generation.
///
/// Carried as the `metadata` bytes of each JoinGroup protocol (one per assignor the consumer
/// offers); the leader reads everyone's to run the assignor, and the coordinator reads the
/// topics to know what a group subscribes to (OffsetDelete). Mirrors Kafka's
/// `ConsumerProtocolSubscription` and `ConsumerProtocol.serializeSubscription`.
public struct ConsumerProtocolSubscription: Equatable, Sendable {
    /// The `protocol_type` consumers put in JoinGroup.
    public static let protocolType = "consumer"
    /// The newest version we write and read.
    public static let version: Int16 = 3

    public typealias TopicPartitions = ConsumerProtocolAssignment.TopicPartitions

    public var topics: [String]
    public var userData: ByteBuffer?
    public var ownedPartitions: [TopicPartitions]
    /// -1 when unknown (before v2).
    public var generationId: Int32
    public var rackId: String?

    public init(
        topics: [String], userData: ByteBuffer? = nil, ownedPartitions: [TopicPartitions] = [],
        generationId: Int32 = -1, rackId: String? = nil
    ) {
        self.topics = topics
        self.userData = userData
        self.ownedPartitions = ownedPartitions
        self.generationId = generationId
        self.rackId = rackId
    }

    /// The bytes for JoinGroup's protocol metadata.
    public func encoded(version: Int16 = ConsumerProtocolSubscription.version) -> ByteBuffer {
        var w = WireWriter()
        w.writeInt16(max(0, version))
        w.writeArray(topics, compact: false) { w, t in w.writeString(t, compact: false) }
        w.writeNullableBytes(userData, compact: false)
        if version >= 1 { ConsumerProtocolAssignment.writeTopicPartitions(&w, ownedPartitions) }
        if version >= 2 { w.writeInt32(generationId) }
        if version >= 3 { w.writeNullableString(rackId, compact: false) }
        return w.buffer
    }

    /// Reads subscription bytes; a newer version than ours is read with our layout.
    public init(decoding bytes: ByteBuffer) throws(DecodeError) {
        var r = WireReader(bytes)
        let version = try r.readInt16("version")
        guard version >= 0 else {
            throw .invalid(field: "version", reason: "negative version \(version)")
        }
        topics = try r.readArray("topics", compact: false) { t throws(DecodeError) in
            try t.readString("topics", compact: false)
        }
        userData = try r.readNullableBytes("user_data", compact: false)
        ownedPartitions =
            version >= 1
            ? try ConsumerProtocolAssignment.readTopicPartitions(&r, "owned_partitions") : []
        generationId = version >= 2 ? try r.readInt32("generation_id") : -1
        rackId = version >= 3 ? try r.readNullableString("rack_id", compact: false) : nil
    }

    /// Only the subscribed topics, read with the v0 layout every version begins with, as
    /// Kafka's coordinator does so it depends on no particular version.
    public static func topics(in bytes: ByteBuffer) throws(DecodeError) -> [String] {
        var r = WireReader(bytes)
        let version = try r.readInt16("version")
        guard version >= 0 else {
            throw .invalid(field: "version", reason: "negative version \(version)")
        }
        return try r.readArray("topics", compact: false) { t throws(DecodeError) in
            try t.readString("topics", compact: false)
        }
    }
}
