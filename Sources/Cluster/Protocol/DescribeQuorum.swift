// Protocol room: DescribeQuorum (key 55), versions 0-2, flexible at every version. The admin
// client's view of the KRaft quorum: leader, epoch, high watermark and each replica's lag
// (KIP-595, `kafka-metadata-quorum.sh describe --status/--replication`).
//
// v0: the first version.  v1: last_fetch_timestamp and last_caught_up_timestamp on each
// replica (KIP-836).  v2: error_message at the top and on each partition,
// replica_directory_id on each replica, and the controllers' listeners in nodes (KIP-853).
// The request is the same at every version.

/// "Describe the quorum of these partitions." Mirrors Kafka's `DescribeQuorumRequestData`.
public struct DescribeQuorumRequest: KafkaRequest, Equatable {
    public typealias Response = DescribeQuorumResponse
    public static let apiKey = ApiKey.describeQuorum
    public static let versions: ClosedRange<Int16> = 0...2
    public static let firstFlexibleVersion: Int16? = 0

    /// Kafka's `PartitionData`.
    public struct PartitionData: Equatable, Sendable {
        public var partitionIndex: Int32

        public init(partitionIndex: Int32 = MetadataTopic.partition) {
            self.partitionIndex = partitionIndex
        }
    }

    /// Kafka's `TopicData`.
    public struct TopicData: Equatable, Sendable {
        public var topicName: String
        public var partitions: [PartitionData]

        public init(
            topicName: String = MetadataTopic.name, partitions: [PartitionData] = [.init()]
        ) {
            self.topicName = topicName
            self.partitions = partitions
        }
    }

    public var topics: [TopicData]

    /// By default, the one partition there is to ask about: `__cluster_metadata-0`.
    public init(topics: [TopicData] = [TopicData()]) {
        self.topics = topics
    }

    public init(from reader: inout WireReader, version: Int16) throws(DecodeError) {
        topics = try reader.readArray("topics", compact: true) { t throws(DecodeError) in
            let name = try t.readString("topic_name", compact: true)
            let partitions = try t.readArray("partitions", compact: true) {
                p throws(DecodeError) in
                let index = try p.readInt32("partition_index")
                try p.readTaggedFields("partitions")
                return PartitionData(partitionIndex: index)
            }
            try t.readTaggedFields("topics")
            return TopicData(topicName: name, partitions: partitions)
        }
        try reader.readTaggedFields("DescribeQuorumRequest")
    }

    public func encode(to writer: inout WireWriter, version: Int16) {
        writer.writeArray(topics, compact: true) { w, t in
            w.writeString(t.topicName, compact: true)
            w.writeArray(t.partitions, compact: true) { w, p in
                w.writeInt32(p.partitionIndex)
                w.writeTaggedFields()
            }
            w.writeTaggedFields()
        }
        writer.writeTaggedFields()
    }
}

/// The quorum's leader, high watermark, voters and observers. Mirrors
/// `DescribeQuorumResponseData`.
public struct DescribeQuorumResponse: KafkaResponse, Equatable {
    public typealias Listener = QuorumListener

    /// Kafka's `ReplicaState`: how far one voter or observer has replicated the log.
    public struct ReplicaState: Equatable, Sendable {
        public var replicaId: Int32
        /// v2+.
        public var replicaDirectoryId: Uuid
        /// The replica's log end offset as the leader last saw it, -1 when unknown.
        public var logEndOffset: Int64
        /// v1+: the leader's wall clock at the replica's last fetch, -1 for the leader
        /// itself or when unknown. Wall-clock data for display; it drives nothing.
        public var lastFetchTimestamp: Int64
        /// v1+: the leader's wall clock when the replica was last caught up, -1 when unknown.
        public var lastCaughtUpTimestamp: Int64

        public init(
            replicaId: Int32, replicaDirectoryId: Uuid = .zero, logEndOffset: Int64 = -1,
            lastFetchTimestamp: Int64 = -1, lastCaughtUpTimestamp: Int64 = -1
        ) {
            self.replicaId = replicaId
            self.replicaDirectoryId = replicaDirectoryId
            self.logEndOffset = logEndOffset
            self.lastFetchTimestamp = lastFetchTimestamp
            self.lastCaughtUpTimestamp = lastCaughtUpTimestamp
        }
    }

    /// Kafka's `PartitionData`.
    public struct PartitionData: Equatable, Sendable {
        public var partitionIndex: Int32
        public var errorCode: ErrorCode
        /// v2+.
        public var errorMessage: String?
        /// -1 when there is no leader.
        public var leaderId: Int32
        public var leaderEpoch: Int32
        public var highWatermark: Int64
        public var currentVoters: [ReplicaState]
        public var observers: [ReplicaState]

        public init(
            partitionIndex: Int32 = MetadataTopic.partition, errorCode: ErrorCode = .none,
            errorMessage: String? = nil, leaderId: Int32 = -1, leaderEpoch: Int32 = -1,
            highWatermark: Int64 = -1, currentVoters: [ReplicaState] = [],
            observers: [ReplicaState] = []
        ) {
            self.partitionIndex = partitionIndex
            self.errorCode = errorCode
            self.errorMessage = errorMessage
            self.leaderId = leaderId
            self.leaderEpoch = leaderEpoch
            self.highWatermark = highWatermark
            self.currentVoters = currentVoters
            self.observers = observers
        }
    }

    /// Kafka's `TopicData`.
    public struct TopicData: Equatable, Sendable {
        public var topicName: String
        public var partitions: [PartitionData]

