// Protocol room: Vote (key 52), versions 0-2, flexible at every version. A KRaft candidate
// asks each voter for its vote in a new quorum epoch (KIP-595).
//
// v0: the first version.  v1: voter_id, and candidate_directory_id and voter_directory_id on
// each partition, so a vote goes to one replica of a voter, not just its id; the tagged
// node_endpoints in the response (KIP-853).  v2: pre_vote, to ask whether a vote would be
// granted without bumping the epoch (KIP-996); the response is unchanged.

import NIOCore

/// "Vote for me as leader of this epoch." Mirrors Kafka's `VoteRequestData`.
///
/// A voter grants one vote per epoch, and only to a candidate whose log is at least as
/// up to date as its own: a greater `lastOffsetEpoch`, or the same one and a `lastOffset`
/// at least as large. Kafka nests partitions in topics, though KRaft only ever names
/// `__cluster_metadata-0`, so `TopicData` defaults to that topic.
public struct VoteRequest: KafkaRequest, Equatable {
    public typealias Response = VoteResponse
    public static let apiKey = ApiKey.vote
    public static let versions: ClosedRange<Int16> = 0...2
    public static let firstFlexibleVersion: Int16? = 0

    /// Kafka's `PartitionData`: one candidacy for one partition.
    public struct PartitionData: Equatable, Sendable {
        public var partitionIndex: Int32
        /// The quorum epoch the candidate bumped to.
        public var candidateEpoch: Int32
        public var candidateId: Int32
        /// v1+: the candidate's metadata log directory id.
        public var candidateDirectoryId: Uuid
        /// v1+: the directory id of the voter being asked, so a replaced disk cannot vote.
        public var voterDirectoryId: Uuid
        /// The leader epoch of the last record in the candidate's log.
        public var lastOffsetEpoch: Int32
        /// The candidate's log end offset.
        public var lastOffset: Int64
        /// v2+: true to ask "would you vote for me?" without the voter recording a vote.
        public var preVote: Bool

        public init(
            partitionIndex: Int32 = MetadataTopic.partition, candidateEpoch: Int32,
            candidateId: Int32, candidateDirectoryId: Uuid = .zero, voterDirectoryId: Uuid = .zero,
            lastOffsetEpoch: Int32, lastOffset: Int64, preVote: Bool = false
        ) {
            self.partitionIndex = partitionIndex
            self.candidateEpoch = candidateEpoch
            self.candidateId = candidateId
            self.candidateDirectoryId = candidateDirectoryId
            self.voterDirectoryId = voterDirectoryId
            self.lastOffsetEpoch = lastOffsetEpoch
            self.lastOffset = lastOffset
            self.preVote = preVote
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
    /// v1+: the replica id of the voter being asked, -1 when unknown.
    public var voterId: Int32
    public var topics: [TopicData]

    public init(clusterId: String? = nil, voterId: Int32 = -1, topics: [TopicData] = []) {
        self.clusterId = clusterId
        self.voterId = voterId
        self.topics = topics
    }

    public init(from reader: inout WireReader, version: Int16) throws(DecodeError) {
        self.init()
        clusterId = try reader.readNullableString("cluster_id", compact: true)
        if (1...).contains(version) { voterId = try reader.readInt32("voter_id") }
        topics = try reader.readArray("topics", compact: true) { t throws(DecodeError) in
            let name = try t.readString("topic_name", compact: true)
            let partitions = try t.readArray("partitions", compact: true) {
                p throws(DecodeError) in
                try Self.readPartition(&p, version: version)
            }
            try t.readTaggedFields("topics")
            return TopicData(topicName: name, partitions: partitions)
        }
        try reader.readTaggedFields("VoteRequest")
    }

    private static func readPartition(_ p: inout WireReader, version: Int16) throws(DecodeError)
        -> PartitionData
    {
        let index = try p.readInt32("partition_index")
        let candidateEpoch = try p.readInt32("candidate_epoch")
        let candidateId = try p.readInt32("candidate_id")
        var partition = PartitionData(
            partitionIndex: index, candidateEpoch: candidateEpoch, candidateId: candidateId,
            lastOffsetEpoch: -1, lastOffset: -1)
        if (1...).contains(version) {
            partition.candidateDirectoryId = try p.readUuid("candidate_directory_id")
            partition.voterDirectoryId = try p.readUuid("voter_directory_id")
        }
        partition.lastOffsetEpoch = try p.readInt32("last_offset_epoch")
        partition.lastOffset = try p.readInt64("last_offset")
        if (2...).contains(version) { partition.preVote = try p.readBool("pre_vote") }
        try p.readTaggedFields("partitions")
        return partition
    }

    public func encode(to writer: inout WireWriter, version: Int16) {
        writer.writeNullableString(clusterId, compact: true)
        if (1...).contains(version) { writer.writeInt32(voterId) }
        writer.writeArray(topics, compact: true) { w, t in
            w.writeString(t.topicName, compact: true)
            w.writeArray(t.partitions, compact: true) { w, p in
                w.writeInt32(p.partitionIndex)
                w.writeInt32(p.candidateEpoch)
                w.writeInt32(p.candidateId)
                if (1...).contains(version) {
                    w.writeUuid(p.candidateDirectoryId)
                    w.writeUuid(p.voterDirectoryId)
                }
                w.writeInt32(p.lastOffsetEpoch)
                w.writeInt64(p.lastOffset)
                if (2...).contains(version) { w.writeBool(p.preVote) }
                w.writeTaggedFields()
            }
            w.writeTaggedFields()
        }
        writer.writeTaggedFields()
    }
}

/// Granted or not, with the voter's view of the leader. Mirrors `VoteResponseData`.
public struct VoteResponse: KafkaResponse, Equatable {
    public typealias NodeEndpoint = QuorumNodeEndpoint

