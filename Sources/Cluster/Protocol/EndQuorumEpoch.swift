// Protocol room: EndQuorumEpoch (key 54), versions 0-1, flexible from v1. A KRaft leader that
// is shutting down resigns, so voters start an election at once instead of timing out.
//
// v0: the first version, not flexible; preferred_successors (KIP-595).  v1: flexible;
// preferred_candidates (id and directory id) replace preferred_successors, leader_endpoints
// in the request, and the tagged node_endpoints in the response (KIP-853).

import NIOCore

/// "I am resigning as leader of this epoch." Mirrors Kafka's `EndQuorumEpochRequestData`.
///
/// The preferred candidates are the voters the leader ranks by how caught up they were; a
/// voter further down the list waits a little longer before standing, so the best-placed
/// voter usually wins the election that follows.
public struct EndQuorumEpochRequest: KafkaRequest, Equatable {
    public typealias Response = EndQuorumEpochResponse
    public typealias LeaderEndpoint = QuorumListener
    public static let apiKey = ApiKey.endQuorumEpoch
    public static let versions: ClosedRange<Int16> = 0...1
    public static let firstFlexibleVersion: Int16? = 1

    /// Kafka's `ReplicaInfo`: one preferred candidate.
    public struct ReplicaInfo: Equatable, Sendable {
        public var candidateId: Int32
        public var candidateDirectoryId: Uuid

        public init(candidateId: Int32, candidateDirectoryId: Uuid = .zero) {
            self.candidateId = candidateId
            self.candidateDirectoryId = candidateDirectoryId
        }
    }

    /// Kafka's `PartitionData`.
    public struct PartitionData: Equatable, Sendable {
        public var partitionIndex: Int32
        /// The resigning leader.
        public var leaderId: Int32
        /// The quorum epoch it is resigning from.
        public var leaderEpoch: Int32
        /// v0 only: voter ids in order of preference.
        public var preferredSuccessors: [Int32]
        /// v1+: voters in order of preference, with their directory ids.
        public var preferredCandidates: [ReplicaInfo]

        public init(
            partitionIndex: Int32 = MetadataTopic.partition, leaderId: Int32, leaderEpoch: Int32,
            preferredSuccessors: [Int32] = [], preferredCandidates: [ReplicaInfo] = []
        ) {
            self.partitionIndex = partitionIndex
            self.leaderId = leaderId
            self.leaderEpoch = leaderEpoch
            self.preferredSuccessors = preferredSuccessors
            self.preferredCandidates = preferredCandidates
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

    public var clusterId: String?
    public var topics: [TopicData]
    /// v1+: the resigning leader's listeners.
    public var leaderEndpoints: [LeaderEndpoint]

    public init(
        clusterId: String? = nil, topics: [TopicData] = [], leaderEndpoints: [LeaderEndpoint] = []
    ) {
        self.clusterId = clusterId
        self.topics = topics
        self.leaderEndpoints = leaderEndpoints
    }

    public init(from reader: inout WireReader, version: Int16) throws(DecodeError) {
        let flexible = Self.isFlexible(version)
        self.init()
        clusterId = try reader.readNullableString("cluster_id", compact: flexible)
        topics = try reader.readArray("topics", compact: flexible) { t throws(DecodeError) in
            let name = try t.readString("topic_name", compact: flexible)
            let partitions = try t.readArray("partitions", compact: flexible) {
                p throws(DecodeError) in
                try Self.readPartition(&p, version: version, flexible: flexible)
            }
            if flexible { try t.readTaggedFields("topics") }
            return TopicData(topicName: name, partitions: partitions)
        }
        if (1...).contains(version) {
            leaderEndpoints = try LeaderEndpoint.readArray(&reader, field: "leader_endpoints")
        }
        if flexible { try reader.readTaggedFields("EndQuorumEpochRequest") }
    }

    private static func readPartition(_ p: inout WireReader, version: Int16, flexible: Bool)
        throws(DecodeError) -> PartitionData
    {
        var partition = PartitionData(
            partitionIndex: try p.readInt32("partition_index"),
            leaderId: try p.readInt32("leader_id"), leaderEpoch: try p.readInt32("leader_epoch"))
        if (0...0).contains(version) {
            partition.preferredSuccessors = try p.readInt32Array(
                "preferred_successors", compact: flexible)
        }
        if (1...).contains(version) {
            partition.preferredCandidates = try p.readArray(
                "preferred_candidates", compact: flexible
            ) { c throws(DecodeError) in
                let id = try c.readInt32("candidate_id")
                let directory = try c.readUuid("candidate_directory_id")
                if flexible { try c.readTaggedFields("preferred_candidates") }
                return ReplicaInfo(candidateId: id, candidateDirectoryId: directory)
            }
        }
        if flexible { try p.readTaggedFields("partitions") }
        return partition
    }

    public func encode(to writer: inout WireWriter, version: Int16) {
        let flexible = Self.isFlexible(version)
        writer.writeNullableString(clusterId, compact: flexible)
        writer.writeArray(topics, compact: flexible) { w, t in
            w.writeString(t.topicName, compact: flexible)
            w.writeArray(t.partitions, compact: flexible) { w, p in
                w.writeInt32(p.partitionIndex)
                w.writeInt32(p.leaderId)
                w.writeInt32(p.leaderEpoch)
                if (0...0).contains(version) {
                    w.writeInt32Array(p.preferredSuccessors, compact: flexible)
                }
                if (1...).contains(version) {
                    w.writeArray(p.preferredCandidates, compact: flexible) { w, c in
                        w.writeInt32(c.candidateId)
                        w.writeUuid(c.candidateDirectoryId)
                        if flexible { w.writeTaggedFields() }
                    }
                }
                if flexible { w.writeTaggedFields() }
            }
            if flexible { w.writeTaggedFields() }
        }
        if (1...).contains(version) { LeaderEndpoint.writeArray(leaderEndpoints, to: &writer) }
        if flexible { writer.writeTaggedFields() }
    }
}

/// Each voter's view of the leader after the resignation. Mirrors `EndQuorumEpochResponseData`.
public struct EndQuorumEpochResponse: KafkaResponse, Equatable {
    public typealias NodeEndpoint = QuorumNodeEndpoint

