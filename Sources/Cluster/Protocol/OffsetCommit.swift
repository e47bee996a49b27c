// Protocol room: OffsetCommit (key 8), versions 2-9 advertised (Kafka 4.0 removed 0-1, KIP-896;
// the codec still reads them). v1 adds generation and member id; v2-4 carry retention_time_ms;
// v3 adds throttle time; v6 the leader epoch; v7 group_instance_id; v8 is flexible; v9 may answer
// GROUP_ID_NOT_FOUND.

/// A consumer records how far it has read: one offset per partition, stored by the group
/// coordinator in `__consumer_offsets`.
///
/// Mirrors `OffsetCommitRequest`. A commit with generation -1 and no member id is a "simple"
/// commit, allowed only while the group has no members.
public struct OffsetCommitRequest: KafkaRequest, Equatable {
    public typealias Response = OffsetCommitResponse
    public static let apiKey = ApiKey.offsetCommit
    public static let versions: ClosedRange<Int16> = 2...9
    public static let firstFlexibleVersion: Int16? = 8

    public struct Partition: Equatable, Sendable {
        public var partitionIndex: Int32
        public var committedOffset: Int64
        public var committedLeaderEpoch: Int32
        /// Only in v1; -1 otherwise.
        public var commitTimestamp: Int64
        public var committedMetadata: String?
        public init(
            partitionIndex: Int32, committedOffset: Int64, committedLeaderEpoch: Int32 = -1,
            commitTimestamp: Int64 = -1, committedMetadata: String? = nil
        ) {
            self.partitionIndex = partitionIndex
            self.committedOffset = committedOffset
            self.committedLeaderEpoch = committedLeaderEpoch
            self.commitTimestamp = commitTimestamp
            self.committedMetadata = committedMetadata
        }
    }

    public struct Topic: Equatable, Sendable {
        public var name: String
        public var partitions: [Partition]
        public init(name: String, partitions: [Partition]) {
            self.name = name
            self.partitions = partitions
        }
    }

    public var groupId: String
    public var generationIdOrMemberEpoch: Int32
    public var memberId: String
    public var groupInstanceId: String?
    public var retentionTimeMs: Int64
    public var topics: [Topic]

    public init(
        groupId: String, generationIdOrMemberEpoch: Int32 = -1, memberId: String = "",
        groupInstanceId: String? = nil, retentionTimeMs: Int64 = -1, topics: [Topic]
    ) {
        self.groupId = groupId
        self.generationIdOrMemberEpoch = generationIdOrMemberEpoch
        self.memberId = memberId
        self.groupInstanceId = groupInstanceId
        self.retentionTimeMs = retentionTimeMs
        self.topics = topics
    }

    public init(from reader: inout WireReader, version: Int16) throws(DecodeError) {
        let flexible = version >= 8
        groupId = try reader.readString("group_id", compact: flexible)
        generationIdOrMemberEpoch =
            version >= 1 ? try reader.readInt32("generation_id_or_member_epoch") : -1
        memberId = version >= 1 ? try reader.readString("member_id", compact: flexible) : ""
        groupInstanceId =
            version >= 7
            ? try reader.readNullableString("group_instance_id", compact: flexible) : nil
        retentionTimeMs = (2...4).contains(version) ? try reader.readInt64("retention_time_ms") : -1
        topics = try reader.readArray("topics", compact: flexible) { r throws(DecodeError) in
            let name = try r.readString("name", compact: flexible)
            let partitions = try r.readArray("partitions", compact: flexible) {
                p throws(DecodeError) in
                let index = try p.readInt32("partition_index")
                let offset = try p.readInt64("committed_offset")
                let epoch = version >= 6 ? try p.readInt32("committed_leader_epoch") : -1
                let timestamp = version == 1 ? try p.readInt64("commit_timestamp") : -1
                let metadata = try p.readNullableString("committed_metadata", compact: flexible)
                if flexible { try p.readTaggedFields("partitions") }
                return Partition(
                    partitionIndex: index, committedOffset: offset, committedLeaderEpoch: epoch,
                    commitTimestamp: timestamp, committedMetadata: metadata)
            }
            if flexible { try r.readTaggedFields("topics") }
            return Topic(name: name, partitions: partitions)
        }
        if flexible { try reader.readTaggedFields("OffsetCommitRequest") }
    }

