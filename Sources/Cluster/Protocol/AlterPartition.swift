// Protocol room: AlterPartition (key 56), versions 2-3, flexible at every version. A partition
// leader asks the controller to change the partition's ISR (KIP-497; once AlterIsr).
//
// v0: the first version, topics by name.  v1: leader_recovery_state (KIP-704).  v2: topic_id
// replaces the topic name; may return INELIGIBLE_REPLICA, NEW_LEADER_ELECTED and
// UNKNOWN_TOPIC_ID (KIP-841).  v3: new_isr_with_epochs (broker id and broker epoch) replaces
// new_isr, so the controller can refuse a replica that restarted meanwhile (KIP-903); the
// response is the same as v2.  Kafka 4.0 removed v0 and v1 (no topic names are sent any more),
// so v2 is our first version and leader_recovery_state is always present.

/// "Set this partition's ISR to these replicas." Mirrors Kafka's `AlterPartitionRequestData`.
///
/// Only the controller changes the ISR: the leader proposes, and keeps using the old ISR
/// for its high watermark until the answer (or the metadata record) arrives. The
/// `partitionEpoch` makes the change conditional, like a compare-and-set.
public struct AlterPartitionRequest: KafkaRequest, Equatable {
    public typealias Response = AlterPartitionResponse
    public static let apiKey = ApiKey.alterPartition
    public static let versions: ClosedRange<Int16> = 2...3
    public static let firstFlexibleVersion: Int16? = 0

    /// Kafka's `BrokerState`: an ISR member and the broker epoch it was seen at.
    public struct BrokerState: Equatable, Sendable {
        public var brokerId: Int32
        /// -1 when the epoch check is not supported.
        public var brokerEpoch: Int64

        public init(brokerId: Int32, brokerEpoch: Int64 = -1) {
            self.brokerId = brokerId
            self.brokerEpoch = brokerEpoch
        }
    }

    /// Kafka's `PartitionData`.
    public struct PartitionData: Equatable, Sendable {
        public var partitionIndex: Int32
        public var leaderEpoch: Int32
        /// v2 only: the proposed ISR's broker ids.
        public var newIsr: [Int32]
        /// v3+: the proposed ISR with broker epochs.
        public var newIsrWithEpochs: [BrokerState]
        /// 1 while recovering from an unclean leader election, 0 otherwise.
        public var leaderRecoveryState: Int8
        /// The partition epoch the leader last saw; a stale one is refused.
        public var partitionEpoch: Int32

        public init(
            partitionIndex: Int32, leaderEpoch: Int32, newIsr: [Int32] = [],
            newIsrWithEpochs: [BrokerState] = [], leaderRecoveryState: Int8 = 0,
            partitionEpoch: Int32
        ) {
            self.partitionIndex = partitionIndex
            self.leaderEpoch = leaderEpoch
            self.newIsr = newIsr
            self.newIsrWithEpochs = newIsrWithEpochs
            self.leaderRecoveryState = leaderRecoveryState
            self.partitionEpoch = partitionEpoch
        }

        /// The proposed ISR's broker ids, from whichever field `version` carries.
        public func isrBrokerIds(version: Int16) -> [Int32] {
            (3...).contains(version) ? newIsrWithEpochs.map(\.brokerId) : newIsr
        }
    }

    /// Kafka's `TopicData`.
    public struct TopicData: Equatable, Sendable {
        public var topicId: Uuid
        public var partitions: [PartitionData]

        public init(topicId: Uuid, partitions: [PartitionData] = []) {
            self.topicId = topicId
            self.partitions = partitions
        }
    }

    /// The leader's broker id.
    public var brokerId: Int32
    /// The leader's broker epoch, from its registration.
    public var brokerEpoch: Int64
    public var topics: [TopicData]

    public init(brokerId: Int32, brokerEpoch: Int64 = -1, topics: [TopicData] = []) {
        self.brokerId = brokerId
        self.brokerEpoch = brokerEpoch
        self.topics = topics
    }

    public init(from reader: inout WireReader, version: Int16) throws(DecodeError) {
        brokerId = try reader.readInt32("broker_id")
        brokerEpoch = try reader.readInt64("broker_epoch")
        topics = try reader.readArray("topics", compact: true) { t throws(DecodeError) in
            let topicId = try t.readUuid("topic_id")
            let partitions = try t.readArray("partitions", compact: true) {
                p throws(DecodeError) in
                try Self.readPartition(&p, version: version)
            }
            try t.readTaggedFields("topics")
            return TopicData(topicId: topicId, partitions: partitions)
        }
        try reader.readTaggedFields("AlterPartitionRequest")
    }

    private static func readPartition(_ p: inout WireReader, version: Int16) throws(DecodeError)
        -> PartitionData
    {
        var partition = PartitionData(
            partitionIndex: try p.readInt32("partition_index"),
            leaderEpoch: try p.readInt32("leader_epoch"), partitionEpoch: -1)
        if (...2).contains(version) {
            partition.newIsr = try p.readInt32Array("new_isr", compact: true)
        }
        if (3...).contains(version) {
            partition.newIsrWithEpochs = try p.readArray("new_isr_with_epochs", compact: true) {
                b throws(DecodeError) in
                let id = try b.readInt32("broker_id")
                let epoch = try b.readInt64("broker_epoch")
                try b.readTaggedFields("new_isr_with_epochs")
                return BrokerState(brokerId: id, brokerEpoch: epoch)
            }
        }
        partition.leaderRecoveryState = try p.readInt8("leader_recovery_state")
        partition.partitionEpoch = try p.readInt32("partition_epoch")
        try p.readTaggedFields("partitions")
        return partition
    }

