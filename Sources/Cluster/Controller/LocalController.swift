// Controller room: decides topic creation and deletion, replica placement and producer-id
// blocks, and says so as metadata records. Pure: the caller persists the records and replays
// them into every broker's image. The KRaft slice will commit the same records through Raft.

/// A topic to create, as CreateTopics asks for it (-1 means "the broker's default").
public struct CreatableTopic: Sendable, Equatable {
    public var name: String
    public var numPartitions: Int32
    public var replicationFactor: Int16
    public var configs: [String: String]

    public init(name: String, numPartitions: Int32 = -1, replicationFactor: Int16 = -1, configs: [String: String] = [:]) {
        self.name = name
        self.numPartitions = numPartitions
        self.replicationFactor = replicationFactor
        self.configs = configs
    }
}

/// What happened to one topic of a CreateTopics or DeleteTopics request.
public struct TopicResult: Sendable, Equatable {
    public var name: String
    public var topicId: Uuid
    public var errorCode: ErrorCode
    public var errorMessage: String?
    public var numPartitions: Int32
    public var replicationFactor: Int16
}

/// The controller's defaults, named as Kafka's broker configs.
public struct ControllerConfig: Sendable {
    /// `num.partitions`.
    public var defaultPartitions: Int32 = 1
    /// `default.replication.factor`.
    public var defaultReplicationFactor: Int16 = 1
    /// The highest replication factor this cluster can really provide (1 until replication).
    public var replicationFactorMax: Int16 = 1
    /// Producer ids handed to a broker at a time (Kafka's block size is 1000).
    public var producerIdBlockSize: Int64 = 1000

    public init() {}
}

/// The deciding half of Kafka's `QuorumController` for topics, without the quorum yet.
public struct LocalController {
    public private(set) var image = MetadataImage()
    public var config: ControllerConfig
    private var entropy: SplitMix64

    /// `seed` drives topic ids and placement start points, so a replay is identical.
    public init(config: ControllerConfig = ControllerConfig(), seed: UInt64) {
        self.config = config
        self.entropy = SplitMix64(seed: seed)
    }

    private mutating func next() -> UInt64 { entropy.next() }

    /// A topic id as Kafka makes them: never zero, and never printing with a leading '-'
    /// (it would look like a command-line flag).
    private mutating func newTopicId() -> Uuid {
        while true {
            let id = Uuid(mostSignificantBits: next(), leastSignificantBits: next())
            if id != .zero && !id.description.hasPrefix("-") && image.topic(id: id) == nil { return id }
        }
    }

    public mutating func replay(_ record: MetadataRecord) { image.replay(record) }

    public mutating func replay(_ record: MetadataRecord, offset: Int64) { image.replay(record, offset: offset) }

    /// Records for a broker registering its listener (unfenced: there is no fencing until KRaft).
    /// `epoch` is the offset the record will have in the metadata log, as in Kafka, where the
    /// broker epoch is the offset of its `RegisterBrokerRecord`.
    public func registerBroker(_ id: NodeID, host: String, port: Int, epoch: Int64) -> [MetadataRecord] {
        [.registerBroker(RegisterBrokerRecord(
            brokerId: id.rawValue, incarnationId: Uuid(mostSignificantBits: UInt64(bitPattern: epoch), leastSignificantBits: UInt64(bitPattern: Int64(id.rawValue))),
            brokerEpoch: epoch, host: host, port: UInt16(clamping: port), rack: nil, fenced: false, inControlledShutdown: false,
            features: [BrokerFeature(name: FeatureLevelRecord.metadataVersionFeature,
                                     minSupportedVersion: FeatureLevelRecord.metadataVersionMinimum,
                                     maxSupportedVersion: FeatureLevelRecord.metadataVersion4_0_IV3)]))]
    }

    /// A partition's first record. Our brokers register no log directories, so each replica's
    /// directory is `migrating`, as Kafka's `ClusterControlManager.defaultDir` gives them.
    private func newPartition(_ index: Int, topicId: Uuid, replicas: [Int32]) -> MetadataRecord {
        .partition(PartitionRecord(
            partitionId: Int32(index), topicId: topicId, replicas: replicas, isr: replicas, leader: replicas[0],
            leaderEpoch: 0, partitionEpoch: 0, directories: replicas.map { _ in DirectoryId.migrating }))
    }

