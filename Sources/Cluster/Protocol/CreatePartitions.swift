// Protocol room: CreatePartitions (key 37), versions 0-3, flexible from v2. The admin
// request that raises a topic's partition count, optionally placing the new ones (KIP-195).
//
// v1: same as v0; the response is sent before throttling.  v2: flexible.
// v3: same as v2, but may return THROTTLING_QUOTA_EXCEEDED (KIP-599).

/// "Give these topics more partitions." Mirrors Kafka's `CreatePartitionsRequestData`.
///
/// `count` is the new total, not the number to add; partitions can never be removed.
public struct CreatePartitionsRequest: KafkaRequest, Equatable {
    public typealias Response = CreatePartitionsResponse
    public static let apiKey = ApiKey.createPartitions
    public static let versions: ClosedRange<Int16> = 0...3
    public static let firstFlexibleVersion: Int16? = 2

    /// Kafka's `CreatePartitionsAssignment`: the brokers for one new partition, the
    /// preferred leader first.
    public struct Assignment: Equatable, Sendable {
        public var brokerIds: [Int32]

        public init(brokerIds: [Int32]) {
            self.brokerIds = brokerIds
        }
    }

    /// Kafka's `CreatePartitionsTopic`.
    public struct Topic: Equatable, Sendable {
        public var name: String
        /// The partition count wanted after the request.
        public var count: Int32
        /// One entry per new partition, in partition order; nil lets the controller place them.
        public var assignments: [Assignment]?

        public init(name: String, count: Int32, assignments: [Assignment]? = nil) {
            self.name = name
            self.count = count
            self.assignments = assignments
        }
    }

    public var topics: [Topic]
    public var timeoutMs: Int32
    /// Check that the partitions could be created, but create nothing.
    public var validateOnly: Bool

    public init(topics: [Topic] = [], timeoutMs: Int32 = 60_000, validateOnly: Bool = false) {
        self.topics = topics
        self.timeoutMs = timeoutMs
        self.validateOnly = validateOnly
    }

    public init(from reader: inout WireReader, version: Int16) throws(DecodeError) {
        let flexible = Self.isFlexible(version)
        topics = try reader.readArray("topics", compact: flexible) { t throws(DecodeError) in
            let name = try t.readString("name", compact: flexible)
            let count = try t.readInt32("count")
            let assignments = try t.readNullableArray("assignments", compact: flexible) {
                a throws(DecodeError) in
                let brokerIds = try a.readInt32Array("broker_ids", compact: flexible)
                if flexible { try a.readTaggedFields("assignments") }
                return Assignment(brokerIds: brokerIds)
            }
            if flexible { try t.readTaggedFields("topics") }
            return Topic(name: name, count: count, assignments: assignments)
        }
        timeoutMs = try reader.readInt32("timeout_ms")
        validateOnly = try reader.readBool("validate_only")
        if flexible { try reader.readTaggedFields("CreatePartitionsRequest") }
    }

    public func encode(to writer: inout WireWriter, version: Int16) {
        let flexible = Self.isFlexible(version)
        writer.writeArray(topics, compact: flexible) { w, t in
            w.writeString(t.name, compact: flexible)
            w.writeInt32(t.count)
            w.writeNullableArray(t.assignments, compact: flexible) { w, a in
                w.writeInt32Array(a.brokerIds, compact: flexible)
                if flexible { w.writeTaggedFields() }
            }
            if flexible { w.writeTaggedFields() }
        }
        writer.writeInt32(timeoutMs)
        writer.writeBool(validateOnly)
        if flexible { writer.writeTaggedFields() }
    }
}

/// One result per topic asked for. Mirrors Kafka's `CreatePartitionsResponseData`.
public struct CreatePartitionsResponse: KafkaResponse, Equatable {
    /// Kafka's `CreatePartitionsTopicResult`.
    public struct TopicResult: Equatable, Sendable {
        public var name: String
        /// INVALID_PARTITIONS when the count does not grow, INVALID_REPLICA_ASSIGNMENT for
        /// bad assignments, UNKNOWN_TOPIC_OR_PARTITION for a missing topic.
        public var errorCode: ErrorCode
        public var errorMessage: String?

        public init(name: String, errorCode: ErrorCode = .none, errorMessage: String? = nil) {
            self.name = name
            self.errorCode = errorCode
            self.errorMessage = errorMessage
        }
    }

    public var throttleTimeMs: Int32
    public var results: [TopicResult]

    public init(throttleTimeMs: Int32 = 0, results: [TopicResult] = []) {
        self.throttleTimeMs = throttleTimeMs
        self.results = results
    }

    public init(from reader: inout WireReader, version: Int16) throws(DecodeError) {
        let flexible = CreatePartitionsRequest.isFlexible(version)
        throttleTimeMs = try reader.readInt32("throttle_time_ms")
        results = try reader.readArray("results", compact: flexible) { r throws(DecodeError) in
            let name = try r.readString("name", compact: flexible)
            let errorCode = ErrorCode(rawValue: try r.readInt16("error_code"))
            let message = try r.readNullableString("error_message", compact: flexible)
            if flexible { try r.readTaggedFields("results") }
            return TopicResult(name: name, errorCode: errorCode, errorMessage: message)
        }
        if flexible { try reader.readTaggedFields("CreatePartitionsResponse") }
    }

    public func encode(to writer: inout WireWriter, version: Int16) {
        let flexible = CreatePartitionsRequest.isFlexible(version)
        writer.writeInt32(throttleTimeMs)
        writer.writeArray(results, compact: flexible) { w, r in
            w.writeString(r.name, compact: flexible)
            w.writeInt16(r.errorCode.rawValue)
            w.writeNullableString(r.errorMessage, compact: flexible)
            if flexible { w.writeTaggedFields() }
        }
        if flexible { writer.writeTaggedFields() }
    }
}
