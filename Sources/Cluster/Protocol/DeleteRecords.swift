// Protocol room: DeleteRecords (key 21), versions 0-2, flexible from v2. The admin request
// that moves a partition's log start offset forward, making older records unreadable (KIP-107).
//
// v1: same as v0; the response is sent before throttling.  v2: flexible.

/// "Delete every record before these offsets." Mirrors Kafka's `DeleteRecordsRequestData`.
///
/// Sent to each partition's leader. Nothing is erased at once: the leader raises the log
/// start offset (the low watermark) and whole segments below it go at the next retention pass.
public struct DeleteRecordsRequest: KafkaRequest, Equatable {
    public typealias Response = DeleteRecordsResponse
    public static let apiKey = ApiKey.deleteRecords
    public static let versions: ClosedRange<Int16> = 0...2
    public static let firstFlexibleVersion: Int16? = 2

    /// The `offset` that means "up to the high watermark": Kafka's
    /// `DeleteRecordsRequest.HIGH_WATERMARK`.
    public static let highWatermark: Int64 = -1

    /// Kafka's `DeleteRecordsPartition`.
    public struct Partition: Equatable, Sendable {
        public var partitionIndex: Int32
        /// Records below this offset are deleted; -1 for the high watermark.
        public var offset: Int64

        public init(partitionIndex: Int32, offset: Int64) {
            self.partitionIndex = partitionIndex
            self.offset = offset
        }
    }

    /// Kafka's `DeleteRecordsTopic`.
    public struct Topic: Equatable, Sendable {
        public var name: String
        public var partitions: [Partition]

        public init(name: String, partitions: [Partition] = []) {
            self.name = name
            self.partitions = partitions
        }
    }

    public var topics: [Topic]
    /// How long the leader waits for the followers to reach the new log start offset.
    public var timeoutMs: Int32

    public init(topics: [Topic] = [], timeoutMs: Int32 = 30_000) {
        self.topics = topics
        self.timeoutMs = timeoutMs
    }

    public init(from reader: inout WireReader, version: Int16) throws(DecodeError) {
        let flexible = Self.isFlexible(version)
        topics = try reader.readArray("topics", compact: flexible) { t throws(DecodeError) in
            let name = try t.readString("name", compact: flexible)
            let partitions = try t.readArray("partitions", compact: flexible) {
                p throws(DecodeError) in
                let index = try p.readInt32("partition_index")
                let offset = try p.readInt64("offset")
                if flexible { try p.readTaggedFields("partitions") }
                return Partition(partitionIndex: index, offset: offset)
            }
            if flexible { try t.readTaggedFields("topics") }
            return Topic(name: name, partitions: partitions)
        }
        timeoutMs = try reader.readInt32("timeout_ms")
        if flexible { try reader.readTaggedFields("DeleteRecordsRequest") }
    }

    public func encode(to writer: inout WireWriter, version: Int16) {
        let flexible = Self.isFlexible(version)
        writer.writeArray(topics, compact: flexible) { w, t in
            w.writeString(t.name, compact: flexible)
            w.writeArray(t.partitions, compact: flexible) { w, p in
                w.writeInt32(p.partitionIndex)
                w.writeInt64(p.offset)
                if flexible { w.writeTaggedFields() }
            }
            if flexible { w.writeTaggedFields() }
        }
        writer.writeInt32(timeoutMs)
        if flexible { writer.writeTaggedFields() }
    }
}

/// The new low watermark of each partition. Mirrors Kafka's `DeleteRecordsResponseData`.
public struct DeleteRecordsResponse: KafkaResponse, Equatable {
    /// Kafka's `DeleteRecordsPartitionResult`.
    public struct PartitionResult: Equatable, Sendable {
        public var partitionIndex: Int32
        /// The partition's log start offset after the deletion, or -1 on error.
        public var lowWatermark: Int64
        /// OFFSET_OUT_OF_RANGE when the offset is past the high watermark.
        public var errorCode: ErrorCode

        public init(partitionIndex: Int32, lowWatermark: Int64 = -1, errorCode: ErrorCode = .none) {
            self.partitionIndex = partitionIndex
            self.lowWatermark = lowWatermark
            self.errorCode = errorCode
        }
    }

    /// Kafka's `DeleteRecordsTopicResult`.
    public struct TopicResult: Equatable, Sendable {
        public var name: String
        public var partitions: [PartitionResult]

        public init(name: String, partitions: [PartitionResult] = []) {
            self.name = name
            self.partitions = partitions
        }
    }

    public var throttleTimeMs: Int32
    public var topics: [TopicResult]

    public init(throttleTimeMs: Int32 = 0, topics: [TopicResult] = []) {
        self.throttleTimeMs = throttleTimeMs
        self.topics = topics
    }

    public init(from reader: inout WireReader, version: Int16) throws(DecodeError) {
        let flexible = DeleteRecordsRequest.isFlexible(version)
        throttleTimeMs = try reader.readInt32("throttle_time_ms")
        topics = try reader.readArray("topics", compact: flexible) { t throws(DecodeError) in
            let name = try t.readString("name", compact: flexible)
            let partitions = try t.readArray("partitions", compact: flexible) {
                p throws(DecodeError) in
                let index = try p.readInt32("partition_index")
                let lowWatermark = try p.readInt64("low_watermark")
                let errorCode = ErrorCode(rawValue: try p.readInt16("error_code"))
                if flexible { try p.readTaggedFields("partitions") }
                return PartitionResult(
                    partitionIndex: index, lowWatermark: lowWatermark, errorCode: errorCode)
            }
            if flexible { try t.readTaggedFields("topics") }
            return TopicResult(name: name, partitions: partitions)
        }
        if flexible { try reader.readTaggedFields("DeleteRecordsResponse") }
    }

    public func encode(to writer: inout WireWriter, version: Int16) {
        let flexible = DeleteRecordsRequest.isFlexible(version)
        writer.writeInt32(throttleTimeMs)
        writer.writeArray(topics, compact: flexible) { w, t in
            w.writeString(t.name, compact: flexible)
            w.writeArray(t.partitions, compact: flexible) { w, p in
                w.writeInt32(p.partitionIndex)
                w.writeInt64(p.lowWatermark)
                w.writeInt16(p.errorCode.rawValue)
                if flexible { w.writeTaggedFields() }
            }
            if flexible { w.writeTaggedFields() }
        }
        if flexible { writer.writeTaggedFields() }
    }
}