        public init(topicName: String = MetadataTopic.name, partitions: [PartitionData] = []) {
            self.topicName = topicName
            self.partitions = partitions
        }
    }

    /// Kafka's `Node`: a voter and the listeners it can be reached on.
    public struct Node: Equatable, Sendable {
        public var nodeId: Int32
        public var listeners: [Listener]

        public init(nodeId: Int32, listeners: [Listener] = []) {
            self.nodeId = nodeId
            self.listeners = listeners
        }
    }

    public var errorCode: ErrorCode
    /// v2+.
    public var errorMessage: String?
    public var topics: [TopicData]
    /// v2+.
    public var nodes: [Node]

    public init(
        errorCode: ErrorCode = .none, errorMessage: String? = nil, topics: [TopicData] = [],
        nodes: [Node] = []
    ) {
        self.errorCode = errorCode
        self.errorMessage = errorMessage
        self.topics = topics
        self.nodes = nodes
    }

    // MARK: - Decoding

    public init(from reader: inout WireReader, version: Int16) throws(DecodeError) {
        self.init()
        errorCode = ErrorCode(rawValue: try reader.readInt16("error_code"))
        if (2...).contains(version) {
            errorMessage = try reader.readNullableString("error_message", compact: true)
        }
        topics = try reader.readArray("topics", compact: true) { t throws(DecodeError) in
            let name = try t.readString("topic_name", compact: true)
            let partitions = try t.readArray("partitions", compact: true) {
                p throws(DecodeError) in
                try Self.readPartition(&p, version: version)
            }
            try t.readTaggedFields("topics")
            return TopicData(topicName: name, partitions: partitions)
        }
        if (2...).contains(version) {
            nodes = try reader.readArray("nodes", compact: true) { n throws(DecodeError) in
                let nodeId = try n.readInt32("node_id")
                let listeners = try Listener.readArray(&n, field: "listeners")
                try n.readTaggedFields("nodes")
                return Node(nodeId: nodeId, listeners: listeners)
            }
        }
        try reader.readTaggedFields("DescribeQuorumResponse")
    }

    private static func readPartition(_ p: inout WireReader, version: Int16) throws(DecodeError)
        -> PartitionData
    {
        var partition = PartitionData(partitionIndex: try p.readInt32("partition_index"))
        partition.errorCode = ErrorCode(rawValue: try p.readInt16("error_code"))
        if (2...).contains(version) {
            partition.errorMessage = try p.readNullableString("error_message", compact: true)
        }
        partition.leaderId = try p.readInt32("leader_id")
        partition.leaderEpoch = try p.readInt32("leader_epoch")
        partition.highWatermark = try p.readInt64("high_watermark")
        partition.currentVoters = try readReplicas(&p, field: "current_voters", version: version)
        partition.observers = try readReplicas(&p, field: "observers", version: version)
        try p.readTaggedFields("partitions")
        return partition
    }

    private static func readReplicas(_ p: inout WireReader, field: String, version: Int16)
        throws(DecodeError) -> [ReplicaState]
    {
        try p.readArray(field, compact: true) { r throws(DecodeError) in
            var replica = ReplicaState(replicaId: try r.readInt32("replica_id"))
            if (2...).contains(version) {
                replica.replicaDirectoryId = try r.readUuid("replica_directory_id")
            }
            replica.logEndOffset = try r.readInt64("log_end_offset")
            if (1...).contains(version) {
                replica.lastFetchTimestamp = try r.readInt64("last_fetch_timestamp")
                replica.lastCaughtUpTimestamp = try r.readInt64("last_caught_up_timestamp")
            }
            try r.readTaggedFields(field)
            return replica
        }
    }

    // MARK: - Encoding

    public func encode(to writer: inout WireWriter, version: Int16) {
        writer.writeInt16(errorCode.rawValue)
        if (2...).contains(version) { writer.writeNullableString(errorMessage, compact: true) }
        writer.writeArray(topics, compact: true) { w, t in
            w.writeString(t.topicName, compact: true)
            w.writeArray(t.partitions, compact: true) { w, p in
                w.writeInt32(p.partitionIndex)
                w.writeInt16(p.errorCode.rawValue)
                if (2...).contains(version) { w.writeNullableString(p.errorMessage, compact: true) }
                w.writeInt32(p.leaderId)
                w.writeInt32(p.leaderEpoch)
                w.writeInt64(p.highWatermark)
                Self.writeReplicas(p.currentVoters, to: &w, version: version)
                Self.writeReplicas(p.observers, to: &w, version: version)
                w.writeTaggedFields()
            }
            w.writeTaggedFields()
        }
        if (2...).contains(version) {
            writer.writeArray(nodes, compact: true) { w, n in
                w.writeInt32(n.nodeId)
                Listener.writeArray(n.listeners, to: &w)
                w.writeTaggedFields()
            }
        }
        writer.writeTaggedFields()
    }

    private static func writeReplicas(
        _ replicas: [ReplicaState], to w: inout WireWriter, version: Int16
    ) {
        w.writeArray(replicas, compact: true) { w, r in
            w.writeInt32(r.replicaId)
            if (2...).contains(version) { w.writeUuid(r.replicaDirectoryId) }
            w.writeInt64(r.logEndOffset)
            if (1...).contains(version) {
                w.writeInt64(r.lastFetchTimestamp)
                w.writeInt64(r.lastCaughtUpTimestamp)
            }
            w.writeTaggedFields()
        }
    }
}
