// Protocol room: Fetch (key 1), versions 4-16, flexible from v12. Consumers and follower
// replicas read record batches; the records go out as the log's bytes, never re-encoded.
//
// v4: isolation_level; last_stable_offset and aborted_transactions in the response.
// v5: log_start_offset.  v6: may return KAFKA_STORAGE_ERROR.  v7: fetch sessions: session_id,
// session_epoch, forgotten_topics_data; top-level error_code and session_id in the response
// (KIP-227).  v8: responses are sent before throttling.  v9: current_leader_epoch (KIP-320).
// v10: ZStandard (KIP-110).  v11: rack_id; preferred_read_replica (KIP-392).
// v12: flexible; last_fetched_epoch, the tagged cluster_id, and the tagged diverging_epoch,
// current_leader and snapshot_id in the response (KIP-595).  v13: topic_id replaces the topic
// name (KIP-516).  v14: may return OFFSET_MOVED_TO_TIERED_STORAGE (KIP-405).  v15: the tagged
// replica_state replaces replica_id (KIP-903).  v16: tagged node_endpoints (KIP-951).

import NIOCore

/// "Send me records from these partitions, from these offsets." Mirrors `FetchRequestData`.
///
/// `replicaId` and `replicaEpoch` are one field at every version, as Kafka's
/// `FetchRequest.replicaId()` presents them: plain `replica_id` up to v14, inside the tagged
/// `replica_state` (tag 1) from v15, where `replicaEpoch` first exists. -1 is a consumer.
public struct FetchRequest: KafkaRequest, Equatable {
    public typealias Response = FetchResponse
    public static let apiKey = ApiKey.fetch
    public static let versions: ClosedRange<Int16> = 4...16
    public static let firstFlexibleVersion: Int16? = 12

    /// Kafka's `FetchPartition`.
    public struct FetchPartition: Equatable, Sendable {
        public var partition: Int32
        /// v9+.
        public var currentLeaderEpoch: Int32
        public var fetchOffset: Int64
        /// v12+: the epoch of the last record fetched, for divergence checks (KIP-595).
        public var lastFetchedEpoch: Int32
        /// A follower's log start offset, -1 from consumers.
        public var logStartOffset: Int64
        public var partitionMaxBytes: Int32

        public init(
            partition: Int32, currentLeaderEpoch: Int32 = -1, fetchOffset: Int64,
            lastFetchedEpoch: Int32 = -1, logStartOffset: Int64 = -1,
            partitionMaxBytes: Int32 = 1_048_576
        ) {
            self.partition = partition
            self.currentLeaderEpoch = currentLeaderEpoch
            self.fetchOffset = fetchOffset
            self.lastFetchedEpoch = lastFetchedEpoch
            self.logStartOffset = logStartOffset
            self.partitionMaxBytes = partitionMaxBytes
        }
    }

    /// Kafka's `FetchTopic`: named by `topic` up to v12, by `topicId` from v13.
    public struct FetchTopic: Equatable, Sendable {
        public var topic: String
        public var topicId: Uuid
        public var partitions: [FetchPartition]

        public init(topic: String = "", topicId: Uuid = .zero, partitions: [FetchPartition] = []) {
            self.topic = topic
            self.topicId = topicId
            self.partitions = partitions
        }
    }

    /// Kafka's `ForgottenTopic`: partitions to drop from an incremental fetch session.
    public struct ForgottenTopic: Equatable, Sendable {
        public var topic: String
        public var topicId: Uuid
        public var partitions: [Int32]

        public init(topic: String = "", topicId: Uuid = .zero, partitions: [Int32] = []) {
            self.topic = topic
            self.topicId = topicId
            self.partitions = partitions
        }
    }

    /// v12+, tagged (tag 0).
    public var clusterId: String?
    public var replicaId: Int32
    /// v15+, inside `replica_state`: the follower's broker epoch.
    public var replicaEpoch: Int64
    public var maxWaitMs: Int32
    public var minBytes: Int32
    public var maxBytes: Int32
    /// 0 READ_UNCOMMITTED, 1 READ_COMMITTED.
    public var isolationLevel: Int8
    /// v7+.
    public var sessionId: Int32
    /// v7+.
    public var sessionEpoch: Int32
    public var topics: [FetchTopic]
    /// v7+.
    public var forgottenTopicsData: [ForgottenTopic]
    /// v11+.
    public var rackId: String

