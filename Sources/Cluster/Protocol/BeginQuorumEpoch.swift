// Protocol room: BeginQuorumEpoch (key 53), versions 0-1, flexible from v1. A newly elected
// KRaft leader tells every voter "I lead this epoch" (KIP-595).
//
// v0: the first version, not flexible.  v1: flexible; voter_id, voter_directory_id on each
// partition, leader_endpoints in the request, and the tagged node_endpoints in the response
// (KIP-853).

import NIOCore

/// "I won the election for this epoch." Mirrors Kafka's `BeginQuorumEpochRequestData`.
///
/// Until a voter hears this (or fetches from the new leader) it keeps voting or waiting, so
/// the leader resends it until each voter answers. The endpoints let a voter reach a leader
/// it learned of only from this request.
public struct BeginQuorumEpochRequest: KafkaRequest, Equatable {
    public typealias Response = BeginQuorumEpochResponse
    public typealias LeaderEndpoint = QuorumListener
    public static let apiKey = ApiKey.beginQuorumEpoch
    public static let versions: ClosedRange<Int16> = 0...1
    public static let firstFlexibleVersion: Int16? = 1

    /// Kafka's `PartitionData`.
    public struct PartitionData: Equatable, Sendable {
        public var partitionIndex: Int32
        /// v1+: the directory id of the voter being told.
        public var voterDirectoryId: Uuid
        /// The newly elected leader.
        public var leaderId: Int32
        /// The quorum epoch it leads.
        public var leaderEpoch: Int32

        public init(
            partitionIndex: Int32 = MetadataTopic.partition, voterDirectoryId: Uuid = .zero,
            leaderId: Int32, leaderEpoch: Int32
        ) {
            self.partitionIndex = partitionIndex
            self.voterDirectoryId = voterDirectoryId
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

    public var clusterId: String?
    /// v1+: the replica id of the voter being told, -1 when unknown.
    public var voterId: Int32
    public var topics: [TopicData]
    /// v1+: the new leader's listeners.
    public var leaderEndpoints: [LeaderEndpoint]

    public init(
        clusterId: String? = nil, voterId: Int32 = -1, topics: [TopicData] = [],
        leaderEndpoints: [LeaderEndpoint] = []
    ) {
        self.clusterId = clusterId
        self.voterId = voterId
        self.topics = topics
        self.leaderEndpoints = leaderEndpoints
    }

    public init(from reader: inout WireReader, version: Int16) throws(DecodeError) {
        let flexible = Self.isFlexible(version)
        self.init()
        clusterId = try reader.readNullableString("cluster_id", compact: flexible)
        if (1...).contains(version) { voterId = try reader.readInt32("voter_id") }
        topics = try reader.readArray("topics", compact: flexible) { t throws(DecodeError) in
            let name = try t.readString("topic_name", compact: flexible)
            let partitions = try t.readArray("partitions", compact: flexible) {
                p throws(DecodeError) in
                let index = try p.readInt32("partition_index")
                let directory =
                    (1...).contains(version) ? try p.readUuid("voter_directory_id") : Uuid.zero
                let leaderId = try p.readInt32("leader_id")
                let leaderEpoch = try p.readInt32("leader_epoch")
                if flexible { try p.readTaggedFields("partitions") }
                return PartitionData(
                    partitionIndex: index, voterDirectoryId: directory, leaderId: leaderId,
                    leaderEpoch: leaderEpoch)
            }
            if flexible { try t.readTaggedFields("topics") }
            return TopicData(topicName: name, partitions: partitions)
        }
        if (1...).contains(version) {
            leaderEndpoints = try LeaderEndpoint.readArray(&reader, field: "leader_endpoints")
        }
        if flexible { try reader.readTaggedFields("BeginQuorumEpochRequest") }
    }

    public func encode(to writer: inout WireWriter, version: Int16) {
        let flexible = Self.isFlexible(version)
        writer.writeNullableString(clusterId, compact: flexible)
        if (1...).contains(version) { writer.writeInt32(voterId) }
        writer.writeArray(topics, compact: flexible) { w, t in
            w.writeString(t.topicName, compact: flexible)
            w.writeArray(t.partitions, compact: flexible) { w, p in
                w.writeInt32(p.partitionIndex)
                if (1...).contains(version) { w.writeUuid(p.voterDirectoryId) }
                w.writeInt32(p.leaderId)
                w.writeInt32(p.leaderEpoch)
                if flexible { w.writeTaggedFields() }
            }
            if flexible { w.writeTaggedFields() }
        }
        if (1...).contains(version) { LeaderEndpoint.writeArray(leaderEndpoints, to: &writer) }
        if flexible { writer.writeTaggedFields() }
    }
}

/// Each voter's view of the leader after the news. Mirrors `BeginQuorumEpochResponseData`.
public struct BeginQuorumEpochResponse: KafkaResponse, Equatable {
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
        let flexible = BeginQuorumEpochRequest.isFlexible(version)
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
            try reader.readTaggedFields("BeginQuorumEpochResponse") { tag, t throws(DecodeError) in
                if (1...).contains(version) && tag == NodeEndpoint.nodeEndpointsTag {
                    endpoints = try NodeEndpoint.readArray(&t)
                }
            }
        }
        nodeEndpoints = endpoints
    }

    public func encode(to writer: inout WireWriter, version: Int16) {
        let flexible = BeginQuorumEpochRequest.isFlexible(version)
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
