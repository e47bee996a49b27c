// Protocol room: Produce (key 0), versions 3-10, flexible from v9. Record batches go to
// partition leaders; the records stay the client's bytes here and are never decoded.
//
// v3: transactional_id and record batch format v2 (the first version we accept).
// v4: may return KAFKA_STORAGE_ERROR.  v5: log_start_offset in the response.  v6: same as v5.
// v7: ZStandard batches (KIP-110).  v8: record_errors and error_message in the response
// (KIP-467).  v9: flexible (KIP-482).  v10: current_leader and node_endpoints tagged fields in
// the response, so a client can follow a new leader without a Metadata round trip (KIP-951).

import NIOCore

/// "Append these record batches." Mirrors Kafka's `ProduceRequestData`.
///
/// `records` is the raw RECORDS field: a slice of the request frame holding one or more
/// RecordBatch v2s, handed on to `RecordBatchView` and the log as bytes.
public struct ProduceRequest: KafkaRequest, Equatable {
    public typealias Response = ProduceResponse
    public static let apiKey = ApiKey.produce
    public static let versions: ClosedRange<Int16> = 3...10
    public static let firstFlexibleVersion: Int16? = 9

    /// Kafka's `PartitionProduceData`.
    public struct PartitionData: Equatable, Sendable {
        public var index: Int32
        /// The RECORDS bytes as sent; nil only when the client sent a null.
        public var records: ByteBuffer?

        public init(index: Int32, records: ByteBuffer?) {
            self.index = index
            self.records = records
        }
    }

    /// Kafka's `TopicProduceData`.
    public struct TopicData: Equatable, Sendable {
        public var name: String
        public var partitionData: [PartitionData]

        public init(name: String, partitionData: [PartitionData] = []) {
            self.name = name
            self.partitionData = partitionData
        }
    }

    public var transactionalId: String?
    /// 0: no answer; 1: the leader appended; -1: every in-sync replica has it.
    public var acks: Int16
    public var timeoutMs: Int32
    public var topicData: [TopicData]

    public init(
        transactionalId: String? = nil, acks: Int16 = -1, timeoutMs: Int32 = 30_000,
        topicData: [TopicData] = []
    ) {
        self.transactionalId = transactionalId
        self.acks = acks
        self.timeoutMs = timeoutMs
        self.topicData = topicData
    }

    public init(from reader: inout WireReader, version: Int16) throws(DecodeError) {
        let flexible = Self.isFlexible(version)
        transactionalId =
            version >= 3
            ? try reader.readNullableString("transactional_id", compact: flexible) : nil
        acks = try reader.readInt16("acks")
        timeoutMs = try reader.readInt32("timeout_ms")
        topicData = try reader.readArray("topic_data", compact: flexible) { r throws(DecodeError) in
            let name = try r.readString("name", compact: flexible)
            let partitions = try r.readArray("partition_data", compact: flexible) {
                p throws(DecodeError) in
                let index = try p.readInt32("index")
                let records = try p.readNullableBytes("records", compact: flexible)
                if flexible { try p.readTaggedFields("partition_data") }
                return PartitionData(index: index, records: records)
            }
            if flexible { try r.readTaggedFields("topic_data") }
            return TopicData(name: name, partitionData: partitions)
        }
        if flexible { try reader.readTaggedFields("ProduceRequest") }
    }

    public func encode(to writer: inout WireWriter, version: Int16) {
        let flexible = Self.isFlexible(version)
        if version >= 3 { writer.writeNullableString(transactionalId, compact: flexible) }
        writer.writeInt16(acks)
        writer.writeInt32(timeoutMs)
        writer.writeArray(topicData, compact: flexible) { w, t in
            w.writeString(t.name, compact: flexible)
            w.writeArray(t.partitionData, compact: flexible) { w, p in
                w.writeInt32(p.index)
                w.writeNullableBytes(p.records, compact: flexible)
                if flexible { w.writeTaggedFields() }
            }
            if flexible { w.writeTaggedFields() }
        }
        if flexible { writer.writeTaggedFields() }
    }
}

/// Per-partition append results. Mirrors Kafka's `ProduceResponseData`.
public struct ProduceResponse: KafkaResponse, Equatable {
    /// Kafka's `BatchIndexAndErrorMessage`: which record made the batch fail (KIP-467).
    public struct BatchIndexAndErrorMessage: Equatable, Sendable {
        public var batchIndex: Int32
        public var batchIndexErrorMessage: String?