    /// Decides CreateTopics. `validateConfig` returns a reason for an invalid config map.
    /// With `validateOnly` the results are computed but no records come back.
    public mutating func createTopics(
        _ topics: [CreatableTopic], validateOnly: Bool, liveBrokers: [NodeID],
        validateConfig: ([String: String]) -> String?
    ) -> (records: [MetadataRecord], results: [TopicResult]) {
        var records: [MetadataRecord] = []
        var results: [TopicResult] = []
        var seen: Set<String> = []
        for topic in topics {
            func fail(_ code: ErrorCode, _ message: String) {
                results.append(TopicResult(name: topic.name, topicId: .zero, errorCode: code, errorMessage: message,
                                           numPartitions: -1, replicationFactor: -1))
            }
            if !seen.insert(topic.name).inserted {
                fail(.invalidRequest, "Duplicate topic name \(topic.name) in the request.")
                continue
            }
            if let problem = TopicNames.problem(with: topic.name) { fail(.invalidTopicException, problem); continue }
            if image.topic(topic.name) != nil { fail(.topicAlreadyExists, "Topic '\(topic.name)' already exists."); continue }
            let partitions = topic.numPartitions == -1 ? config.defaultPartitions : topic.numPartitions
            guard partitions > 0 else {
                fail(.invalidPartitions, "Number of partitions was set to an invalid non-positive value.")
                continue
            }
            guard partitions <= Int32(Limits.partitionsPerTopicMax) else {
                fail(.invalidPartitions, "Number of partitions \(partitions) is above this cluster's limit of \(Limits.partitionsPerTopicMax).")
                continue
            }
            let factor = topic.replicationFactor == -1 ? config.defaultReplicationFactor : topic.replicationFactor
            guard factor > 0 else {
                fail(.invalidReplicationFactor, "Replication factor must be larger than 0, or -1 to use the default value.")
                continue
            }
            guard factor <= config.replicationFactorMax else {
                fail(.invalidReplicationFactor, "Replication factor \(factor) is not accepted: this cluster keeps "
                     + "\(config.replicationFactorMax) copy of each partition, so the replication factor must be \(config.replicationFactorMax).")
                continue
            }
            guard Int(factor) <= liveBrokers.count else {
                fail(.invalidReplicationFactor, "Unable to replicate the partition \(factor) time(s): The target replication factor of \(factor) cannot be reached because only \(liveBrokers.count) broker(s) are registered.")
                continue
            }
            if let reason = validateConfig(topic.configs) { fail(.invalidConfig, reason); continue }
            let id = newTopicId()
            results.append(TopicResult(name: topic.name, topicId: id, errorCode: .none, errorMessage: nil,
                                       numPartitions: partitions, replicationFactor: factor))
            if validateOnly { continue }
            records.append(.topic(TopicRecord(name: topic.name, topicId: id)))
            let brokers = liveBrokers.sorted()
            let start = Int(next() % UInt64(brokers.count))
            for p in 0..<Int(partitions) {
                // Kafka's placement starts at a random broker and walks round-robin, so leaders
                // spread over the brokers; replica k of a partition sits k brokers further on.
                let replicas = (0..<Int(factor)).map { brokers[(start + p + $0) % brokers.count].rawValue }
                records.append(newPartition(p, topicId: id, replicas: replicas))
            }
            for key in topic.configs.keys.sorted() {
                records.append(.config(ConfigRecord(resourceType: ConfigRecord.topicResource, resourceName: topic.name,
                                                    name: key, value: topic.configs[key])))
            }
        }
        return (records, results)
    }

    /// Decides DeleteTopics, by name or by id.
    public func deleteTopics(names: [String], ids: [Uuid]) -> (records: [MetadataRecord], results: [TopicResult]) {
        var records: [MetadataRecord] = []
        var results: [TopicResult] = []
        var removed: Set<Uuid> = []
        let byName = names.map { ($0, image.topic($0)) }
        let byId = ids.map { id in (image.topic(id: id)?.name ?? "", image.topic(id: id)) }
        for (name, topic) in byName + byId {
            guard let topic else {
                results.append(TopicResult(name: name, topicId: .zero, errorCode: .unknownTopicOrPartition,
                                           errorMessage: "This server does not host this topic-partition.", numPartitions: -1, replicationFactor: -1))
                continue
            }
            if removed.insert(topic.id).inserted { records.append(.removeTopic(RemoveTopicRecord(topicId: topic.id))) }
            results.append(TopicResult(name: topic.name, topicId: topic.id, errorCode: .none, errorMessage: nil,
                                       numPartitions: Int32(topic.partitions.count), replicationFactor: Int16(topic.replicationFactor)))
        }
        return (records, results)
    }

    /// A block of producer ids for `broker` (InitProducerId): records plus the block's range.
    public func allocateProducerIds(for broker: NodeID) -> (records: [MetadataRecord], block: Range<Int64>) {
        let start = image.nextProducerId
        let end = start + config.producerIdBlockSize
        let epoch = image.brokers[broker]?.epoch ?? -1  // the schema's default when unknown
        return ([.producerIds(ProducerIdsRecord(brokerId: broker.rawValue, brokerEpoch: epoch, nextProducerId: end))], start..<end)
    }

    /// A refused controller operation: Kafka's code and message.
    public struct Refusal: Error, Equatable, Sendable {
        public var code: ErrorCode
        public var message: String
    }

    /// Records adding partitions to `topic` up to `count` (CreatePartitions), placed
    /// round-robin over the live brokers after the existing ones.
    public mutating func createPartitions(topic: String, count: Int32, liveBrokers: [NodeID]) -> Result<[MetadataRecord], Refusal> {
        guard let current = image.topic(topic) else {
            return .failure(Refusal(code: .unknownTopicOrPartition, message: "The topic '\(topic)' does not exist."))
        }
        let have = Int32(current.partitions.count)
        guard count > have else {
            return .failure(Refusal(code: .invalidPartitions,
                                    message: "Topic currently has \(have) partitions, which is higher than the requested \(count)."))
        }
        guard count <= Int32(Limits.partitionsPerTopicMax) else {
            return .failure(Refusal(code: .invalidPartitions, message: "\(count) partitions is above this cluster's limit of \(Limits.partitionsPerTopicMax)."))
        }
        let brokers = liveBrokers.sorted()
        guard !brokers.isEmpty else { return .failure(Refusal(code: .brokerNotAvailable, message: "No broker is running.")) }
        let factor = max(current.replicationFactor, 1)
        let start = Int(next() % UInt64(brokers.count))
        var records: [MetadataRecord] = []
        for p in Int(have)..<Int(count) {
            let replicas = (0..<factor).map { brokers[(start + p + $0) % brokers.count].rawValue }
            records.append(newPartition(p, topicId: current.id, replicas: replicas))
        }
        return .success(records)
    }

    /// Records setting (or, with nil, deleting) topic configs; the caller has validated them.
    public func alterConfigs(topic: String, _ changes: [String: String?]) -> [MetadataRecord] {
        changes.keys.sorted().map { key in
            .config(ConfigRecord(resourceType: ConfigRecord.topicResource, resourceName: topic, name: key, value: changes[key] ?? nil))
        }
    }
}
