// Protocol room: Metadata (key 3), versions 0-12, flexible from v9. How a client learns the
// brokers, the controller and every partition's leader, replicas and ISR.
//
// v1: a null topic array means "all topics" (v0 used an empty one); rack, controller_id and
//     is_internal in the response.  v2: cluster_id.  v3: throttle_time_ms.
// v4: allow_auto_topic_creation.  v5: offline_replicas.  v6: same as v5.  v7: leader_epoch.
// v8: include_cluster/topic_authorized_operations and the authorized-operations bitfields.
// v9: flexible (KIP-482).  v10: topic_id in request and response (KIP-516).
// v11: cluster authorized operations dropped (moved to DescribeCluster, KIP-700).
// v12: topics may be asked for by id; the response name is nullable for unknown ids.

/// "Tell me about these topics (or all of them) and the brokers that host them."
///
/// Mirrors Kafka's `MetadataRequestData`. `topics == nil` asks for every topic; at v0, where
/// the array is not nullable, an empty array means the same and decodes as nil.
public struct MetadataRequest: KafkaRequest, Equatable {
    public typealias Response = MetadataResponse
    public static let apiKey = ApiKey.metadata
    public static let versions: ClosedRange<Int16> = 0...12
    public static let firstFlexibleVersion: Int16? = 9

    /// Kafka's `MetadataRequestTopic`: a topic asked for by name, or from v12 by id.
    public struct Topic: Equatable, Sendable {
        /// v10+; `Uuid.zero` when asking by name.
        public var topicId: Uuid
        /// Nullable from v10 (asking by id); written as "" before that.
        public var name: String?

        public init(name: String?, topicId: Uuid = .zero) {
            self.name = name
            self.topicId = topicId
        }
    }

    public var topics: [Topic]?
    /// v4+; before v4 brokers auto-create as configured.
    public var allowAutoTopicCreation: Bool
    /// v8-10 only.
    public var includeClusterAuthorizedOperations: Bool
    /// v8+.
    public var includeTopicAuthorizedOperations: Bool

    public init(
        topics: [Topic]? = nil, allowAutoTopicCreation: Bool = true,
        includeClusterAuthorizedOperations: Bool = false,
        includeTopicAuthorizedOperations: Bool = false
    ) {
        self.topics = topics
        self.allowAutoTopicCreation = allowAutoTopicCreation
        self.includeClusterAuthorizedOperations = includeClusterAuthorizedOperations
        self.includeTopicAuthorizedOperations = includeTopicAuthorizedOperations
    }

    public init(from reader: inout WireReader, version: Int16) throws(DecodeError) {
        let flexible = Self.isFlexible(version)
        let readTopic = { (r: inout WireReader) throws(DecodeError) -> Topic in
            let topicId = version >= 10 ? try r.readUuid("topic_id") : Uuid.zero
            let name =
                version >= 10
                ? try r.readNullableString("name", compact: flexible)
                : try r.readString("name", compact: flexible)
            if flexible { try r.readTaggedFields("topics") }
            return Topic(name: name, topicId: topicId)
        }
        if version == 0 {
            let listed = try reader.readArray("topics", compact: false, readTopic)
            topics = listed.isEmpty ? nil : listed
        } else {
            topics = try reader.readNullableArray("topics", compact: flexible, readTopic)
        }
        allowAutoTopicCreation =
            version >= 4 ? try reader.readBool("allow_auto_topic_creation") : true
        includeClusterAuthorizedOperations =
            (8...10).contains(version)
            ? try reader.readBool("include_cluster_authorized_operations") : false
        includeTopicAuthorizedOperations =
            version >= 8 ? try reader.readBool("include_topic_authorized_operations") : false
        if flexible { try reader.readTaggedFields("MetadataRequest") }
    }

    public func encode(to writer: inout WireWriter, version: Int16) {
        let flexible = Self.isFlexible(version)
        let writeTopic = { (w: inout WireWriter, t: Topic) in
            if version >= 10 {
                w.writeUuid(t.topicId)
                w.writeNullableString(t.name, compact: flexible)
            } else {
                w.writeString(t.name ?? "", compact: flexible)
            }
            if flexible { w.writeTaggedFields() }
        }
        if version == 0 {
            writer.writeArray(topics ?? [], compact: false, writeTopic)
        } else {
            writer.writeNullableArray(topics, compact: flexible, writeTopic)
        }
        if version >= 4 { writer.writeBool(allowAutoTopicCreation) }
        if (8...10).contains(version) { writer.writeBool(includeClusterAuthorizedOperations) }
        if version >= 8 { writer.writeBool(includeTopicAuthorizedOperations) }
        if flexible { writer.writeTaggedFields() }
    }
}

