// Client room: the client's picture of the cluster (brokers, controller, topics, partition
// leaders, topic ids), rebuilt from Metadata responses. A value: no sockets, no clock.

/// What the client last heard about the cluster from a Metadata response.
///
/// Every produce and fetch is routed with it (the partition's leader), and its topic ids name
/// topics in Fetch v13+. A response replaces what it answers for: the whole topic set when
/// all topics were asked for, otherwise just the topics asked for; a topic the broker calls
/// UNKNOWN_TOPIC_OR_PARTITION is dropped. Mirrors Kafka's client-side `Metadata` and
/// `MetadataCache`.
public struct MetadataCache: Sendable, Equatable {
    /// Kafka's `Node`.
    public struct Broker: Sendable, Equatable {
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

        public var address: String { "\(host):\(port)" }
    }

    /// Kafka's `PartitionInfo` plus the leader epoch (KIP-320).
    public struct Partition: Sendable, Equatable {
        public var partition: Int32
        /// -1 when there is no leader right now.
        public var leader: Int32
        public var leaderEpoch: Int32
        public var replicas: [Int32]
        public var isr: [Int32]
        public var offlineReplicas: [Int32]
        /// LEADER_NOT_AVAILABLE and the like, per partition.
        public var errorCode: ErrorCode

        public init(
            partition: Int32, leader: Int32, leaderEpoch: Int32 = -1, replicas: [Int32] = [],
            isr: [Int32] = [], offlineReplicas: [Int32] = [], errorCode: ErrorCode = .none
        ) {
            self.partition = partition
            self.leader = leader
            self.leaderEpoch = leaderEpoch
            self.replicas = replicas
            self.isr = isr
            self.offlineReplicas = offlineReplicas
            self.errorCode = errorCode
        }
    }

    /// One topic: its id (KIP-516) and partitions sorted by index.
    public struct Topic: Sendable, Equatable {
        public var name: String
        public var topicId: Uuid
        public var isInternal: Bool
        public var partitions: [Partition]

        public init(
            name: String, topicId: Uuid = .zero, isInternal: Bool = false, partitions: [Partition]
        ) {
            self.name = name
            self.topicId = topicId
            self.isInternal = isInternal
            self.partitions = partitions
        }

        public func partition(_ index: Int32) -> Partition? {
            // Partitions are sorted and usually dense, so index i is usually at position i.
            if let position = Int(exactly: index), position >= 0, position < partitions.count,
                partitions[position].partition == index
            {
                return partitions[position]
            }
            return partitions.first { $0.partition == index }
        }
    }

    public private(set) var brokers: [Int32: Broker] = [:]
    public private(set) var clusterId: String?
    /// -1 when unknown.
    public private(set) var controllerId: Int32 = -1
    public private(set) var topics: [String: Topic] = [:]
    /// Topic-level errors of the last answer for each topic asked about (other than NONE).
    public private(set) var topicErrors: [String: ErrorCode] = [:]
    /// When the cache last took an answer; nil before the first.
    public private(set) var updatedAt: Instant?
    /// Set by `markStale`: the next user must refresh first.
    public private(set) var isStale = true

    public init() {}

    // MARK: - Updating

    /// Takes in a Metadata response. `requested` is the topic list sent (nil: all topics).
    public mutating func update(with response: MetadataResponse, requested: [String]?, now: Instant)
    {
        brokers = Dictionary(
            response.brokers.map {
                ($0.nodeId, Broker(nodeId: $0.nodeId, host: $0.host, port: $0.port, rack: $0.rack))
            },
            uniquingKeysWith: { _, last in last })
        if let id = response.clusterId { clusterId = id }
        controllerId = response.controllerId
        if requested == nil {
            topics = [:]
            topicErrors = [:]
        } else {
            for name in requested ?? [] { topicErrors[name] = nil }
        }
        for answer in response.topics {
            guard let name = answer.name else { continue }
            topicErrors[name] = answer.errorCode.isError ? answer.errorCode : nil
            switch answer.errorCode {
            case .none:
                topics[name] = Self.topic(from: answer, name: name)
            case .leaderNotAvailable where !answer.partitions.isEmpty:
                topics[name] = Self.topic(from: answer, name: name)
            default:
                // Unknown, being created, not authorized, invalid: nothing routable is known.
                topics[name] = nil
            }
        }
        updatedAt = now
        isStale = false
    }

    private static func topic(from answer: MetadataResponse.Topic, name: String) -> Topic {
        let partitions = answer.partitions.map {
            Partition(
                partition: $0.partitionIndex, leader: $0.leaderId, leaderEpoch: $0.leaderEpoch,
                replicas: $0.replicaNodes, isr: $0.isrNodes, offlineReplicas: $0.offlineReplicas,
                errorCode: $0.errorCode)
        }.sorted { $0.partition < $1.partition }
        return Topic(
            name: name, topicId: answer.topicId, isInternal: answer.isInternal,
            partitions: partitions)
    }

    /// Marks the cache as needing a refresh: after NOT_LEADER_OR_FOLLOWER, a lost
    /// connection, or a partition without a leader, as Kafka's `requestUpdate()`.
    public mutating func markStale() { isStale = true }

    /// Whether the cache must be refreshed before use at `now`.
    public func needsRefresh(now: Instant, maxAge: Duration) -> Bool {
        guard let updatedAt, !isStale else { return true }
        return now - updatedAt >= maxAge
    }

    // MARK: - Lookups

    public func topic(_ name: String) -> Topic? { topics[name] }

    public func topicName(id: Uuid) -> String? {
        guard id != .zero else { return nil }
        return topics.values.first { $0.topicId == id }?.name
    }

    public func partitionCount(_ topic: String) -> Int? { topics[topic]?.partitions.count }

    /// The leader's node id for `tp`, when it has one that the cache knows how to reach.
    public func leader(for tp: TopicPartition) -> Int32? {
        guard let partition = topics[tp.topic]?.partition(tp.partition), partition.leader >= 0,
            brokers[partition.leader] != nil
        else { return nil }
        return partition.leader
    }

    public func leaderEpoch(for tp: TopicPartition) -> Int32 {
        topics[tp.topic]?.partition(tp.partition)?.leaderEpoch ?? -1
    }

    /// Partitions of `topic` that have a reachable leader now (the sticky partitioner prefers
    /// these, as Kafka's `availablePartitionsForTopic`).
    public func availablePartitions(_ topic: String) -> [Int32] {
        (topics[topic]?.partitions ?? []).filter { $0.leader >= 0 && brokers[$0.leader] != nil }
            .map(\.partition)
    }

    /// Broker ids in order, for picking a node to ask.
    public var brokerIds: [Int32] { brokers.keys.sorted() }

    /// Topic names in order, internal topics (`__consumer_offsets`) only when asked.
    public func topicNames(includeInternal: Bool) -> [String] {
        topics.values.filter { includeInternal || !$0.isInternal }.map(\.name).sorted()
    }
}
