// Metadata room: the immutable picture of the cluster that metadata records build. Every broker
// answers Metadata requests and decides leadership from its image; the REPL reads it too.

/// A registered broker as the image knows it (Kafka's `BrokerRegistration`).
public struct BrokerRegistration: Equatable, Sendable {
    public var id: NodeID
    /// The broker epoch: the offset of the `RegisterBrokerRecord` that made this registration.
    /// Change and unregister records name it, so a stale one cannot touch a newer incarnation.
    public var epoch: Int64
    public var incarnationId: Uuid
    public var host: String
    public var port: Int
    public var rack: String?
    public var fenced: Bool
    public var inControlledShutdown: Bool

    public init(
        id: NodeID, epoch: Int64, incarnationId: Uuid, host: String, port: Int, rack: String?,
        fenced: Bool, inControlledShutdown: Bool
    ) {
        self.id = id
        self.epoch = epoch
        self.incarnationId = incarnationId
        self.host = host
        self.port = port
        self.rack = rack
        self.fenced = fenced
        self.inControlledShutdown = inControlledShutdown
    }

    init(_ r: RegisterBrokerRecord) {
        self.init(
            id: NodeID(r.brokerId), epoch: r.brokerEpoch, incarnationId: r.incarnationId,
            host: r.host,
            port: Int(r.port), rack: r.rack, fenced: r.fenced,
            inControlledShutdown: r.inControlledShutdown)
    }
}

/// One partition's placement and leadership (Kafka's `PartitionRegistration`).
public struct PartitionRegistration: Equatable, Sendable {
    public var partition: Int32
    public var replicas: [NodeID]
    public var isr: [NodeID]
    public var removingReplicas: [NodeID]
    public var addingReplicas: [NodeID]
    public var leader: NodeID?
    public var leaderRecoveryState: LeaderRecoveryState
    public var leaderEpoch: Int32
    public var partitionEpoch: Int32
    /// One log directory per replica; `DirectoryId.migrating` for each when none are known.
    public var directories: [Uuid]
    public var eligibleLeaderReplicas: [NodeID]
    public var lastKnownElr: [NodeID]

    init(_ r: PartitionRecord) {
        partition = r.partitionId
        replicas = nodeIDs(r.replicas)
        isr = nodeIDs(r.isr)
        removingReplicas = nodeIDs(r.removingReplicas)
        addingReplicas = nodeIDs(r.addingReplicas)
        leader = r.leader >= 0 ? NodeID(r.leader) : nil
        leaderRecoveryState = r.leaderRecoveryState
        leaderEpoch = r.leaderEpoch
        partitionEpoch = r.partitionEpoch
        directories = Self.defaultToMigrating(r.directories, replicaCount: r.replicas.count)
        eligibleLeaderReplicas = nodeIDs(r.eligibleLeaderReplicas ?? [])
        lastKnownElr = nodeIDs(r.lastKnownElr ?? [])
    }

    /// The replica leadership should return to: the first in the replica list (Kafka's
    /// `preferredReplica`); nil for a partition without replicas.
    public var preferredReplica: NodeID? { replicas.first }

    /// Whether the preferred replica leads (Kafka's `hasPreferredLeader`); a partition
    /// without replicas and without a leader counts as balanced, as in Kafka.
    public var hasPreferredLeader: Bool { leader == preferredReplica }

    /// Applies a change as Kafka's `PartitionRegistration.merge` does: a nil field (or leader
    /// -2) keeps the current value; any leader value but -2 bumps the leader epoch, even the
    /// same leader (the controller sets it to force a bump); the partition epoch always grows.
    /// Epochs wrap like Java ints rather than trap: they come from a log.
    public func merging(_ change: PartitionChangeRecord) -> PartitionRegistration {
        var next = self
        if let replicas = change.replicas { next.replicas = nodeIDs(replicas) }
        next.directories = Self.defaultToMigrating(
            change.directories ?? directories, replicaCount: next.replicas.count)
        if let isr = change.isr { next.isr = nodeIDs(isr) }
        if let removing = change.removingReplicas { next.removingReplicas = nodeIDs(removing) }
        if let adding = change.addingReplicas { next.addingReplicas = nodeIDs(adding) }
        if change.leader != PartitionChangeRecord.noLeaderChange {
            next.leader = change.leader >= 0 ? NodeID(change.leader) : nil
            next.leaderEpoch = leaderEpoch &+ 1
        }
        if let state = change.leaderRecoveryState { next.leaderRecoveryState = state }
        if let elr = change.eligibleLeaderReplicas { next.eligibleLeaderReplicas = nodeIDs(elr) }
        if let lastKnown = change.lastKnownElr { next.lastKnownElr = nodeIDs(lastKnown) }
        next.partitionEpoch = partitionEpoch &+ 1
        return next
    }

    /// Kafka's `defaultToMigrating`: no directories, or only `migrating` ones, means every
    /// replica's directory is still `migrating`.
    static func defaultToMigrating(_ directories: [Uuid], replicaCount: Int) -> [Uuid] {
        if directories.allSatisfy({ $0 == DirectoryId.migrating }) {
            return Array(repeating: DirectoryId.migrating, count: replicaCount)
        }
        return directories
    }
}

private func nodeIDs(_ ids: [Int32]) -> [NodeID] { ids.map { NodeID($0) } }

