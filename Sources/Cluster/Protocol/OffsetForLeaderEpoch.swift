// Protocol room: OffsetForLeaderEpoch (key 23), versions 0-4, flexible from v4. "Where did
// this leader epoch end in your log?", asked of a partition's leader by followers (KIP-101)
// and, after a leader change, by consumers checking their position (KIP-320).
//
// v0: epoch and end offset per partition.  v1: leader_epoch in the response (the largest
// epoch at or below the one asked about; KIP-279).  v2: current_leader_epoch for fencing;
// throttle_time_ms in the response.  v3: replica_id, so a consumer needs only topic DESCRIBE
// (absent, it reads as -2, "debug").  v4: flexible.

/// "Where did each of these leader epochs end?" Mirrors `OffsetForLeaderEpochRequestData`.
public struct OffsetForLeaderEpochRequest: KafkaRequest, Equatable {
    public typealias Response = OffsetForLeaderEpochResponse
    public static let apiKey = ApiKey.offsetForLeaderEpoch
    public static let versions: ClosedRange<Int16> = 0...4
    public static let firstFlexibleVersion: Int16? = 4

    /// `replica_id` of a consumer: Kafka's `CONSUMER_REPLICA_ID`.
    public static let consumerReplicaId: Int32 = -1
    /// `replica_id` of a debugging client, and what v0-2 read as (the schema's default):
    /// Kafka's `DEBUGGING_REPLICA_ID`.
    public static let debuggingReplicaId: Int32 = -2

    /// Kafka's `OffsetForLeaderPartition`.
    public struct Partition: Equatable, Sendable {
        public var partition: Int32
        /// v2+: the leader epoch the client believes current, checked as Fetch checks it
        /// (FENCED_LEADER_EPOCH when older, UNKNOWN_LEADER_EPOCH when newer); -1 skips it.
        public var currentLeaderEpoch: Int32
        /// The epoch to find the end of.
        public var leaderEpoch: Int32

        public init(partition: Int32, currentLeaderEpoch: Int32 = -1, leaderEpoch: Int32) {
            self.partition = partition
            self.currentLeaderEpoch = currentLeaderEpoch
            self.leaderEpoch = leaderEpoch
        }
    }

    /// Kafka's `OffsetForLeaderTopic`.
    public struct Topic: Equatable, Sendable {
        public var topic: String
        public var partitions: [Partition]

        public init(topic: String, partitions: [Partition] = []) {
            self.topic = topic
            self.partitions = partitions
        }
    }

    /// v3+: the follower's broker id, -1 for a consumer; -2 when not sent.
    public var replicaId: Int32
    public var topics: [Topic]

    public init(replicaId: Int32 = debuggingReplicaId, topics: [Topic] = []) {
        self.replicaId = replicaId
        self.topics = topics
    }

    public init(from reader: inout WireReader, version: Int16) throws(DecodeError) {
        let flexible = Self.isFlexible(version)
        replicaId = version >= 3 ? try reader.readInt32("replica_id") : Self.debuggingReplicaId
        topics = try reader.readArray("topics", compact: flexible) { r throws(DecodeError) in
            let topic = try r.readString("topic", compact: flexible)
            let partitions = try r.readArray("partitions", compact: flexible) {
                p throws(DecodeError) in
                let partition = try p.readInt32("partition")
                let current = version >= 2 ? try p.readInt32("current_leader_epoch") : -1
                let epoch = try p.readInt32("leader_epoch")
                if flexible { try p.readTaggedFields("partitions") }
                return Partition(
                    partition: partition, currentLeaderEpoch: current, leaderEpoch: epoch)
            }
            if flexible { try r.readTaggedFields("topics") }
            return Topic(topic: topic, partitions: partitions)
        }
        if flexible { try reader.readTaggedFields("OffsetForLeaderEpochRequest") }
    }

