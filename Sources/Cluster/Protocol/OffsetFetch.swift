// Protocol room: OffsetFetch (key 9), versions 1-9 advertised (Kafka 4.0 removed v0, KIP-896).
// v2 allows null topics (all partitions) and adds a top-level error; v3 throttle time; v5 the
// leader epoch; v6 is flexible; v7 require_stable; v8 several groups at once (KIP-709); v9 adds
// member id and epoch for the new protocol (KIP-848).

/// "What has this group committed?" Asked by a consumer when it is assigned partitions, and
/// by admin tools to compute lag.
///
/// Versions before 8 ask about one group; we read them as a batch of one so the coordinator
/// answers every version alike. Mirrors `OffsetFetchRequest`.
public struct OffsetFetchRequest: KafkaRequest, Equatable {
    public typealias Response = OffsetFetchResponse
    public static let apiKey = ApiKey.offsetFetch
    public static let versions: ClosedRange<Int16> = 1...9
    public static let firstFlexibleVersion: Int16? = 6

    public struct Topic: Equatable, Sendable {
        public var name: String
        public var partitionIndexes: [Int32]
        public init(name: String, partitionIndexes: [Int32]) {
            self.name = name
            self.partitionIndexes = partitionIndexes
        }
    }

    public struct Group: Equatable, Sendable {
        public var groupId: String
        public var memberId: String?
        public var memberEpoch: Int32
        /// nil asks for every partition the group has committed (v2+).
        public var topics: [Topic]?
        public init(
            groupId: String, memberId: String? = nil, memberEpoch: Int32 = -1, topics: [Topic]?
        ) {
            self.groupId = groupId
            self.memberId = memberId
            self.memberEpoch = memberEpoch
            self.topics = topics
        }
    }

    /// Exactly one group before v8.
    public var groups: [Group]
    public var requireStable: Bool

    public init(groups: [Group], requireStable: Bool = false) {
        self.groups = groups
        self.requireStable = requireStable
    }

    private static func readTopics(
        _ r: inout WireReader, flexible: Bool, nullable: Bool
    ) throws(DecodeError) -> [Topic]? {
        let element = { (t: inout WireReader) throws(DecodeError) -> Topic in
            let name = try t.readString("name", compact: flexible)
            let indexes = try t.readArray("partition_indexes", compact: flexible) {
                p throws(DecodeError) in
                try p.readInt32("partition_indexes")
            }
            if flexible { try t.readTaggedFields("topics") }
            return Topic(name: name, partitionIndexes: indexes)
        }
        if nullable { return try r.readNullableArray("topics", compact: flexible, element) }
        return try r.readArray("topics", compact: flexible, element)
    }

    private static func writeTopics(_ w: inout WireWriter, _ topics: [Topic]?, flexible: Bool) {
        w.writeNullableArray(topics, compact: flexible) { w, t in
            w.writeString(t.name, compact: flexible)
            w.writeArray(t.partitionIndexes, compact: flexible) { w, i in w.writeInt32(i) }
            if flexible { w.writeTaggedFields() }
        }
    }

    public init(from reader: inout WireReader, version: Int16) throws(DecodeError) {
        let flexible = version >= 6
        if version <= 7 {
            let groupId = try reader.readString("group_id", compact: flexible)
            let topics = try Self.readTopics(&reader, flexible: flexible, nullable: version >= 2)
            groups = [Group(groupId: groupId, topics: topics)]
        } else {
            groups = try reader.readArray("groups", compact: true) { r throws(DecodeError) in
                let groupId = try r.readString("group_id", compact: true)
                let memberId =
                    version >= 9 ? try r.readNullableString("member_id", compact: true) : nil
                let memberEpoch = version >= 9 ? try r.readInt32("member_epoch") : -1
                let topics = try Self.readTopics(&r, flexible: true, nullable: true)
                try r.readTaggedFields("groups")
                return Group(
                    groupId: groupId, memberId: memberId, memberEpoch: memberEpoch, topics: topics)
            }
        }
        requireStable = version >= 7 ? try reader.readBool("require_stable") : false
        if flexible { try reader.readTaggedFields("OffsetFetchRequest") }
    }

    public func encode(to writer: inout WireWriter, version: Int16) {
        let flexible = version >= 6
        if version <= 7 {
            let group = groups.first ?? Group(groupId: "", topics: [])
            writer.writeString(group.groupId, compact: flexible)
            // Before v2 null is not allowed: an empty list is the nearest thing.
            Self.writeTopics(
                &writer, version >= 2 ? group.topics : (group.topics ?? []), flexible: flexible)
        } else {
            writer.writeArray(groups, compact: true) { w, g in
                w.writeString(g.groupId, compact: true)
                if version >= 9 {
                    w.writeNullableString(g.memberId, compact: true)
                    w.writeInt32(g.memberEpoch)
                }
                Self.writeTopics(&w, g.topics, flexible: true)
                w.writeTaggedFields()
            }
        }
        if version >= 7 { writer.writeBool(requireStable) }
        if flexible { writer.writeTaggedFields() }
    }
}