    public init(
        clusterId: String? = nil, replicaId: Int32 = -1, replicaEpoch: Int64 = -1,
        maxWaitMs: Int32 = 500, minBytes: Int32 = 1, maxBytes: Int32 = Int32.max,
        isolationLevel: Int8 = 0, sessionId: Int32 = 0, sessionEpoch: Int32 = -1,
        topics: [FetchTopic] = [], forgottenTopicsData: [ForgottenTopic] = [], rackId: String = ""
    ) {
        self.clusterId = clusterId
        self.replicaId = replicaId
        self.replicaEpoch = replicaEpoch
        self.maxWaitMs = maxWaitMs
        self.minBytes = minBytes
        self.maxBytes = maxBytes
        self.isolationLevel = isolationLevel
        self.sessionId = sessionId
        self.sessionEpoch = sessionEpoch
        self.topics = topics
        self.forgottenTopicsData = forgottenTopicsData
        self.rackId = rackId
    }

    private static let clusterIdTag: UInt32 = 0
    private static let replicaStateTag: UInt32 = 1

    // MARK: - Decoding

    public init(from reader: inout WireReader, version: Int16) throws(DecodeError) {
        let flexible = Self.isFlexible(version)
        self.init()
        if version <= 14 { replicaId = try reader.readInt32("replica_id") }
        maxWaitMs = try reader.readInt32("max_wait_ms")
        minBytes = try reader.readInt32("min_bytes")
        maxBytes = try reader.readInt32("max_bytes")
        isolationLevel = try reader.readInt8("isolation_level")
        if version >= 7 {
            sessionId = try reader.readInt32("session_id")
            sessionEpoch = try reader.readInt32("session_epoch")
        }
        topics = try reader.readArray("topics", compact: flexible) { r throws(DecodeError) in
            try Self.readTopic(&r, version: version, flexible: flexible)
        }
        if version >= 7 {
            forgottenTopicsData = try reader.readArray("forgotten_topics_data", compact: flexible) {
                r throws(DecodeError) in
                let topic = version <= 12 ? try r.readString("topic", compact: flexible) : ""
                let topicId = version >= 13 ? try r.readUuid("topic_id") : Uuid.zero
                let partitions = try r.readInt32Array("partitions", compact: flexible)
                if flexible { try r.readTaggedFields("forgotten_topics_data") }
                return ForgottenTopic(topic: topic, topicId: topicId, partitions: partitions)
            }
        }
        if version >= 11 { rackId = try reader.readString("rack_id", compact: flexible) }
        if flexible { try readTopLevelTags(&reader, version: version) }
    }

    private mutating func readTopLevelTags(_ reader: inout WireReader, version: Int16)
        throws(DecodeError)
    {
        var clusterId: String? = nil
        var replica: (id: Int32, epoch: Int64)? = nil
        try reader.readTaggedFields("FetchRequest") { tag, t throws(DecodeError) in
            switch tag {
            case Self.clusterIdTag:
                clusterId = try t.readNullableString("cluster_id", compact: true)
            case Self.replicaStateTag where version >= 15:
                let id = try t.readInt32("replica_id")
                let epoch = try t.readInt64("replica_epoch")
                try t.readTaggedFields("replica_state")
                replica = (id, epoch)
            default: break
            }
        }
        self.clusterId = clusterId
        if let replica {
            replicaId = replica.id
            replicaEpoch = replica.epoch
        }
    }