    /// Kafka's `PartitionData`.
    public struct PartitionData: Equatable, Sendable {
        public var partitionIndex: Int32
        public var errorCode: ErrorCode
        /// The leader the voter knows of, -1 when it knows none.
        public var leaderId: Int32
        /// The latest quorum epoch the voter knows of.
        public var leaderEpoch: Int32
        public var voteGranted: Bool

        public init(
            partitionIndex: Int32 = MetadataTopic.partition, errorCode: ErrorCode = .none,
            leaderId: Int32 = -1, leaderEpoch: Int32 = -1, voteGranted: Bool = false
        ) {
            self.partitionIndex = partitionIndex
            self.errorCode = errorCode
            self.leaderId = leaderId
            self.leaderEpoch = leaderEpoch
            self.voteGranted = voteGranted
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

    /// A request-level error such as INCONSISTENT_CLUSTER_ID.
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
        errorCode = ErrorCode(rawValue: try reader.readInt16("error_code"))
        topics = try reader.readArray("topics", compact: true) { t throws(DecodeError) in
            let name = try t.readString("topic_name", compact: true)
            let partitions = try t.readArray("partitions", compact: true) {
                p throws(DecodeError) in
                let index = try p.readInt32("partition_index")
                let errorCode = ErrorCode(rawValue: try p.readInt16("error_code"))
                let leaderId = try p.readInt32("leader_id")
                let leaderEpoch = try p.readInt32("leader_epoch")
                let granted = try p.readBool("vote_granted")
                try p.readTaggedFields("partitions")
                return PartitionData(
                    partitionIndex: index, errorCode: errorCode, leaderId: leaderId,
                    leaderEpoch: leaderEpoch, voteGranted: granted)
            }
            try t.readTaggedFields("topics")
            return TopicData(topicName: name, partitions: partitions)
        }
        var endpoints: [NodeEndpoint] = []
        try reader.readTaggedFields("VoteResponse") { tag, t throws(DecodeError) in
            if (1...).contains(version) && tag == NodeEndpoint.nodeEndpointsTag {
                endpoints = try NodeEndpoint.readArray(&t)
            }
        }
        nodeEndpoints = endpoints
    }

    public func encode(to writer: inout WireWriter, version: Int16) {
        writer.writeInt16(errorCode.rawValue)
        writer.writeArray(topics, compact: true) { w, t in
            w.writeString(t.topicName, compact: true)
            w.writeArray(t.partitions, compact: true) { w, p in
                w.writeInt32(p.partitionIndex)
                w.writeInt16(p.errorCode.rawValue)
                w.writeInt32(p.leaderId)
                w.writeInt32(p.leaderEpoch)
                w.writeBool(p.voteGranted)
                w.writeTaggedFields()
            }
            w.writeTaggedFields()
        }
        var tags: [(tag: UInt32, bytes: ByteBuffer)] = []
        if (1...).contains(version) && !nodeEndpoints.isEmpty {
            tags.append(NodeEndpoint.taggedField(nodeEndpoints))
        }
        writer.writeTaggedFields(tags)
    }
}
