// Protocol room: OffsetDelete (key 47), version 0 only (KIP-496); never flexible.

/// Deletes a group's committed offsets for some partitions (what
/// `kafka-consumer-groups.sh --delete-offsets` sends). Refused for topics the group still
/// subscribes to. Mirrors `OffsetDeleteRequest`.
public struct OffsetDeleteRequest: KafkaRequest, Equatable {
    public typealias Response = OffsetDeleteResponse
    public static let apiKey = ApiKey.offsetDelete
    public static let versions: ClosedRange<Int16> = 0...0
    public static let firstFlexibleVersion: Int16? = nil

    public struct Topic: Equatable, Sendable {
        public var name: String
        public var partitionIndexes: [Int32]
        public init(name: String, partitionIndexes: [Int32]) {
            self.name = name
            self.partitionIndexes = partitionIndexes
        }
    }

    public var groupId: String
    public var topics: [Topic]

    public init(groupId: String, topics: [Topic]) {
        self.groupId = groupId
        self.topics = topics
    }

    public init(from reader: inout WireReader, version: Int16) throws(DecodeError) {
        groupId = try reader.readString("group_id", compact: false)
        topics = try reader.readArray("topics", compact: false) { r throws(DecodeError) in
            let name = try r.readString("name", compact: false)
            let partitions = try r.readArray("partitions", compact: false) {
                p throws(DecodeError) in
                try p.readInt32("partition_index")
            }
            return Topic(name: name, partitionIndexes: partitions)
        }
    }

    public func encode(to writer: inout WireWriter, version: Int16) {
        writer.writeString(groupId, compact: false)
        writer.writeArray(topics, compact: false) { w, t in
            w.writeString(t.name, compact: false)
            w.writeArray(t.partitionIndexes, compact: false) { w, i in w.writeInt32(i) }
        }
    }
}

/// A top-level error (GROUP_ID_NOT_FOUND, NON_EMPTY_GROUP...) and one per partition
/// (GROUP_SUBSCRIBED_TO_TOPIC).
public struct OffsetDeleteResponse: KafkaResponse, Equatable {
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

    public var errorCode: ErrorCode
    public var throttleTimeMs: Int32
    public var topics: [Topic]

    public init(errorCode: ErrorCode = .none, throttleTimeMs: Int32 = 0, topics: [Topic] = []) {
        self.errorCode = errorCode
        self.throttleTimeMs = throttleTimeMs
        self.topics = topics
    }

    public init(from reader: inout WireReader, version: Int16) throws(DecodeError) {
        errorCode = ErrorCode(rawValue: try reader.readInt16("error_code"))
        throttleTimeMs = try reader.readInt32("throttle_time_ms")
        topics = try reader.readArray("topics", compact: false) { r throws(DecodeError) in
            let name = try r.readString("name", compact: false)
            let partitions = try r.readArray("partitions", compact: false) {
                p throws(DecodeError) in
                let index = try p.readInt32("partition_index")
                let error = ErrorCode(rawValue: try p.readInt16("error_code"))
                return Partition(partitionIndex: index, errorCode: error)
            }
            return Topic(name: name, partitions: partitions)
        }
    }

    public func encode(to writer: inout WireWriter, version: Int16) {
        writer.writeInt16(errorCode.rawValue)
        writer.writeInt32(throttleTimeMs)
        writer.writeArray(topics, compact: false) { w, t in
            w.writeString(t.name, compact: false)
            w.writeArray(t.partitions, compact: false) { w, p in
                w.writeInt32(p.partitionIndex)
                w.writeInt16(p.errorCode.rawValue)
            }
        }
    }
}
