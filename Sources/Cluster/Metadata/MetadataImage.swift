// Metadata room: the immutable picture of the cluster that metadata records build. Every broker
// answers Metadata requests and decides leadership from its image; the REPL reads it too.

/// A registered broker as the image knows it.
public struct BrokerRegistration: Equatable, Sendable {
    public var id: NodeID
    public var host: String
    public var port: Int
    public var rack: String?
    public var fenced: Bool
}

/// One partition's placement and leadership (Kafka's `PartitionRegistration`).
public struct PartitionRegistration: Equatable, Sendable {
    public var partition: Int32
    public var replicas: [NodeID]
    public var isr: [NodeID]
    public var leader: NodeID?
    public var leaderEpoch: Int32
    public var partitionEpoch: Int32
}

/// A topic: name, id, partitions by index, and its config overrides.
public struct TopicImage: Equatable, Sendable {
    public var name: String
    public var id: Uuid
    public var partitions: [PartitionRegistration]
    public var configs: [String: String]
    public var replicationFactor: Int { partitions.first?.replicas.count ?? 0 }
}

/// The whole metadata image: built only by `replay(_:)`, as Kafka's `MetadataImage` is built
/// from `MetadataDelta`s, so that it can always be recomputed from the log.
public struct MetadataImage: Equatable, Sendable {
    public private(set) var brokers: [NodeID: BrokerRegistration] = [:]
    public private(set) var topicsByName: [String: TopicImage] = [:]
    public private(set) var topicNamesById: [Uuid: String] = [:]
    /// The first producer id not yet handed out.
    public private(set) var nextProducerId: Int64 = 0
    /// How many records built this image (its offset in the metadata log).
    public private(set) var recordCount: Int64 = 0

    public init() {}

    public var topicNames: [String] { topicsByName.keys.sorted() }

    public func topic(_ name: String) -> TopicImage? { topicsByName[name] }

    public func topic(id: Uuid) -> TopicImage? { topicNamesById[id].flatMap { topicsByName[$0] } }

    public func partition(_ topic: String, _ partition: Int32) -> PartitionRegistration? {
        guard let t = topicsByName[topic], partition >= 0, Int(partition) < t.partitions.count else { return nil }
        return t.partitions[Int(partition)]
    }

    public var sortedBrokers: [BrokerRegistration] { brokers.values.sorted { $0.id < $1.id } }

    /// Applies one committed record. A record for an unknown topic id is ignored: it can only
    /// follow a removal, and replay must never fail on a log the controller wrote.
    public mutating func replay(_ record: MetadataRecord) {
        recordCount += 1
        switch record {
        case .registerBroker(let r):
            brokers[NodeID(r.brokerId)] = BrokerRegistration(
                id: NodeID(r.brokerId), host: r.host, port: Int(r.port), rack: r.rack, fenced: r.fenced)
        case .topic(let r):
            topicsByName[r.name] = TopicImage(name: r.name, id: r.topicId, partitions: [], configs: [:])
            topicNamesById[r.topicId] = r.name
        case .partition(let r):
            guard let name = topicNamesById[r.topicId], var topic = topicsByName[name], r.partitionId >= 0 else { return }
            let registration = PartitionRegistration(
                partition: r.partitionId, replicas: r.replicas.map { NodeID($0) }, isr: r.isr.map { NodeID($0) },
                leader: r.leader >= 0 ? NodeID(r.leader) : nil, leaderEpoch: r.leaderEpoch, partitionEpoch: r.partitionEpoch)
            let index = Int(r.partitionId)
            if index < topic.partitions.count {
                topic.partitions[index] = registration
            } else if index == topic.partitions.count {
                topic.partitions.append(registration)
            } else {
                return
            }
            topicsByName[name] = topic
        case .config(let r):
            guard r.resourceType == ConfigRecord.topicResource, var topic = topicsByName[r.resourceName] else { return }
            topic.configs[r.name] = r.value
            topicsByName[r.resourceName] = topic
        case .removeTopic(let r):
            guard let name = topicNamesById[r.topicId] else { return }
            topicsByName[name] = nil
            topicNamesById[r.topicId] = nil
        case .producerIds(let r):
            nextProducerId = max(nextProducerId, r.nextProducerId)
        }
    }
}
