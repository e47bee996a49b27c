// Protocol room: ListOffsets (key 2), versions 1-9, flexible from v6. "Which offset belongs
// to this timestamp?", and the special timestamps for the earliest and latest offsets.
//
// v1: one offset per partition, with its timestamp (v0's offset arrays are gone).
// v2: isolation_level; throttle_time_ms in the response.  v3: same as v2.
// v4: current_leader_epoch; leader_epoch in the response (KIP-320).  v5: may return
// OFFSET_NOT_AVAILABLE.  v6: flexible.  v7: timestamp -3 asks for the max timestamp (KIP-734).
// v8: -4, the local log start (KIP-405).  v9: -5, the last tiered offset (KIP-1005).

/// "Give me the offset for this timestamp in each partition." Mirrors `ListOffsetsRequestData`.
public struct ListOffsetsRequest: KafkaRequest, Equatable {
    public typealias Response = ListOffsetsResponse
    public static let apiKey = ApiKey.listOffsets
    public static let versions: ClosedRange<Int16> = 1...9
    public static let firstFlexibleVersion: Int16? = 6

    /// The log end offset (the offset the next record will get): Kafka's `LATEST_TIMESTAMP`.
    public static let latestTimestamp: Int64 = -1
    /// The log start offset: Kafka's `EARLIEST_TIMESTAMP`.
    public static let earliestTimestamp: Int64 = -2
    /// The offset of the record with the largest timestamp, v7+: `MAX_TIMESTAMP`.
    public static let maxTimestamp: Int64 = -3

    /// Kafka's `ListOffsetsPartition`.
    public struct Partition: Equatable, Sendable {
        public var partitionIndex: Int32
        /// v4+; -1 when the client does not know it.
        public var currentLeaderEpoch: Int32
        /// A time in milliseconds, or one of the special timestamps above.
        public var timestamp: Int64

        public init(
            partitionIndex: Int32, currentLeaderEpoch: Int32 = -1,
            timestamp: Int64 = ListOffsetsRequest.latestTimestamp
        ) {
            self.partitionIndex = partitionIndex
            self.currentLeaderEpoch = currentLeaderEpoch
            self.timestamp = timestamp
        }
    }

    /// Kafka's `ListOffsetsTopic`.
    public struct Topic: Equatable, Sendable {
        public var name: String
        public var partitions: [Partition]

        public init(name: String, partitions: [Partition] = []) {
            self.name = name
            self.partitions = partitions
        }
    }

    /// The requesting broker, or -1 for a client.
    public var replicaId: Int32
    /// v2+: 0 READ_UNCOMMITTED (up to the high watermark), 1 READ_COMMITTED (up to the LSO).
    public var isolationLevel: Int8
    public var topics: [Topic]

    public init(replicaId: Int32 = -1, isolationLevel: Int8 = 0, topics: [Topic] = []) {
        self.replicaId = replicaId
        self.isolationLevel = isolationLevel
        self.topics = topics
    }

    public init(from reader: inout WireReader, version: Int16) throws(DecodeError) {
        let flexible = Self.isFlexible(version)
        replicaId = try reader.readInt32("replica_id")
        isolationLevel = version >= 2 ? try reader.readInt8("isolation_level") : 0
        topics = try reader.readArray("topics", compact: flexible) { r throws(DecodeError) in
            let name = try r.readString("name", compact: flexible)
            let partitions = try r.readArray("partitions", compact: flexible) {
                p throws(DecodeError) in
                let index = try p.readInt32("partition_index")
                let epoch = version >= 4 ? try p.readInt32("current_leader_epoch") : -1
                let timestamp = try p.readInt64("timestamp")
                if flexible { try p.readTaggedFields("partitions") }
                return Partition(
                    partitionIndex: index, currentLeaderEpoch: epoch, timestamp: timestamp)
            }
            if flexible { try r.readTaggedFields("topics") }
            return Topic(name: name, partitions: partitions)
        }
        if flexible { try reader.readTaggedFields("ListOffsetsRequest") }
    }