    public func encode(to writer: inout WireWriter, version: Int16) {
        let flexible = version >= 8
        writer.writeString(groupId, compact: flexible)
        if version >= 1 {
            writer.writeInt32(generationIdOrMemberEpoch)
            writer.writeString(memberId, compact: flexible)
        }
        if version >= 7 { writer.writeNullableString(groupInstanceId, compact: flexible) }
        if (2...4).contains(version) { writer.writeInt64(retentionTimeMs) }
        writer.writeArray(topics, compact: flexible) { w, t in
            w.writeString(t.name, compact: flexible)
            w.writeArray(t.partitions, compact: flexible) { w, p in
                w.writeInt32(p.partitionIndex)
                w.writeInt64(p.committedOffset)
                if version >= 6 { w.writeInt32(p.committedLeaderEpoch) }
                if version == 1 { w.writeInt64(p.commitTimestamp) }
                w.writeNullableString(p.committedMetadata, compact: flexible)
                if flexible { w.writeTaggedFields() }
            }
            if flexible { w.writeTaggedFields() }
        }
        if flexible { writer.writeTaggedFields() }
    }
}

/// One error code per committed partition.
public struct OffsetCommitResponse: KafkaResponse, Equatable {
    public struct Partition: Equatable, Sendable {
        public var partitionIndex: Int32
        public var errorCode: ErrorCode
        public init(partitionIndex: Int32, errorCode: ErrorCode = .none) {
            self.partitionIndex = partitionIndex
            self.errorCode = errorCode
        }
    }

    public struct Topic: Equatable, Sendable {
        public var name: String
        public var partitions: [Partition]
        public init(name: String, partitions: [Partition]) {
            self.name = name
            self.partitions = partitions
        }
    }

    public var throttleTimeMs: Int32
    public var topics: [Topic]

    public init(throttleTimeMs: Int32 = 0, topics: [Topic] = []) {
        self.throttleTimeMs = throttleTimeMs
        self.topics = topics
    }

    /// The same error for every partition of `request`, as Kafka answers a commit it refuses whole.
    public init(request: OffsetCommitRequest, errorCode: ErrorCode) {
        self.init(
            topics: request.topics.map { t in
                Topic(
                    name: t.name,
                    partitions: t.partitions.map {
                        Partition(partitionIndex: $0.partitionIndex, errorCode: errorCode)
                    })
            })
    }

    public init(from reader: inout WireReader, version: Int16) throws(DecodeError) {
        let flexible = version >= 8
        throttleTimeMs = version >= 3 ? try reader.readInt32("throttle_time_ms") : 0
        topics = try reader.readArray("topics", compact: flexible) { r throws(DecodeError) in
            let name = try r.readString("name", compact: flexible)
            let partitions = try r.readArray("partitions", compact: flexible) {
                p throws(DecodeError) in
                let index = try p.readInt32("partition_index")
                let error = ErrorCode(rawValue: try p.readInt16("error_code"))
                if flexible { try p.readTaggedFields("partitions") }
                return Partition(partitionIndex: index, errorCode: error)
            }
            if flexible { try r.readTaggedFields("topics") }
            return Topic(name: name, partitions: partitions)
        }
        if flexible { try reader.readTaggedFields("OffsetCommitResponse") }
    }

    public func encode(to writer: inout WireWriter, version: Int16) {
        let flexible = version >= 8
        if version >= 3 { writer.writeInt32(throttleTimeMs) }
        writer.writeArray(topics, compact: flexible) { w, t in
            w.writeString(t.name, compact: flexible)
            w.writeArray(t.partitions, compact: flexible) { w, p in
                w.writeInt32(p.partitionIndex)
                w.writeInt16(p.errorCode.rawValue)
                if flexible { w.writeTaggedFields() }
            }
            if flexible { w.writeTaggedFields() }
        }
        if flexible { writer.writeTaggedFields() }
    }
}