    private static func readTopic(_ r: inout WireReader, version: Int16, flexible: Bool)
        throws(DecodeError) -> FetchTopic
    {
        let topic = version <= 12 ? try r.readString("topic", compact: flexible) : ""
        let topicId = version >= 13 ? try r.readUuid("topic_id") : Uuid.zero
        let partitions = try r.readArray("partitions", compact: flexible) { p throws(DecodeError) in
            let partition = try p.readInt32("partition")
            let currentLeaderEpoch = version >= 9 ? try p.readInt32("current_leader_epoch") : -1
            let fetchOffset = try p.readInt64("fetch_offset")
            let lastFetchedEpoch = version >= 12 ? try p.readInt32("last_fetched_epoch") : -1
            let logStartOffset = version >= 5 ? try p.readInt64("log_start_offset") : -1
            let partitionMaxBytes = try p.readInt32("partition_max_bytes")
            if flexible { try p.readTaggedFields("partitions") }
            return FetchPartition(
                partition: partition, currentLeaderEpoch: currentLeaderEpoch,
                fetchOffset: fetchOffset, lastFetchedEpoch: lastFetchedEpoch,
                logStartOffset: logStartOffset, partitionMaxBytes: partitionMaxBytes)
        }
        if flexible { try r.readTaggedFields("topics") }
        return FetchTopic(topic: topic, topicId: topicId, partitions: partitions)
    }

    // MARK: - Encoding

    public func encode(to writer: inout WireWriter, version: Int16) {
        let flexible = Self.isFlexible(version)
        if version <= 14 { writer.writeInt32(replicaId) }
        writer.writeInt32(maxWaitMs)
        writer.writeInt32(minBytes)
        writer.writeInt32(maxBytes)
        writer.writeInt8(isolationLevel)
        if version >= 7 {
            writer.writeInt32(sessionId)
            writer.writeInt32(sessionEpoch)
        }
        writer.writeArray(topics, compact: flexible) { w, t in
            if version <= 12 { w.writeString(t.topic, compact: flexible) }
            if version >= 13 { w.writeUuid(t.topicId) }
            w.writeArray(t.partitions, compact: flexible) { w, p in
                w.writeInt32(p.partition)
                if version >= 9 { w.writeInt32(p.currentLeaderEpoch) }
                w.writeInt64(p.fetchOffset)
                if version >= 12 { w.writeInt32(p.lastFetchedEpoch) }
                if version >= 5 { w.writeInt64(p.logStartOffset) }
                w.writeInt32(p.partitionMaxBytes)
                if flexible { w.writeTaggedFields() }
            }
            if flexible { w.writeTaggedFields() }
        }
        if version >= 7 {
            writer.writeArray(forgottenTopicsData, compact: flexible) { w, t in
                if version <= 12 { w.writeString(t.topic, compact: flexible) }
                if version >= 13 { w.writeUuid(t.topicId) }
                w.writeInt32Array(t.partitions, compact: flexible)
                if flexible { w.writeTaggedFields() }
            }
        }
        if version >= 11 { writer.writeString(rackId, compact: flexible) }
        guard flexible else { return }
        var tags: [(tag: UInt32, bytes: ByteBuffer)] = []
        if let clusterId {
            tags.append(
                WireWriter.taggedField(Self.clusterIdTag) {
                    $0.writeNullableString(clusterId, compact: true)
                })
        }
        if version >= 15 && (replicaId != -1 || replicaEpoch != -1) {
            tags.append(
                WireWriter.taggedField(Self.replicaStateTag) { w in
                    w.writeInt32(replicaId)
                    w.writeInt64(replicaEpoch)
                    w.writeTaggedFields()
                })
        }
        writer.writeTaggedFields(tags)
    }
}

/// Per-partition records and offsets. Mirrors Kafka's `FetchResponseData`.
public struct FetchResponse: KafkaResponse, Equatable {
    /// Kafka's `AbortedTransaction`: where an aborted transaction's records begin.
    public struct AbortedTransaction: Equatable, Sendable {
        public var producerId: Int64
        public var firstOffset: Int64

        public init(producerId: Int64, firstOffset: Int64) {
            self.producerId = producerId
            self.firstOffset = firstOffset
        }
    }

    /// Kafka's `EpochEndOffset`: the largest leader epoch and its end offset that the
    /// follower shares with the leader (it must truncate past it). -1/-1 means none.
    public struct EpochEndOffset: Equatable, Sendable {
        public var epoch: Int32
        public var endOffset: Int64