    public func encode(to writer: inout WireWriter, version: Int16) {
        writer.writeInt32(brokerId)
        writer.writeInt64(brokerEpoch)
        writer.writeArray(topics, compact: true) { w, t in
            w.writeUuid(t.topicId)
            w.writeArray(t.partitions, compact: true) { w, p in
                w.writeInt32(p.partitionIndex)
                w.writeInt32(p.leaderEpoch)
                if (...2).contains(version) { w.writeInt32Array(p.newIsr, compact: true) }
                if (3...).contains(version) {
                    w.writeArray(p.newIsrWithEpochs, compact: true) { w, b in
                        w.writeInt32(b.brokerId)
                        w.writeInt64(b.brokerEpoch)
                        w.writeTaggedFields()
                    }
                }
                w.writeInt8(p.leaderRecoveryState)
                w.writeInt32(p.partitionEpoch)
                w.writeTaggedFields()
            }
            w.writeTaggedFields()
        }
        writer.writeTaggedFields()
    }
}

/// The partition state the controller now holds, or why it refused. Mirrors
/// `AlterPartitionResponseData`.
public struct AlterPartitionResponse: KafkaResponse, Equatable {
    /// Kafka's `PartitionData`.
    public struct PartitionData: Equatable, Sendable {
        public var partitionIndex: Int32
        /// INVALID_UPDATE_VERSION, FENCED_LEADER_EPOCH, INELIGIBLE_REPLICA...
        public var errorCode: ErrorCode
        public var leaderId: Int32
        public var leaderEpoch: Int32
        /// The ISR as committed.
        public var isr: [Int32]
        public var leaderRecoveryState: Int8
        /// The partition epoch after the change.
        public var partitionEpoch: Int32

        public init(
            partitionIndex: Int32, errorCode: ErrorCode = .none, leaderId: Int32 = -1,
            leaderEpoch: Int32 = -1, isr: [Int32] = [], leaderRecoveryState: Int8 = 0,
            partitionEpoch: Int32 = -1
        ) {
            self.partitionIndex = partitionIndex
            self.errorCode = errorCode
            self.leaderId = leaderId
            self.leaderEpoch = leaderEpoch
            self.isr = isr
            self.leaderRecoveryState = leaderRecoveryState
            self.partitionEpoch = partitionEpoch
        }
    }

    /// Kafka's `TopicData`.
    public struct TopicData: Equatable, Sendable {
        public var topicId: Uuid
        public var partitions: [PartitionData]

        public init(topicId: Uuid, partitions: [PartitionData] = []) {
            self.topicId = topicId
            self.partitions = partitions
        }
    }

    public var throttleTimeMs: Int32
    /// A request-level error such as STALE_BROKER_EPOCH or NOT_CONTROLLER.
    public var errorCode: ErrorCode
    public var topics: [TopicData]

    public init(throttleTimeMs: Int32 = 0, errorCode: ErrorCode = .none, topics: [TopicData] = []) {
        self.throttleTimeMs = throttleTimeMs
        self.errorCode = errorCode
        self.topics = topics
    }

    public init(from reader: inout WireReader, version: Int16) throws(DecodeError) {
        throttleTimeMs = try reader.readInt32("throttle_time_ms")
        errorCode = ErrorCode(rawValue: try reader.readInt16("error_code"))
        topics = try reader.readArray("topics", compact: true) { t throws(DecodeError) in
            let topicId = try t.readUuid("topic_id")
            let partitions = try t.readArray("partitions", compact: true) {
                p throws(DecodeError) in
                var partition = PartitionData(partitionIndex: try p.readInt32("partition_index"))
                partition.errorCode = ErrorCode(rawValue: try p.readInt16("error_code"))
                partition.leaderId = try p.readInt32("leader_id")
                partition.leaderEpoch = try p.readInt32("leader_epoch")
                partition.isr = try p.readInt32Array("isr", compact: true)
                partition.leaderRecoveryState = try p.readInt8("leader_recovery_state")
                partition.partitionEpoch = try p.readInt32("partition_epoch")
                try p.readTaggedFields("partitions")
                return partition
            }
            try t.readTaggedFields("topics")
            return TopicData(topicId: topicId, partitions: partitions)
        }
        try reader.readTaggedFields("AlterPartitionResponse")
    }

    public func encode(to writer: inout WireWriter, version: Int16) {
        writer.writeInt32(throttleTimeMs)
        writer.writeInt16(errorCode.rawValue)
        writer.writeArray(topics, compact: true) { w, t in
            w.writeUuid(t.topicId)
            w.writeArray(t.partitions, compact: true) { w, p in
                w.writeInt32(p.partitionIndex)
                w.writeInt16(p.errorCode.rawValue)
                w.writeInt32(p.leaderId)
                w.writeInt32(p.leaderEpoch)
                w.writeInt32Array(p.isr, compact: true)
                w.writeInt8(p.leaderRecoveryState)
                w.writeInt32(p.partitionEpoch)
                w.writeTaggedFields()
            }
            w.writeTaggedFields()
        }
        writer.writeTaggedFields()
    }
}