    public func encode(to writer: inout WireWriter, version: Int16) {
        let flexible = Self.isFlexible(version)
        if version >= 3 { writer.writeInt32(replicaId) }
        writer.writeArray(topics, compact: flexible) { w, t in
            w.writeString(t.topic, compact: flexible)
            w.writeArray(t.partitions, compact: flexible) { w, p in
                w.writeInt32(p.partition)
                if version >= 2 { w.writeInt32(p.currentLeaderEpoch) }
                w.writeInt32(p.leaderEpoch)
                if flexible { w.writeTaggedFields() }
            }
            if flexible { w.writeTaggedFields() }
        }
        if flexible { writer.writeTaggedFields() }
    }
}

/// Where each asked-about epoch ended. Mirrors Kafka's `OffsetForLeaderEpochResponseData`.
public struct OffsetForLeaderEpochResponse: KafkaResponse, Equatable {
    /// Kafka's `EpochEndOffset`. On the wire the error code comes before the partition,
    /// unlike most responses. An epoch the leader cannot place is answered with no error and
    /// the undefined pair (-1, -1).
    public struct EpochEndOffset: Equatable, Sendable {
        public var errorCode: ErrorCode
        public var partition: Int32
        /// v1+: the largest epoch at or below the one asked about; -1 when undefined.
        public var leaderEpoch: Int32
        /// Where that epoch ended (the next epoch's start, or the log end offset for the
        /// latest); -1 when undefined.
        public var endOffset: Int64

        public init(
            errorCode: ErrorCode = .none, partition: Int32, leaderEpoch: Int32 = -1,
            endOffset: Int64 = -1
        ) {
            self.errorCode = errorCode
            self.partition = partition
            self.leaderEpoch = leaderEpoch
            self.endOffset = endOffset
        }
    }

    /// Kafka's `OffsetForLeaderTopicResult`.
    public struct Topic: Equatable, Sendable {
        public var topic: String
        public var partitions: [EpochEndOffset]

        public init(topic: String, partitions: [EpochEndOffset] = []) {
            self.topic = topic
            self.partitions = partitions
        }
    }

    /// v2+.
    public var throttleTimeMs: Int32
    public var topics: [Topic]

    public init(throttleTimeMs: Int32 = 0, topics: [Topic] = []) {
        self.throttleTimeMs = throttleTimeMs
        self.topics = topics
    }

    public init(from reader: inout WireReader, version: Int16) throws(DecodeError) {
        let flexible = OffsetForLeaderEpochRequest.isFlexible(version)
        throttleTimeMs = version >= 2 ? try reader.readInt32("throttle_time_ms") : 0
        topics = try reader.readArray("topics", compact: flexible) { r throws(DecodeError) in
            let topic = try r.readString("topic", compact: flexible)
            let partitions = try r.readArray("partitions", compact: flexible) {
                p throws(DecodeError) in
                let errorCode = ErrorCode(rawValue: try p.readInt16("error_code"))
                let partition = try p.readInt32("partition")
                let epoch = version >= 1 ? try p.readInt32("leader_epoch") : -1
                let endOffset = try p.readInt64("end_offset")
                if flexible { try p.readTaggedFields("partitions") }
                return EpochEndOffset(
                    errorCode: errorCode, partition: partition, leaderEpoch: epoch,
                    endOffset: endOffset)
            }
            if flexible { try r.readTaggedFields("topics") }
            return Topic(topic: topic, partitions: partitions)
        }
        if flexible { try reader.readTaggedFields("OffsetForLeaderEpochResponse") }
    }

    public func encode(to writer: inout WireWriter, version: Int16) {
        let flexible = OffsetForLeaderEpochRequest.isFlexible(version)
        if version >= 2 { writer.writeInt32(throttleTimeMs) }
        writer.writeArray(topics, compact: flexible) { w, t in
            w.writeString(t.topic, compact: flexible)
            w.writeArray(t.partitions, compact: flexible) { w, p in
                w.writeInt16(p.errorCode.rawValue)
                w.writeInt32(p.partition)
                if version >= 1 { w.writeInt32(p.leaderEpoch) }
                w.writeInt64(p.endOffset)
                if flexible { w.writeTaggedFields() }
            }
            if flexible { w.writeTaggedFields() }
        }
        if flexible { writer.writeTaggedFields() }
    }
}