        public init(epoch: Int32 = -1, endOffset: Int64 = -1) {
            self.epoch = epoch
            self.endOffset = endOffset
        }
    }

    /// Kafka's `LeaderIdAndEpoch`: the partition's current leader, -1/-1 when unknown.
    public struct LeaderIdAndEpoch: Equatable, Sendable {
        public var leaderId: Int32
        public var leaderEpoch: Int32

        public init(leaderId: Int32 = -1, leaderEpoch: Int32 = -1) {
            self.leaderId = leaderId
            self.leaderEpoch = leaderEpoch
        }
    }

    /// Kafka's `SnapshotId`: the snapshot to fetch instead (KRaft), -1/-1 when none.
    public struct SnapshotId: Equatable, Sendable {
        public var endOffset: Int64
        public var epoch: Int32

        public init(endOffset: Int64 = -1, epoch: Int32 = -1) {
            self.endOffset = endOffset
            self.epoch = epoch
        }
    }

    /// Kafka's `NodeEndpoint`: where to reach a leader named in `currentLeader`.
    public struct NodeEndpoint: Equatable, Sendable {
        public var nodeId: Int32
        public var host: String
        public var port: Int32
        public var rack: String?

        public init(nodeId: Int32, host: String, port: Int32, rack: String? = nil) {
            self.nodeId = nodeId
            self.host = host
            self.port = port
            self.rack = rack
        }
    }

    /// Kafka's `PartitionData`.
    public struct PartitionData: Equatable, Sendable {
        public var partitionIndex: Int32
        public var errorCode: ErrorCode
        public var highWatermark: Int64
        public var lastStableOffset: Int64
        /// v5+.
        public var logStartOffset: Int64
        /// v12+, tagged (tag 0); sent only when not -1/-1.
        public var divergingEpoch: EpochEndOffset
        /// v12+, tagged (tag 1); sent only when not -1/-1.
        public var currentLeader: LeaderIdAndEpoch
        /// v12+, tagged (tag 2); sent only when not -1/-1.
        public var snapshotId: SnapshotId
        /// nil is Kafka's null (READ_UNCOMMITTED, or nothing aborted).
        public var abortedTransactions: [AbortedTransaction]?
        /// v11+.
        public var preferredReadReplica: Int32
        /// The log's RECORDS bytes, written as they are; nil writes a null.
        public var records: ByteBuffer?

        public init(
            partitionIndex: Int32, errorCode: ErrorCode = .none, highWatermark: Int64 = -1,
            lastStableOffset: Int64 = -1, logStartOffset: Int64 = -1,
            divergingEpoch: EpochEndOffset = EpochEndOffset(),
            currentLeader: LeaderIdAndEpoch = LeaderIdAndEpoch(),
            snapshotId: SnapshotId = SnapshotId(), abortedTransactions: [AbortedTransaction]? = nil,
            preferredReadReplica: Int32 = -1, records: ByteBuffer? = ByteBuffer()
        ) {
            self.partitionIndex = partitionIndex
            self.errorCode = errorCode
            self.highWatermark = highWatermark
            self.lastStableOffset = lastStableOffset
            self.logStartOffset = logStartOffset
            self.divergingEpoch = divergingEpoch
            self.currentLeader = currentLeader
            self.snapshotId = snapshotId
            self.abortedTransactions = abortedTransactions
            self.preferredReadReplica = preferredReadReplica
            self.records = records
        }
    }

    /// Kafka's `FetchableTopicResponse`: named by `topic` up to v12, by `topicId` from v13.
    public struct FetchableTopicResponse: Equatable, Sendable {
        public var topic: String
        public var topicId: Uuid
        public var partitions: [PartitionData]

        public init(topic: String = "", topicId: Uuid = .zero, partitions: [PartitionData] = []) {
            self.topic = topic
            self.topicId = topicId
            self.partitions = partitions
        }
    }

    public var throttleTimeMs: Int32
    /// v7+: a session-level error such as FETCH_SESSION_ID_NOT_FOUND.
    public var errorCode: ErrorCode
    /// v7+: 0 when the fetch is not part of a session.
    public var sessionId: Int32
    public var responses: [FetchableTopicResponse]
    /// v16+, tagged (tag 0); sent only when not empty.
    public var nodeEndpoints: [NodeEndpoint]

