// Protocol room: DeleteTopics (key 20), versions 1-6, flexible from v4. The admin request
// that deletes topics, by name or (v6) by topic id.
//
// v1: throttle_time_ms in the response.  v2: responses are sent before throttling.
// v3: may return TOPIC_DELETION_DISABLED.  v4: flexible.  v5: error_message in the response;
// may return THROTTLING_QUOTA_EXCEEDED (KIP-599).  v6: the request names topics by name or
// topic_id (a `topics` array replaces `topic_names`); the response adds topic_id (KIP-516).

/// "Delete these topics." Mirrors Kafka's `DeleteTopicsRequestData`.
///
/// Before v6 only names travel (as `topic_names`), so those versions decode into topics with
/// `topicId == .zero`, and encode `name ?? ""`.
public struct DeleteTopicsRequest: KafkaRequest, Equatable {
    public typealias Response = DeleteTopicsResponse
    public static let apiKey = ApiKey.deleteTopics
    public static let versions: ClosedRange<Int16> = 1...6
    public static let firstFlexibleVersion: Int16? = 4

    /// Kafka's `DeleteTopicState`: a topic named by name or by id.
    public struct Topic: Equatable, Sendable {
        /// Nullable in v6 (deleting by id).
        public var name: String?
        /// v6+; `Uuid.zero` when deleting by name.
        public var topicId: Uuid

        public init(name: String?, topicId: Uuid = .zero) {
            self.name = name
            self.topicId = topicId
        }
    }

    public var topics: [Topic]
    public var timeoutMs: Int32

    public init(topics: [Topic] = [], timeoutMs: Int32 = 30_000) {
        self.topics = topics
        self.timeoutMs = timeoutMs
    }

    public init(from reader: inout WireReader, version: Int16) throws(DecodeError) {
        let flexible = Self.isFlexible(version)
        if version >= 6 {
            topics = try reader.readArray("topics", compact: flexible) { r throws(DecodeError) in
                let name = try r.readNullableString("name", compact: flexible)
                let topicId = try r.readUuid("topic_id")
                try r.readTaggedFields("topics")
                return Topic(name: name, topicId: topicId)
            }
        } else {
            topics = try reader.readStringArray("topic_names", compact: flexible).map {
                Topic(name: $0)
            }
        }
        timeoutMs = try reader.readInt32("timeout_ms")
        if flexible { try reader.readTaggedFields("DeleteTopicsRequest") }
    }

    public func encode(to writer: inout WireWriter, version: Int16) {
        let flexible = Self.isFlexible(version)
        if version >= 6 {
            writer.writeArray(topics, compact: flexible) { w, t in
                w.writeNullableString(t.name, compact: flexible)
                w.writeUuid(t.topicId)
                w.writeTaggedFields()
            }
        } else {
            writer.writeStringArray(topics.map { $0.name ?? "" }, compact: flexible)
        }
        writer.writeInt32(timeoutMs)
        if flexible { writer.writeTaggedFields() }
    }
}

/// One result per topic asked for. Mirrors Kafka's `DeleteTopicsResponseData`.
public struct DeleteTopicsResponse: KafkaResponse, Equatable {
    /// Kafka's `DeletableTopicResult`.
    public struct TopicResult: Equatable, Sendable {
        /// Nullable in v6 (a topic id that is unknown); written as "" before that.
        public var name: String?
        /// v6+.
        public var topicId: Uuid
        public var errorCode: ErrorCode
        /// v5+.
        public var errorMessage: String?

        public init(
            name: String?, topicId: Uuid = .zero, errorCode: ErrorCode = .none,
            errorMessage: String? = nil
        ) {
            self.name = name
            self.topicId = topicId
            self.errorCode = errorCode
            self.errorMessage = errorMessage
        }
    }

    public var throttleTimeMs: Int32
    public var responses: [TopicResult]

    public init(throttleTimeMs: Int32 = 0, responses: [TopicResult] = []) {
        self.throttleTimeMs = throttleTimeMs
        self.responses = responses
    }

    public init(from reader: inout WireReader, version: Int16) throws(DecodeError) {
        let flexible = DeleteTopicsRequest.isFlexible(version)
        throttleTimeMs = version >= 1 ? try reader.readInt32("throttle_time_ms") : 0
        responses = try reader.readArray("responses", compact: flexible) { r throws(DecodeError) in
            let name =
                version >= 6
                ? try r.readNullableString("name", compact: flexible)
                : try r.readString("name", compact: flexible)
            let topicId = version >= 6 ? try r.readUuid("topic_id") : Uuid.zero
            let errorCode = ErrorCode(rawValue: try r.readInt16("error_code"))
            let message =
                version >= 5 ? try r.readNullableString("error_message", compact: flexible) : nil
            if flexible { try r.readTaggedFields("responses") }
            return TopicResult(
                name: name, topicId: topicId, errorCode: errorCode, errorMessage: message)
        }
        if flexible { try reader.readTaggedFields("DeleteTopicsResponse") }
    }

    public func encode(to writer: inout WireWriter, version: Int16) {
        let flexible = DeleteTopicsRequest.isFlexible(version)
        if version >= 1 { writer.writeInt32(throttleTimeMs) }
        writer.writeArray(responses, compact: flexible) { w, r in
            if version >= 6 {
                w.writeNullableString(r.name, compact: flexible)
                w.writeUuid(r.topicId)
            } else {
                w.writeString(r.name ?? "", compact: flexible)
            }
            w.writeInt16(r.errorCode.rawValue)
            if version >= 5 { w.writeNullableString(r.errorMessage, compact: flexible) }
            if flexible { w.writeTaggedFields() }
        }
        if flexible { writer.writeTaggedFields() }
    }
}