/// Committed offsets per group, topic and partition; -1 where nothing is committed.
public struct OffsetFetchResponse: KafkaResponse, Equatable {
    public struct Partition: Equatable, Sendable {
        public var partitionIndex: Int32
        public var committedOffset: Int64
        public var committedLeaderEpoch: Int32
        public var metadata: String?
        public var errorCode: ErrorCode
        public init(
            partitionIndex: Int32, committedOffset: Int64 = -1, committedLeaderEpoch: Int32 = -1,
            metadata: String? = "", errorCode: ErrorCode = .none
        ) {
            self.partitionIndex = partitionIndex
            self.committedOffset = committedOffset
            self.committedLeaderEpoch = committedLeaderEpoch
            self.metadata = metadata
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

    public struct Group: Equatable, Sendable {
        /// Not on the wire before v8 (decoded as "").
        public var groupId: String
        public var topics: [Topic]
        /// Top-level error from v2; before v2 put it in each partition instead.
        public var errorCode: ErrorCode
        public init(groupId: String, topics: [Topic], errorCode: ErrorCode = .none) {
            self.groupId = groupId
            self.topics = topics
            self.errorCode = errorCode
        }
    }

    public var throttleTimeMs: Int32
    /// Exactly one group before v8.
    public var groups: [Group]

    public init(throttleTimeMs: Int32 = 0, groups: [Group]) {
        self.throttleTimeMs = throttleTimeMs
        self.groups = groups
    }

    private static func readTopics(
        _ r: inout WireReader, version: Int16
    ) throws(DecodeError) -> [Topic] {
        let flexible = version >= 6
        return try r.readArray("topics", compact: flexible) { t throws(DecodeError) in
            let name = try t.readString("name", compact: flexible)
            let partitions = try t.readArray("partitions", compact: flexible) {
                p throws(DecodeError) in
                let index = try p.readInt32("partition_index")
                let offset = try p.readInt64("committed_offset")
                let epoch = version >= 5 ? try p.readInt32("committed_leader_epoch") : -1
                let metadata = try p.readNullableString("metadata", compact: flexible)
                let error = ErrorCode(rawValue: try p.readInt16("error_code"))
                if flexible { try p.readTaggedFields("partitions") }
                return Partition(
                    partitionIndex: index, committedOffset: offset, committedLeaderEpoch: epoch,
                    metadata: metadata, errorCode: error)
            }
            if flexible { try t.readTaggedFields("topics") }
            return Topic(name: name, partitions: partitions)
        }
    }

    private static func writeTopics(_ w: inout WireWriter, _ topics: [Topic], version: Int16) {
        let flexible = version >= 6
        w.writeArray(topics, compact: flexible) { w, t in
            w.writeString(t.name, compact: flexible)
            w.writeArray(t.partitions, compact: flexible) { w, p in
                w.writeInt32(p.partitionIndex)
                w.writeInt64(p.committedOffset)
                if version >= 5 { w.writeInt32(p.committedLeaderEpoch) }
                w.writeNullableString(p.metadata, compact: flexible)
                w.writeInt16(p.errorCode.rawValue)
                if flexible { w.writeTaggedFields() }
            }
            if flexible { w.writeTaggedFields() }
        }
    }

    public init(from reader: inout WireReader, version: Int16) throws(DecodeError) {
        let flexible = version >= 6
        throttleTimeMs = version >= 3 ? try reader.readInt32("throttle_time_ms") : 0
        if version <= 7 {
            let topics = try Self.readTopics(&reader, version: version)
            let error =
                version >= 2 ? ErrorCode(rawValue: try reader.readInt16("error_code")) : .none
            groups = [Group(groupId: "", topics: topics, errorCode: error)]
        } else {
            groups = try reader.readArray("groups", compact: true) { g throws(DecodeError) in
                let id = try g.readString("group_id", compact: true)
                let topics = try Self.readTopics(&g, version: version)
                let error = ErrorCode(rawValue: try g.readInt16("error_code"))
                try g.readTaggedFields("groups")
                return Group(groupId: id, topics: topics, errorCode: error)
            }
        }
        if flexible { try reader.readTaggedFields("OffsetFetchResponse") }
    }

    public func encode(to writer: inout WireWriter, version: Int16) {
        let flexible = version >= 6
        if version >= 3 { writer.writeInt32(throttleTimeMs) }
        if version <= 7 {
            let group = groups.first ?? Group(groupId: "", topics: [])
            Self.writeTopics(&writer, group.topics, version: version)
            if version >= 2 { writer.writeInt16(group.errorCode.rawValue) }
        } else {
            writer.writeArray(groups, compact: true) { w, g in
                w.writeString(g.groupId, compact: true)
                Self.writeTopics(&w, g.topics, version: version)
                w.writeInt16(g.errorCode.rawValue)
                w.writeTaggedFields()
            }
        }
        if flexible { writer.writeTaggedFields() }
    }
}