    public init(
        throttleTimeMs: Int32 = 0, errorCode: ErrorCode = .none, sessionId: Int32 = 0,
        responses: [FetchableTopicResponse] = [], nodeEndpoints: [NodeEndpoint] = []
    ) {
        self.throttleTimeMs = throttleTimeMs
        self.errorCode = errorCode
        self.sessionId = sessionId
        self.responses = responses
        self.nodeEndpoints = nodeEndpoints
    }

    private static let nodeEndpointsTag: UInt32 = 0
    private static let divergingEpochTag: UInt32 = 0
    private static let currentLeaderTag: UInt32 = 1
    private static let snapshotIdTag: UInt32 = 2

    // MARK: - Decoding

    public init(from reader: inout WireReader, version: Int16) throws(DecodeError) {
        let flexible = FetchRequest.isFlexible(version)
        throttleTimeMs = version >= 1 ? try reader.readInt32("throttle_time_ms") : 0
        errorCode = version >= 7 ? ErrorCode(rawValue: try reader.readInt16("error_code")) : .none
        sessionId = version >= 7 ? try reader.readInt32("session_id") : 0
        responses = try reader.readArray("responses", compact: flexible) { r throws(DecodeError) in
            let topic = version <= 12 ? try r.readString("topic", compact: flexible) : ""
            let topicId = version >= 13 ? try r.readUuid("topic_id") : Uuid.zero
            let partitions = try r.readArray("partitions", compact: flexible) {
                p throws(DecodeError) in
                try Self.readPartition(&p, version: version, flexible: flexible)
            }
            if flexible { try r.readTaggedFields("responses") }
            return FetchableTopicResponse(topic: topic, topicId: topicId, partitions: partitions)
        }
        var endpoints: [NodeEndpoint] = []
        if flexible {
            try reader.readTaggedFields("FetchResponse") { tag, t throws(DecodeError) in
                if version >= 16 && tag == Self.nodeEndpointsTag {
                    endpoints = try t.readArray("node_endpoints", compact: true) {
                        e throws(DecodeError) in
                        let nodeId = try e.readInt32("node_id")
                        let host = try e.readString("host", compact: true)
                        let port = try e.readInt32("port")
                        let rack = try e.readNullableString("rack", compact: true)
                        try e.readTaggedFields("node_endpoints")
                        return NodeEndpoint(nodeId: nodeId, host: host, port: port, rack: rack)
                    }
                }
            }
        }
        nodeEndpoints = endpoints
    }

    private static func readPartition(_ p: inout WireReader, version: Int16, flexible: Bool)
        throws(DecodeError) -> PartitionData
    {
        var partition = PartitionData(partitionIndex: try p.readInt32("partition_index"))
        partition.errorCode = ErrorCode(rawValue: try p.readInt16("error_code"))
        partition.highWatermark = try p.readInt64("high_watermark")
        partition.lastStableOffset = try p.readInt64("last_stable_offset")
        if version >= 5 { partition.logStartOffset = try p.readInt64("log_start_offset") }
        partition.abortedTransactions = try p.readNullableArray(
            "aborted_transactions", compact: flexible
        ) { a throws(DecodeError) in
            let producerId = try a.readInt64("producer_id")
            let firstOffset = try a.readInt64("first_offset")
            if flexible { try a.readTaggedFields("aborted_transactions") }
            return AbortedTransaction(producerId: producerId, firstOffset: firstOffset)
        }
        if version >= 11 {
            partition.preferredReadReplica = try p.readInt32("preferred_read_replica")
        }
        partition.records = try p.readNullableBytes("records", compact: flexible)
        if flexible { try readPartitionTags(&p, into: &partition) }
        return partition
    }