/// The brokers, the controller and each topic's partitions with leader, replicas and ISR.
///
/// Mirrors Kafka's `MetadataResponseData`; what a client caches to route every produce and
/// fetch to the partition leader.
public struct MetadataResponse: KafkaResponse, Equatable {
    /// "No authorized operations were computed" (`Integer.MIN_VALUE` in Kafka).
    public static let authorizedOperationsOmitted = Int32.min

    /// Kafka's `MetadataResponseBroker`.
    public struct Broker: Equatable, Sendable {
        public var nodeId: Int32
        public var host: String
        public var port: Int32
        /// v1+; nil when the broker has no `broker.rack`.
        public var rack: String?

        public init(nodeId: Int32, host: String, port: Int32, rack: String? = nil) {
            self.nodeId = nodeId
            self.host = host
            self.port = port
            self.rack = rack
        }
    }

    /// Kafka's `MetadataResponsePartition`.
    public struct Partition: Equatable, Sendable {
        public var errorCode: ErrorCode
        public var partitionIndex: Int32
        public var leaderId: Int32
        /// v7+.
        public var leaderEpoch: Int32
        public var replicaNodes: [Int32]
        public var isrNodes: [Int32]
        /// v5+.
        public var offlineReplicas: [Int32]

        public init(
            errorCode: ErrorCode = .none, partitionIndex: Int32, leaderId: Int32 = -1,
            leaderEpoch: Int32 = -1, replicaNodes: [Int32] = [], isrNodes: [Int32] = [],
            offlineReplicas: [Int32] = []
        ) {
            self.errorCode = errorCode
            self.partitionIndex = partitionIndex
            self.leaderId = leaderId
            self.leaderEpoch = leaderEpoch
            self.replicaNodes = replicaNodes
            self.isrNodes = isrNodes
            self.offlineReplicas = offlineReplicas
        }
    }

    /// Kafka's `MetadataResponseTopic`.
    public struct Topic: Equatable, Sendable {
        public var errorCode: ErrorCode
        /// Nullable from v12 (a topic asked for by an unknown id); written as "" before that.
        public var name: String?
        /// v10+.
        public var topicId: Uuid
        /// v1+.
        public var isInternal: Bool
        public var partitions: [Partition]
        /// v8+.
        public var topicAuthorizedOperations: Int32

        public init(
            errorCode: ErrorCode = .none, name: String?, topicId: Uuid = .zero,
            isInternal: Bool = false, partitions: [Partition] = [],
            topicAuthorizedOperations: Int32 = MetadataResponse.authorizedOperationsOmitted
        ) {
            self.errorCode = errorCode
            self.name = name
            self.topicId = topicId
            self.isInternal = isInternal
            self.partitions = partitions
            self.topicAuthorizedOperations = topicAuthorizedOperations
        }
    }

    /// v3+.
    public var throttleTimeMs: Int32
    public var brokers: [Broker]
    /// v2+.
    public var clusterId: String?
    /// v1+.
    public var controllerId: Int32
    public var topics: [Topic]
    /// v8-10 only.
    public var clusterAuthorizedOperations: Int32

    public init(
        throttleTimeMs: Int32 = 0, brokers: [Broker] = [], clusterId: String? = nil,
        controllerId: Int32 = -1, topics: [Topic] = [],
        clusterAuthorizedOperations: Int32 = MetadataResponse.authorizedOperationsOmitted
    ) {
        self.throttleTimeMs = throttleTimeMs
        self.brokers = brokers
        self.clusterId = clusterId
        self.controllerId = controllerId
        self.topics = topics
        self.clusterAuthorizedOperations = clusterAuthorizedOperations
    }

    public init(from reader: inout WireReader, version: Int16) throws(DecodeError) {
        let flexible = MetadataRequest.isFlexible(version)
        throttleTimeMs = version >= 3 ? try reader.readInt32("throttle_time_ms") : 0
        brokers = try reader.readArray("brokers", compact: flexible) { r throws(DecodeError) in
            let nodeId = try r.readInt32("node_id")
            let host = try r.readString("host", compact: flexible)
            let port = try r.readInt32("port")
            let rack = version >= 1 ? try r.readNullableString("rack", compact: flexible) : nil
            if flexible { try r.readTaggedFields("brokers") }
            return Broker(nodeId: nodeId, host: host, port: port, rack: rack)
        }
        clusterId =
            version >= 2 ? try reader.readNullableString("cluster_id", compact: flexible) : nil
        controllerId = version >= 1 ? try reader.readInt32("controller_id") : -1
        topics = try reader.readArray("topics", compact: flexible) { r throws(DecodeError) in
            try Self.readTopic(&r, version: version, flexible: flexible)
        }
        clusterAuthorizedOperations =
            (8...10).contains(version)
            ? try reader.readInt32("cluster_authorized_operations")
            : Self.authorizedOperationsOmitted
        if flexible { try reader.readTaggedFields("MetadataResponse") }
    }