        public init(batchIndex: Int32, batchIndexErrorMessage: String? = nil) {
            self.batchIndex = batchIndex
            self.batchIndexErrorMessage = batchIndexErrorMessage
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

    /// Kafka's `PartitionProduceResponse`.
    public struct PartitionResponse: Equatable, Sendable {
        public var index: Int32
        public var errorCode: ErrorCode
        public var baseOffset: Int64
        /// The broker's append time under `LogAppendTime`, else -1.
        public var logAppendTimeMs: Int64
        /// v5+.
        public var logStartOffset: Int64
        /// v8+.
        public var recordErrors: [BatchIndexAndErrorMessage]
        /// v8+.
        public var errorMessage: String?
        /// v10+, tagged (tag 0); sent only when not -1/-1 (with NOT_LEADER_OR_FOLLOWER).
        public var currentLeader: LeaderIdAndEpoch

        public init(
            index: Int32, errorCode: ErrorCode = .none, baseOffset: Int64 = -1,
            logAppendTimeMs: Int64 = -1, logStartOffset: Int64 = -1,
            recordErrors: [BatchIndexAndErrorMessage] = [], errorMessage: String? = nil,
            currentLeader: LeaderIdAndEpoch = LeaderIdAndEpoch()
        ) {
            self.index = index
            self.errorCode = errorCode
            self.baseOffset = baseOffset
            self.logAppendTimeMs = logAppendTimeMs
            self.logStartOffset = logStartOffset
            self.recordErrors = recordErrors
            self.errorMessage = errorMessage
            self.currentLeader = currentLeader
        }
    }

    /// Kafka's `TopicProduceResponse`.
    public struct TopicResponse: Equatable, Sendable {
        public var name: String
        public var partitionResponses: [PartitionResponse]

        public init(name: String, partitionResponses: [PartitionResponse] = []) {
            self.name = name
            self.partitionResponses = partitionResponses
        }
    }

    public var responses: [TopicResponse]
    public var throttleTimeMs: Int32
    /// v10+, tagged (tag 0); sent only when not empty.
    public var nodeEndpoints: [NodeEndpoint]

    public init(
        responses: [TopicResponse] = [], throttleTimeMs: Int32 = 0,
        nodeEndpoints: [NodeEndpoint] = []
    ) {
        self.responses = responses
        self.throttleTimeMs = throttleTimeMs
        self.nodeEndpoints = nodeEndpoints
    }

    private static let currentLeaderTag: UInt32 = 0
    private static let nodeEndpointsTag: UInt32 = 0

    // MARK: - Decoding

    public init(from reader: inout WireReader, version: Int16) throws(DecodeError) {
        let flexible = ProduceRequest.isFlexible(version)
        responses = try reader.readArray("responses", compact: flexible) { r throws(DecodeError) in
            let name = try r.readString("name", compact: flexible)
            let partitions = try r.readArray("partition_responses", compact: flexible) {
                p throws(DecodeError) in
                try Self.readPartition(&p, version: version, flexible: flexible)
            }
            if flexible { try r.readTaggedFields("responses") }
            return TopicResponse(name: name, partitionResponses: partitions)
        }
        throttleTimeMs = version >= 1 ? try reader.readInt32("throttle_time_ms") : 0
        var endpoints: [NodeEndpoint] = []
        if flexible {
            try reader.readTaggedFields("ProduceResponse") { tag, t throws(DecodeError) in
                if version >= 10 && tag == Self.nodeEndpointsTag {
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
        throws(DecodeError) -> PartitionResponse
    {
        var partition = PartitionResponse(index: try p.readInt32("index"))
        partition.errorCode = ErrorCode(rawValue: try p.readInt16("error_code"))
        partition.baseOffset = try p.readInt64("base_offset")
        if version >= 2 { partition.logAppendTimeMs = try p.readInt64("log_append_time_ms") }
        if version >= 5 { partition.logStartOffset = try p.readInt64("log_start_offset") }
        if version >= 8 {
            partition.recordErrors = try p.readArray("record_errors", compact: flexible) {
                e throws(DecodeError) in
                let index = try e.readInt32("batch_index")
                let message = try e.readNullableString(
                    "batch_index_error_message", compact: flexible)
                if flexible { try e.readTaggedFields("record_errors") }
                return BatchIndexAndErrorMessage(batchIndex: index, batchIndexErrorMessage: message)
            }
            partition.errorMessage = try p.readNullableString("error_message", compact: flexible)
        }
        if flexible {
            var leader = LeaderIdAndEpoch()
            try p.readTaggedFields("partition_responses") { tag, t throws(DecodeError) in
                if version >= 10 && tag == currentLeaderTag {
                    leader.leaderId = try t.readInt32("leader_id")
                    leader.leaderEpoch = try t.readInt32("leader_epoch")
                    try t.readTaggedFields("current_leader")
                }
            }
            partition.currentLeader = leader
        }
        return partition
    }

    // MARK: - Encoding

    public func encode(to writer: inout WireWriter, version: Int16) {
        let flexible = ProduceRequest.isFlexible(version)
        writer.writeArray(responses, compact: flexible) { w, t in
            w.writeString(t.name, compact: flexible)
            w.writeArray(t.partitionResponses, compact: flexible) { w, p in
                Self.writePartition(p, to: &w, version: version, flexible: flexible)
            }
            if flexible { w.writeTaggedFields() }
        }
        if version >= 1 { writer.writeInt32(throttleTimeMs) }
        guard flexible else { return }
        var tags: [(tag: UInt32, bytes: ByteBuffer)] = []
        if version >= 10 && !nodeEndpoints.isEmpty {
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
        _ p: PartitionResponse, to w: inout WireWriter, version: Int16, flexible: Bool
    ) {
        w.writeInt32(p.index)
        w.writeInt16(p.errorCode.rawValue)
        w.writeInt64(p.baseOffset)
        if version >= 2 { w.writeInt64(p.logAppendTimeMs) }
        if version >= 5 { w.writeInt64(p.logStartOffset) }
        if version >= 8 {
            w.writeArray(p.recordErrors, compact: flexible) { w, e in
                w.writeInt32(e.batchIndex)
                w.writeNullableString(e.batchIndexErrorMessage, compact: flexible)
                if flexible { w.writeTaggedFields() }
            }
            w.writeNullableString(p.errorMessage, compact: flexible)
        }
        guard flexible else { return }
        var tags: [(tag: UInt32, bytes: ByteBuffer)] = []
        if version >= 10 && p.currentLeader != LeaderIdAndEpoch() {
            tags.append(
                WireWriter.taggedField(currentLeaderTag) { w in
                    w.writeInt32(p.currentLeader.leaderId)
                    w.writeInt32(p.currentLeader.leaderEpoch)
                    w.writeTaggedFields()
                })
        }
        w.writeTaggedFields(tags)
    }
}