    private static func readPartitionTags(
        _ p: inout WireReader, into partition: inout PartitionData
    ) throws(DecodeError) {
        var diverging = EpochEndOffset()
        var leader = LeaderIdAndEpoch()
        var snapshot = SnapshotId()
        try p.readTaggedFields("partitions") { tag, t throws(DecodeError) in
            switch tag {
            case divergingEpochTag:
                diverging = EpochEndOffset(
                    epoch: try t.readInt32("epoch"), endOffset: try t.readInt64("end_offset"))
                try t.readTaggedFields("diverging_epoch")
            case currentLeaderTag:
                leader = LeaderIdAndEpoch(
                    leaderId: try t.readInt32("leader_id"),
                    leaderEpoch: try t.readInt32("leader_epoch"))
                try t.readTaggedFields("current_leader")
            case snapshotIdTag:
                snapshot = SnapshotId(
                    endOffset: try t.readInt64("end_offset"), epoch: try t.readInt32("epoch"))
                try t.readTaggedFields("snapshot_id")
            default: break
            }
        }
        partition.divergingEpoch = diverging
        partition.currentLeader = leader
        partition.snapshotId = snapshot
    }

    // MARK: - Encoding

    public func encode(to writer: inout WireWriter, version: Int16) {
        let flexible = FetchRequest.isFlexible(version)
        if version >= 1 { writer.writeInt32(throttleTimeMs) }
        if version >= 7 {
            writer.writeInt16(errorCode.rawValue)
            writer.writeInt32(sessionId)
        }
        writer.writeArray(responses, compact: flexible) { w, r in
            if version <= 12 { w.writeString(r.topic, compact: flexible) }
            if version >= 13 { w.writeUuid(r.topicId) }
            w.writeArray(r.partitions, compact: flexible) { w, p in
                Self.writePartition(p, to: &w, version: version, flexible: flexible)
            }
            if flexible { w.writeTaggedFields() }
        }
        guard flexible else { return }
        var tags: [(tag: UInt32, bytes: ByteBuffer)] = []
        if version >= 16 && !nodeEndpoints.isEmpty {
            tags.append(
                WireWriter.taggedField(Self.nodeEndpointsTag) { w in
                    w.writeArray(nodeEndpoints, compact: true) { w, e in
                        w.writeInt32(e.nodeId)
                        w.writeString(e.host, compact: true)
                        w.writeInt32(e.port)
                        w.writeNullableString(e.rack, compact: true)
                        w.writeTaggedFields()
                    }
                })
        }
        writer.writeTaggedFields(tags)
    }

    private static func writePartition(
        _ p: PartitionData, to w: inout WireWriter, version: Int16, flexible: Bool
    ) {
        w.writeInt32(p.partitionIndex)
        w.writeInt16(p.errorCode.rawValue)
        w.writeInt64(p.highWatermark)
        w.writeInt64(p.lastStableOffset)
        if version >= 5 { w.writeInt64(p.logStartOffset) }
        w.writeNullableArray(p.abortedTransactions, compact: flexible) { w, a in
            w.writeInt64(a.producerId)
            w.writeInt64(a.firstOffset)
            if flexible { w.writeTaggedFields() }
        }
        if version >= 11 { w.writeInt32(p.preferredReadReplica) }
        w.writeNullableBytes(p.records, compact: flexible)
        guard flexible else { return }
        var tags: [(tag: UInt32, bytes: ByteBuffer)] = []
        if p.divergingEpoch != EpochEndOffset() {
            tags.append(
                WireWriter.taggedField(divergingEpochTag) { w in
                    w.writeInt32(p.divergingEpoch.epoch)
                    w.writeInt64(p.divergingEpoch.endOffset)
                    w.writeTaggedFields()
                })
        }
        if p.currentLeader != LeaderIdAndEpoch() {
            tags.append(
                WireWriter.taggedField(currentLeaderTag) { w in
                    w.writeInt32(p.currentLeader.leaderId)
                    w.writeInt32(p.currentLeader.leaderEpoch)
                    w.writeTaggedFields()
                })
        }
        if p.snapshotId != SnapshotId() {
            tags.append(
                WireWriter.taggedField(snapshotIdTag) { w in
                    w.writeInt64(p.snapshotId.endOffset)
                    w.writeInt32(p.snapshotId.epoch)
                    w.writeTaggedFields()
                })
        }
        w.writeTaggedFields(tags)
    }
}
