// Protocol room: CreateTopics (key 19), versions 2-7, flexible from v5. The admin request
// that creates topics with a partition count, a replication factor or explicit assignments.
//
// v1: validate_only; error_message in the response.  v2: throttle_time_ms.  v3: same as v2.
// v4: num_partitions and replication_factor may be -1 for the broker defaults (KIP-464).
// v5: flexible; the response returns num_partitions, replication_factor, configs and the
//     tagged topic_config_error_code (KIP-525).  v6: may return THROTTLING_QUOTA_EXCEEDED
//     (KIP-599).  v7: topic_id in the response (KIP-516).

import NIOCore

/// "Create these topics." Mirrors Kafka's `CreateTopicsRequestData`.
public struct CreateTopicsRequest: KafkaRequest, Equatable {
    public typealias Response = CreateTopicsResponse
    public static let apiKey = ApiKey.createTopics
    public static let versions: ClosedRange<Int16> = 2...7
    public static let firstFlexibleVersion: Int16? = 5

    /// Kafka's `CreatableReplicaAssignment`: the brokers for one partition, chosen by hand.
    public struct Assignment: Equatable, Sendable {
        public var partitionIndex: Int32
        public var brokerIds: [Int32]

        public init(partitionIndex: Int32, brokerIds: [Int32]) {
            self.partitionIndex = partitionIndex
            self.brokerIds = brokerIds
        }
    }

    /// Kafka's `CreatableTopicConfig`: one topic-level setting such as `cleanup.policy`.
    public struct Config: Equatable, Sendable {
        public var name: String
        public var value: String?

        public init(name: String, value: String?) {
            self.name = name
            self.value = value
        }
    }

    /// Kafka's `CreatableTopic`.
    public struct Topic: Equatable, Sendable {
        public var name: String
        /// -1 with explicit assignments or (v4+) for `num.partitions`.
        public var numPartitions: Int32
        /// -1 with explicit assignments or (v4+) for `default.replication.factor`.
        public var replicationFactor: Int16
        public var assignments: [Assignment]
        public var configs: [Config]

        public init(
            name: String, numPartitions: Int32 = -1, replicationFactor: Int16 = -1,
            assignments: [Assignment] = [], configs: [Config] = []
        ) {
            self.name = name
            self.numPartitions = numPartitions
            self.replicationFactor = replicationFactor
            self.assignments = assignments
            self.configs = configs
        }
    }

    public var topics: [Topic]
    public var timeoutMs: Int32
    /// Check that the topics could be created, but create nothing.
    public var validateOnly: Bool

    public init(topics: [Topic] = [], timeoutMs: Int32 = 60_000, validateOnly: Bool = false) {
        self.topics = topics
        self.timeoutMs = timeoutMs
        self.validateOnly = validateOnly
    }

    public init(from reader: inout WireReader, version: Int16) throws(DecodeError) {
        let flexible = Self.isFlexible(version)
        topics = try reader.readArray("topics", compact: flexible) { r throws(DecodeError) in
            let name = try r.readString("name", compact: flexible)
            let numPartitions = try r.readInt32("num_partitions")
            let replicationFactor = try r.readInt16("replication_factor")
            let assignments = try r.readArray("assignments", compact: flexible) {
                a throws(DecodeError) in
                let index = try a.readInt32("partition_index")
                let brokerIds = try a.readInt32Array("broker_ids", compact: flexible)
                if flexible { try a.readTaggedFields("assignments") }
                return Assignment(partitionIndex: index, brokerIds: brokerIds)
            }
            let configs = try r.readArray("configs", compact: flexible) { c throws(DecodeError) in
                let name = try c.readString("name", compact: flexible)
                let value = try c.readNullableString("value", compact: flexible)
                if flexible { try c.readTaggedFields("configs") }
                return Config(name: name, value: value)
            }
            if flexible { try r.readTaggedFields("topics") }
            return Topic(
                name: name, numPartitions: numPartitions, replicationFactor: replicationFactor,
                assignments: assignments, configs: configs)
        }
        timeoutMs = try reader.readInt32("timeout_ms")
        validateOnly = version >= 1 ? try reader.readBool("validate_only") : false
        if flexible { try reader.readTaggedFields("CreateTopicsRequest") }
    }

    public func encode(to writer: inout WireWriter, version: Int16) {
        let flexible = Self.isFlexible(version)
        writer.writeArray(topics, compact: flexible) { w, t in
            w.writeString(t.name, compact: flexible)
            w.writeInt32(t.numPartitions)
            w.writeInt16(t.replicationFactor)
            w.writeArray(t.assignments, compact: flexible) { w, a in
                w.writeInt32(a.partitionIndex)
                w.writeInt32Array(a.brokerIds, compact: flexible)
                if flexible { w.writeTaggedFields() }
            }
            w.writeArray(t.configs, compact: flexible) { w, c in
                w.writeString(c.name, compact: flexible)
                w.writeNullableString(c.value, compact: flexible)
                if flexible { w.writeTaggedFields() }
            }
            if flexible { w.writeTaggedFields() }
        }
        writer.writeInt32(timeoutMs)
        if version >= 1 { writer.writeBool(validateOnly) }
        if flexible { writer.writeTaggedFields() }
    }
}