    private static func readTopic(_ r: inout WireReader, version: Int16, flexible: Bool)
        throws(DecodeError) -> Topic
    {
        let errorCode = ErrorCode(rawValue: try r.readInt16("error_code"))
        let name =
            version >= 12
            ? try r.readNullableString("name", compact: flexible)
            : try r.readString("name", compact: flexible)
        let topicId = version >= 10 ? try r.readUuid("topic_id") : Uuid.zero
        let isInternal = version >= 1 ? try r.readBool("is_internal") : false
        let partitions = try r.readArray("partitions", compact: flexible) { p throws(DecodeError) in
            let errorCode = ErrorCode(rawValue: try p.readInt16("error_code"))
            let index = try p.readInt32("partition_index")
            let leaderId = try p.readInt32("leader_id")
            let leaderEpoch = version >= 7 ? try p.readInt32("leader_epoch") : -1
            let replicas = try p.readInt32Array("replica_nodes", compact: flexible)
            let isr = try p.readInt32Array("isr_nodes", compact: flexible)
            let offline =
                version >= 5 ? try p.readInt32Array("offline_replicas", compact: flexible) : []
            if flexible { try p.readTaggedFields("partitions") }
            return Partition(
                errorCode: errorCode, partitionIndex: index, leaderId: leaderId,
                leaderEpoch: leaderEpoch, replicaNodes: replicas, isrNodes: isr,
                offlineReplicas: offline)
        }
        let operations =
            version >= 8
            ? try r.readInt32("topic_authorized_operations") : authorizedOperationsOmitted
        if flexible { try r.readTaggedFields("topics") }
        return Topic(
            errorCode: errorCode, name: name, topicId: topicId, isInternal: isInternal,
            partitions: partitions, topicAuthorizedOperations: operations)
    }

    public func encode(to writer: inout WireWriter, version: Int16) {
        let flexible = MetadataRequest.isFlexible(version)
        if version >= 3 { writer.writeInt32(throttleTimeMs) }
        writer.writeArray(brokers, compact: flexible) { w, b in
            w.writeInt32(b.nodeId)
            w.writeString(b.host, compact: flexible)
            w.writeInt32(b.port)
            if version >= 1 { w.writeNullableString(b.rack, compact: flexible) }
            if flexible { w.writeTaggedFields() }
        }
        if version >= 2 { writer.writeNullableString(clusterId, compact: flexible) }
        if version >= 1 { writer.writeInt32(controllerId) }
        writer.writeArray(topics, compact: flexible) { w, t in
            Self.writeTopic(t, to: &w, version: version, flexible: flexible)
        }
        if (8...10).contains(version) { writer.writeInt32(clusterAuthorizedOperations) }
        if flexible { writer.writeTaggedFields() }
    }

    private static func writeTopic(
        _ t: Topic, to w: inout WireWriter, version: Int16, flexible: Bool
    ) {
        w.writeInt16(t.errorCode.rawValue)
        if version >= 12 {
            w.writeNullableString(t.name, compact: flexible)
        } else {
            w.writeString(t.name ?? "", compact: flexible)
        }
        if version >= 10 { w.writeUuid(t.topicId) }
        if version >= 1 { w.writeBool(t.isInternal) }
        w.writeArray(t.partitions, compact: flexible) { w, p in
            w.writeInt16(p.errorCode.rawValue)
            w.writeInt32(p.partitionIndex)
            w.writeInt32(p.leaderId)
            if version >= 7 { w.writeInt32(p.leaderEpoch) }
            w.writeInt32Array(p.replicaNodes, compact: flexible)
            w.writeInt32Array(p.isrNodes, compact: flexible)
            if version >= 5 { w.writeInt32Array(p.offlineReplicas, compact: flexible) }
            if flexible { w.writeTaggedFields() }
        }
        if version >= 8 { w.writeInt32(t.topicAuthorizedOperations) }
        if flexible { w.writeTaggedFields() }
    }
}
