// Protocol room: ElectLeaders (key 43), versions 0-2, flexible from v2. The admin request
// behind kafka-leader-election.sh: move leadership to the preferred replica, or elect an
// out-of-sync replica for a leaderless partition. Brokers forward it to the controller.
//
// v1: election_type in the request (KIP-460: PREFERRED or UNCLEAN; v0 means PREFERRED);
//     a top-level error_code in the response.  v2: flexible (KIP-482).

/// "Elect leaders for these partitions" (all of them when `topicPartitions` is nil). Mirrors
/// Kafka's `ElectLeadersRequestData`.
public struct ElectLeadersRequest: KafkaRequest, Equatable {
    public typealias Response = ElectLeadersResponse
    public static let apiKey = ApiKey.electLeaders
    public static let versions: ClosedRange<Int16> = 0...2
    public static let firstFlexibleVersion: Int16? = 2

    /// Kafka's `TopicPartitions`: one topic and the partition indexes to elect for.
    public struct TopicPartitions: Equatable, Sendable {
        public var topic: String
        public var partitions: [Int32]

        public init(topic: String, partitions: [Int32]) {
            self.topic = topic
            self.partitions = partitions
        }
    }

    /// v1+; v0 has no field and always means PREFERRED.
    public var electionType: ElectionType
    /// nil (Kafka's null array): every partition of every topic.
    public var topicPartitions: [TopicPartitions]?
    /// How long the controller may take (Kafka's default 60000).
    public var timeoutMs: Int32

    public init(
        electionType: ElectionType = .preferred, topicPartitions: [TopicPartitions]? = nil,
        timeoutMs: Int32 = 60_000
    ) {
        self.electionType = electionType
        self.topicPartitions = topicPartitions
        self.timeoutMs = timeoutMs
    }

    public init(from reader: inout WireReader, version: Int16) throws(DecodeError) {
        let flexible = Self.isFlexible(version)
        electionType =
            version >= 1 ? ElectionType(rawValue: try reader.readInt8("election_type")) : .preferred
        topicPartitions = try reader.readNullableArray("topic_partitions", compact: flexible) {
            r throws(DecodeError) in
            let topic = try r.readString("topic", compact: flexible)
            let partitions = try r.readInt32Array("partitions", compact: flexible)
            if flexible { try r.readTaggedFields("topic_partitions") }
            return TopicPartitions(topic: topic, partitions: partitions)
        }
        timeoutMs = try reader.readInt32("timeout_ms")
        if flexible { try reader.readTaggedFields("ElectLeadersRequest") }
    }

    public func encode(to writer: inout WireWriter, version: Int16) {
        let flexible = Self.isFlexible(version)
        if version >= 1 { writer.writeInt8(electionType.rawValue) }
        writer.writeNullableArray(topicPartitions, compact: flexible) { w, t in
            w.writeString(t.topic, compact: flexible)
            w.writeInt32Array(t.partitions, compact: flexible)
            if flexible { w.writeTaggedFields() }
        }
        writer.writeInt32(timeoutMs)
        if flexible { writer.writeTaggedFields() }
    }
}

/// One result per partition asked for (per partition that needed an election, when all were
/// asked for). Mirrors Kafka's `ElectLeadersResponseData`.
public struct ElectLeadersResponse: KafkaResponse, Equatable {
    /// Kafka's `PartitionResult`: NONE, ELECTION_NOT_NEEDED, PREFERRED_LEADER_NOT_AVAILABLE,
    /// ELIGIBLE_LEADERS_NOT_AVAILABLE, UNKNOWN_TOPIC_OR_PARTITION...
    public struct PartitionResult: Equatable, Sendable {
        public var partitionId: Int32
        public var errorCode: ErrorCode
        public var errorMessage: String?

        public init(partitionId: Int32, errorCode: ErrorCode = .none, errorMessage: String? = nil) {
            self.partitionId = partitionId
            self.errorCode = errorCode
            self.errorMessage = errorMessage
        }
    }

    /// Kafka's `ReplicaElectionResult`: one topic's partitions.
    public struct ReplicaElectionResult: Equatable, Sendable {
        public var topic: String
        public var partitionResult: [PartitionResult]

        public init(topic: String, partitionResult: [PartitionResult] = []) {
            self.topic = topic
            self.partitionResult = partitionResult
        }
    }

    public var throttleTimeMs: Int32
    /// v1+: set when the whole request failed (NOT_CONTROLLER, INVALID_REQUEST...); a v0
    /// client finds the same code on every partition.
    public var errorCode: ErrorCode
    public var replicaElectionResults: [ReplicaElectionResult]

    public init(
        throttleTimeMs: Int32 = 0, errorCode: ErrorCode = .none,
        replicaElectionResults: [ReplicaElectionResult] = []
    ) {
        self.throttleTimeMs = throttleTimeMs
        self.errorCode = errorCode
        self.replicaElectionResults = replicaElectionResults
    }

    public init(from reader: inout WireReader, version: Int16) throws(DecodeError) {
        let flexible = ElectLeadersRequest.isFlexible(version)
        throttleTimeMs = try reader.readInt32("throttle_time_ms")
        errorCode = version >= 1 ? ErrorCode(rawValue: try reader.readInt16("error_code")) : .none
        replicaElectionResults = try reader.readArray("replica_election_results", compact: flexible)
        {
            r throws(DecodeError) in
            let topic = try r.readString("topic", compact: flexible)
            let partitions = try r.readArray("partition_result", compact: flexible) {
                p throws(DecodeError) in
                let id = try p.readInt32("partition_id")
                let code = ErrorCode(rawValue: try p.readInt16("error_code"))
                let message = try p.readNullableString("error_message", compact: flexible)
                if flexible { try p.readTaggedFields("partition_result") }
                return PartitionResult(partitionId: id, errorCode: code, errorMessage: message)
            }
            if flexible { try r.readTaggedFields("replica_election_results") }
            return ReplicaElectionResult(topic: topic, partitionResult: partitions)
        }
        if flexible { try reader.readTaggedFields("ElectLeadersResponse") }
    }

    public func encode(to writer: inout WireWriter, version: Int16) {
        let flexible = ElectLeadersRequest.isFlexible(version)
        writer.writeInt32(throttleTimeMs)
        if version >= 1 { writer.writeInt16(errorCode.rawValue) }
        writer.writeArray(replicaElectionResults, compact: flexible) { w, t in
            w.writeString(t.topic, compact: flexible)
            w.writeArray(t.partitionResult, compact: flexible) { w, p in
                w.writeInt32(p.partitionId)
                w.writeInt16(p.errorCode.rawValue)
                w.writeNullableString(p.errorMessage, compact: flexible)
                if flexible { w.writeTaggedFields() }
            }
            if flexible { w.writeTaggedFields() }
        }
        if flexible { writer.writeTaggedFields() }
    }
}