/// One result per topic asked for. Mirrors Kafka's `CreateTopicsResponseData`.
public struct CreateTopicsResponse: KafkaResponse, Equatable {
    /// Kafka's `CreatableTopicConfigs`: a setting of the created topic, as DescribeConfigs
    /// would show it.
    public struct Config: Equatable, Sendable {
        public var name: String
        public var value: String?
        public var readOnly: Bool
        /// A DescribeConfigs config source (5 = DEFAULT_CONFIG, 1 = DYNAMIC_TOPIC_CONFIG...).
        public var configSource: Int8
        public var isSensitive: Bool

        public init(
            name: String, value: String?, readOnly: Bool = false, configSource: Int8 = -1,
            isSensitive: Bool = false
        ) {
            self.name = name
            self.value = value
            self.readOnly = readOnly
            self.configSource = configSource
            self.isSensitive = isSensitive
        }
    }

    /// Kafka's `CreatableTopicResult`.
    public struct Topic: Equatable, Sendable {
        public var name: String
        /// v7+.
        public var topicId: Uuid
        public var errorCode: ErrorCode
        public var errorMessage: String?
        /// v5+, tagged (tag 0): why configs are missing; sent only when not NONE.
        public var topicConfigErrorCode: ErrorCode
        /// v5+.
        public var numPartitions: Int32
        /// v5+.
        public var replicationFactor: Int16
        /// v5+; nil when the configs could not be described.
        public var configs: [Config]?

        public init(
            name: String, topicId: Uuid = .zero, errorCode: ErrorCode = .none,
            errorMessage: String? = nil, topicConfigErrorCode: ErrorCode = .none,
            numPartitions: Int32 = -1, replicationFactor: Int16 = -1, configs: [Config]? = []
        ) {
            self.name = name
            self.topicId = topicId
            self.errorCode = errorCode
            self.errorMessage = errorMessage
            self.topicConfigErrorCode = topicConfigErrorCode
            self.numPartitions = numPartitions
            self.replicationFactor = replicationFactor
            self.configs = configs
        }
    }

    public var throttleTimeMs: Int32
    public var topics: [Topic]

    public init(throttleTimeMs: Int32 = 0, topics: [Topic] = []) {
        self.throttleTimeMs = throttleTimeMs
        self.topics = topics
    }

    private static let topicConfigErrorCodeTag: UInt32 = 0

    public init(from reader: inout WireReader, version: Int16) throws(DecodeError) {
        let flexible = CreateTopicsRequest.isFlexible(version)
        throttleTimeMs = version >= 2 ? try reader.readInt32("throttle_time_ms") : 0
        topics = try reader.readArray("topics", compact: flexible) { r throws(DecodeError) in
            try Self.readTopic(&r, version: version, flexible: flexible)
        }
        if flexible { try reader.readTaggedFields("CreateTopicsResponse") }
    }

    private static func readTopic(_ r: inout WireReader, version: Int16, flexible: Bool)
        throws(DecodeError) -> Topic
    {
        var topic = Topic(name: try r.readString("name", compact: flexible))
        if version >= 7 { topic.topicId = try r.readUuid("topic_id") }
        topic.errorCode = ErrorCode(rawValue: try r.readInt16("error_code"))
        if version >= 1 {
            topic.errorMessage = try r.readNullableString("error_message", compact: flexible)
        }
        if version >= 5 {
            topic.numPartitions = try r.readInt32("num_partitions")
            topic.replicationFactor = try r.readInt16("replication_factor")
            topic.configs = try r.readNullableArray("configs", compact: flexible) {
                c throws(DecodeError) in
                let name = try c.readString("name", compact: flexible)
                let value = try c.readNullableString("value", compact: flexible)
                let readOnly = try c.readBool("read_only")
                let source = try c.readInt8("config_source")
                let sensitive = try c.readBool("is_sensitive")
                try c.readTaggedFields("configs")
                return Config(
                    name: name, value: value, readOnly: readOnly, configSource: source,
                    isSensitive: sensitive)
            }
        }
        if flexible {
            var configError = ErrorCode.none
            try r.readTaggedFields("topics") { tag, t throws(DecodeError) in
                if tag == topicConfigErrorCodeTag {
                    configError = ErrorCode(rawValue: try t.readInt16("topic_config_error_code"))
                }
            }
            topic.topicConfigErrorCode = configError
        }
        return topic
    }

    public func encode(to writer: inout WireWriter, version: Int16) {
        let flexible = CreateTopicsRequest.isFlexible(version)
        if version >= 2 { writer.writeInt32(throttleTimeMs) }
        writer.writeArray(topics, compact: flexible) { w, t in
            w.writeString(t.name, compact: flexible)
            if version >= 7 { w.writeUuid(t.topicId) }
            w.writeInt16(t.errorCode.rawValue)
            if version >= 1 { w.writeNullableString(t.errorMessage, compact: flexible) }
            if version >= 5 {
                w.writeInt32(t.numPartitions)
                w.writeInt16(t.replicationFactor)
                w.writeNullableArray(t.configs, compact: flexible) { w, c in
                    w.writeString(c.name, compact: flexible)
                    w.writeNullableString(c.value, compact: flexible)
                    w.writeBool(c.readOnly)
                    w.writeInt8(c.configSource)
                    w.writeBool(c.isSensitive)
                    w.writeTaggedFields()
                }
            }
            guard flexible else { return }
            var tags: [(tag: UInt32, bytes: ByteBuffer)] = []
            if t.topicConfigErrorCode != .none {
                tags.append(
                    WireWriter.taggedField(Self.topicConfigErrorCodeTag) {
                        $0.writeInt16(t.topicConfigErrorCode.rawValue)
                    })
            }
            w.writeTaggedFields(tags)
        }
        if flexible { writer.writeTaggedFields() }
    }
}