/// A topic: name, id, partitions by index, and its config overrides.
public struct TopicImage: Equatable, Sendable {
    public var name: String
    public var id: Uuid
    public var partitions: [PartitionRegistration]
    public var configs: [String: String]
    public var replicationFactor: Int { partitions.first?.replicas.count ?? 0 }
}

/// The whole metadata image: built only by `replay(_:offset:)`, as Kafka's `MetadataImage` is
/// built from `MetadataDelta`s, so that it can always be recomputed from the log.
public struct MetadataImage: Equatable, Sendable {
    public private(set) var brokers: [NodeID: BrokerRegistration] = [:]
    public private(set) var topicsByName: [String: TopicImage] = [:]
    public private(set) var topicNamesById: [Uuid: String] = [:]
    /// Finalized feature levels by name (`FeatureLevelRecord`); a level of 0 removes one.
    public private(set) var finalizedFeatures: [String: Int16] = [:]
    /// The first producer id not yet handed out.
    public private(set) var nextProducerId: Int64 = 0
    /// The offset of the last record applied; -1 for an empty image. Images are ordered by it
    /// (Kafka's `MetadataProvenance.lastContainedOffset`).
    public private(set) var offset: Int64 = -1

    public init() {}

    /// The `metadata.version` feature level, once a `FeatureLevelRecord` has set it.
    public var metadataVersion: Int16? {
        finalizedFeatures[FeatureLevelRecord.metadataVersionFeature]
    }

    public var topicNames: [String] { topicsByName.keys.sorted() }

    public func topic(_ name: String) -> TopicImage? { topicsByName[name] }

    public func topic(id: Uuid) -> TopicImage? { topicNamesById[id].flatMap { topicsByName[$0] } }

    public func partition(_ topic: String, _ partition: Int32) -> PartitionRegistration? {
        guard let t = topicsByName[topic], partition >= 0, Int(partition) < t.partitions.count
        else { return nil }
        return t.partitions[Int(partition)]
    }

    public var sortedBrokers: [BrokerRegistration] { brokers.values.sorted { $0.id < $1.id } }

    /// Applies the record that follows the last one: at `offset + 1`. For tests and for the
    /// pre-Raft metadata file, which has no offsets of its own.
    public mutating func replay(_ record: MetadataRecord) {
        replay(record, offset: offset + 1)
    }

    /// Applies one committed record found at `offset` of the metadata log. A record naming an
    /// unknown topic, partition or broker registration (or a stale broker epoch) changes
    /// nothing but the offset: replay must never fail on a log the controller wrote.
    public mutating func replay(_ record: MetadataRecord, offset recordOffset: Int64) {
        precondition(
            recordOffset > offset, "metadata offset \(recordOffset) replayed after \(offset)")
        offset = recordOffset
        switch record {
        case .registerBroker(let r):
            brokers[NodeID(r.brokerId)] = BrokerRegistration(r)
        case .unregisterBroker(let r):
            guard brokers[NodeID(r.brokerId)]?.epoch == r.brokerEpoch else { return }
            brokers[NodeID(r.brokerId)] = nil
        case .brokerRegistrationChange(let r):
            replayRegistrationChange(r)
        case .topic(let r):
            topicsByName[r.name] = TopicImage(
                name: r.name, id: r.topicId, partitions: [], configs: [:])
            topicNamesById[r.topicId] = r.name
        case .partition(let r):
            replayPartition(r)
        case .partitionChange(let r):
            guard let name = topicNamesById[r.topicId], var topic = topicsByName[name],
                r.partitionId >= 0, Int(r.partitionId) < topic.partitions.count
            else { return }
            topic.partitions[Int(r.partitionId)] = topic.partitions[Int(r.partitionId)].merging(r)
            topicsByName[name] = topic
        case .config(let r):
            guard r.resourceType == ConfigRecord.topicResource,
                var topic = topicsByName[r.resourceName]
            else { return }
            topic.configs[r.name] = r.value
            topicsByName[r.resourceName] = topic
        case .removeTopic(let r):
            guard let name = topicNamesById[r.topicId] else { return }
            topicsByName[name] = nil
            topicNamesById[r.topicId] = nil
        case .featureLevel(let r):
            finalizedFeatures[r.name] = r.featureLevel == 0 ? nil : r.featureLevel
        case .producerIds(let r):
            nextProducerId = max(nextProducerId, r.nextProducerId)
        }
    }

    /// Kafka's `ClusterDelta.replay(BrokerRegistrationChangeRecord)`: only the registration
    /// with the record's broker epoch changes.
    private mutating func replayRegistrationChange(_ r: BrokerRegistrationChangeRecord) {
        guard var broker = brokers[NodeID(r.brokerId)], broker.epoch == r.brokerEpoch else {
            return
        }
        switch r.fenced {
        case .fence: broker.fenced = true
        case .unfence: broker.fenced = false
        case .none: break
        }
        if r.inControlledShutdown == .inControlledShutdown { broker.inControlledShutdown = true }
        brokers[broker.id] = broker
    }

    /// A new partition (or a snapshot's): added at the end, or replacing one by index.
    private mutating func replayPartition(_ r: PartitionRecord) {
        guard let name = topicNamesById[r.topicId], var topic = topicsByName[name],
            r.partitionId >= 0
        else { return }
        let registration = PartitionRegistration(r)
        let index = Int(r.partitionId)
        if index < topic.partitions.count {
            topic.partitions[index] = registration
        } else if index == topic.partitions.count {
            topic.partitions.append(registration)
        } else {
            return
        }
        topicsByName[name] = topic
    }
}