    public func encode(to writer: inout WireWriter, version: Int16) {
        let flexible = Self.isFlexible(version)
        writer.writeInt32(replicaId)
        if version >= 2 { writer.writeInt8(isolationLevel) }
        writer.writeArray(topics, compact: flexible) { w, t in
            w.writeString(t.name, compact: flexible)
            w.writeArray(t.partitions, compact: flexible) { w, p in
                w.writeInt32(p.partitionIndex)
                if version >= 4 { w.writeInt32(p.currentLeaderEpoch) }
                w.writeInt64(p.timestamp)
                if flexible { w.writeTaggedFields() }
            }
            if flexible { w.writeTaggedFields() }
        }
        if flexible { writer.writeTaggedFields() }
    }
}

/// The offset found for each partition. Mirrors Kafka's `ListOffsetsResponseData`.
public struct ListOffsetsResponse: KafkaResponse, Equatable {
    /// Kafka's `ListOffsetsPartitionResponse`.
    public struct Partition: Equatable, Sendable {
        public var partitionIndex: Int32
        public var errorCode: ErrorCode
        /// The timestamp of the record at `offset`, or -1.
        public var timestamp: Int64
        public var offset: Int64
        /// v4+.
        public var leaderEpoch: Int32

        public init(
            partitionIndex: Int32, errorCode: ErrorCode = .none, timestamp: Int64 = -1,
            offset: Int64 = -1, leaderEpoch: Int32 = -1
        ) {
            self.partitionIndex = partitionIndex
            self.errorCode = errorCode
            self.timestamp = timestamp
            self.offset = offset
            self.leaderEpoch = leaderEpoch
        }
    }

    /// Kafka's `ListOffsetsTopicResponse`.
    public struct Topic: Equatable, Sendable {
        public var name: String
        public var partitions: [Partition]

        public init(name: String, partitions: [Partition] = []) {
            self.name = name
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
        let flexible = ListOffsetsRequest.isFlexible(version)
        throttleTimeMs = version >= 2 ? try reader.readInt32("throttle_time_ms") : 0
        topics = try reader.readArray("topics", compact: flexible) { r throws(DecodeError) in
            let name = try r.readString("name", compact: flexible)
            let partitions = try r.readArray("partitions", compact: flexible) {
                p throws(DecodeError) in
                let index = try p.readInt32("partition_index")
                let errorCode = ErrorCode(rawValue: try p.readInt16("error_code"))
                let timestamp = try p.readInt64("timestamp")
                let offset = try p.readInt64("offset")
                let epoch = version >= 4 ? try p.readInt32("leader_epoch") : -1
                if flexible { try p.readTaggedFields("partitions") }
                return Partition(
                    partitionIndex: index, errorCode: errorCode, timestamp: timestamp,
                    offset: offset, leaderEpoch: epoch)
            }
            if flexible { try r.readTaggedFields("topics") }
            return Topic(name: name, partitions: partitions)
        }
        if flexible { try reader.readTaggedFields("ListOffsetsResponse") }
    }

    public func encode(to writer: inout WireWriter, version: Int16) {
        let flexible = ListOffsetsRequest.isFlexible(version)
        if version >= 2 { writer.writeInt32(throttleTimeMs) }
        writer.writeArray(topics, compact: flexible) { w, t in
            w.writeString(t.name, compact: flexible)
            w.writeArray(t.partitions, compact: flexible) { w, p in
                w.writeInt32(p.partitionIndex)
                w.writeInt16(p.errorCode.rawValue)
                w.writeInt64(p.timestamp)
                w.writeInt64(p.offset)
                if version >= 4 { w.writeInt32(p.leaderEpoch) }
                if flexible { w.writeTaggedFields() }
            }
            if flexible { w.writeTaggedFields() }
        }
        if flexible { writer.writeTaggedFields() }
    }
}