    /// Kafka's `PartitionData`.
    public struct PartitionData: Equatable, Sendable {
        public var partitionIndex: Int32
        public var errorCode: ErrorCode
        /// The leader the voter knows of, -1 when it knows none.
        public var leaderId: Int32
        /// The latest quorum epoch the voter knows of.
        public var leaderEpoch: Int32

        public init(
            partitionIndex: Int32 = MetadataTopic.partition, errorCode: ErrorCode = .none,
            leaderId: Int32 = -1, leaderEpoch: Int32 = -1
        ) {
            self.partitionIndex = partitionIndex
            self.errorCode = errorCode
            self.leaderId = leaderId
            self.leaderEpoch = leaderEpoch
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

    public var errorCode: ErrorCode
    public var topics: [TopicData]
    /// v1+, tagged (tag 0); sent only when not empty.
    public var nodeEndpoints: [NodeEndpoint]

    public init(
        errorCode: ErrorCode = .none, topics: [TopicData] = [], nodeEndpoints: [NodeEndpoint] = []
    ) {
        self.errorCode = errorCode
        self.topics = topics
        self.nodeEndpoints = nodeEndpoints
    }

    public init(from reader: inout WireReader, version: Int16) throws(DecodeError) {
        let flexible = EndQuorumEpochRequest.isFlexible(version)
        errorCode = ErrorCode(rawValue: try reader.readInt16("error_code"))
        topics = try reader.readArray("topics", compact: flexible) { t throws(DecodeError) in
            let name = try t.readString("topic_name", compact: flexible)
            let partitions = try t.readArray("partitions", compact: flexible) {
                p throws(DecodeError) in
                let index = try p.readInt32("partition_index")
                let errorCode = ErrorCode(rawValue: try p.readInt16("error_code"))
                let leaderId = try p.readInt32("leader_id")
                let leaderEpoch = try p.readInt32("leader_epoch")
                if flexible { try p.readTaggedFields("partitions") }
                return PartitionData(
                    partitionIndex: index, errorCode: errorCode, leaderId: leaderId,
                    leaderEpoch: leaderEpoch)
            }
            if flexible { try t.readTaggedFields("topics") }
            return TopicData(topicName: name, partitions: partitions)
        }
        var endpoints: [NodeEndpoint] = []
        if flexible {
            try reader.readTaggedFields("EndQuorumEpochResponse") { tag, t throws(DecodeError) in
                if (1...).contains(version) && tag == NodeEndpoint.nodeEndpointsTag {
                    endpoints = try NodeEndpoint.readArray(&t)
                }
            }
        }
        nodeEndpoints = endpoints
    }

    public func encode(to writer: inout WireWriter, version: Int16) {
        let flexible = EndQuorumEpochRequest.isFlexible(version)
        writer.writeInt16(errorCode.rawValue)
        writer.writeArray(topics, compact: flexible) { w, t in
            w.writeString(t.topicName, compact: flexible)
            w.writeArray(t.partitions, compact: flexible) { w, p in
                w.writeInt32(p.partitionIndex)
                w.writeInt16(p.errorCode.rawValue)
                w.writeInt32(p.leaderId)
                w.writeInt32(p.leaderEpoch)
                if flexible { w.writeTaggedFields() }
            }
            if flexible { w.writeTaggedFields() }
        }
        guard flexible else { return }
        var tags: [(tag: UInt32, bytes: ByteBuffer)] = []
        if (1...).contains(version) && !nodeEndpoints.isEmpty {
            tags.append(NodeEndpoint.taggedField(nodeEndpoints))
        }
        writer.writeTaggedFields(tags)
    }
}
