// Controller test support: drives a QuorumController as the node will: each result's records
// appended to an in-memory metadata log and replayed at their offsets before the next
// decision; virtual time that moves only when told.

import Testing

@testable import Cluster

struct ControllerHarness {
    var controller: QuorumController
    /// The whole metadata log: a record's offset is its index.
    var log: [MetadataRecord] = []
    var events: [ControllerEvent] = []
    var now = Instant.zero
    /// Each broker's epoch and incarnation, as the broker itself would keep them.
    var epochs: [NodeID: Int64] = [:]

    static let config = QuorumControllerConfig()

    /// A fresh cluster: bootstrap records, an active controller, and `brokers` brokers
    /// (1, 2, ...) registered and unfenced.
    init(brokers: Int = 0, config: QuorumControllerConfig = Self.config, seed: UInt64 = 7) {
        controller = QuorumController(config: config, seed: seed)
        for record in controller.bootstrapRecords() { append(record) }
        controller.activate(now: now)
        for id in 0..<brokers {
            let broker = NodeID(Int32(id + 1))
            register(broker)
            heartbeat(broker)
        }
    }

    var nextOffset: Int64 { Int64(log.count) }
    var image: MetadataImage { controller.image }

    mutating func append(_ record: MetadataRecord) {
        controller.replay(record, offset: nextOffset)
        log.append(record)
    }

    /// Appends and replays a result's records, keeps its events, returns its answer.
    @discardableResult
    mutating func apply<Response>(_ result: ControllerResult<Response>) -> Response {
        for record in result.records { append(record) }
        events += result.events
        return result.response
    }

    static func incarnation(_ id: NodeID, _ n: UInt64 = 1) -> Uuid {
        Uuid(mostSignificantBits: UInt64(id.rawValue), leastSignificantBits: n)
    }

    static func registration(
        _ id: NodeID, incarnation: Uuid? = nil, port: UInt16 = 9092, rack: String? = nil
    ) -> BrokerRegistrationRequest {
        BrokerRegistrationRequest(
            brokerId: id.rawValue, incarnationId: incarnation ?? Self.incarnation(id),
            listeners: [
                .init(name: "PLAINTEXT", host: "localhost", port: port + UInt16(id.rawValue))
            ],
            features: [
                .init(
                    name: FeatureLevelRecord.metadataVersionFeature,
                    minSupportedVersion: FeatureLevelRecord.metadataVersionMinimum,
                    maxSupportedVersion: FeatureLevelRecord.metadataVersion4_0_IV3)
            ], rack: rack)
    }

    @discardableResult
    mutating func register(_ id: NodeID, incarnation: Uuid? = nil, rack: String? = nil)
        -> BrokerRegistrationResponse
    {
        let response = apply(
            controller.handleBrokerRegistration(
                Self.registration(id, incarnation: incarnation, rack: rack), nextOffset: nextOffset,
                now: now))
        if response.errorCode == .none { epochs[id] = response.brokerEpoch }
        return response
    }

    /// A heartbeat from a broker that has replayed the whole log unless `offset` says otherwise.
    @discardableResult
    mutating func heartbeat(
        _ id: NodeID, offset: Int64? = nil, wantFence: Bool = false, wantShutDown: Bool = false,
        epoch: Int64? = nil
    ) -> BrokerHeartbeatResponse {
        apply(
            controller.handleBrokerHeartbeat(
                BrokerHeartbeatRequest(
                    brokerId: id.rawValue, brokerEpoch: epoch ?? epochs[id] ?? -1,
                    currentMetadataOffset: offset ?? nextOffset - 1, wantFence: wantFence,
                    wantShutDown: wantShutDown),
                now: now))
    }

    /// Moves time on and ticks; returns the tick's records.
    @discardableResult
    mutating func advance(_ span: Duration) -> [MetadataRecord] {
        now = now + span
        let result = controller.tick(now: now)
        apply(result)
        return result.records
    }

    @discardableResult
    mutating func createTopic(
        _ name: String, partitions: Int32 = 1, replicationFactor: Int16 = 1,
        configs: [String: String] = [:]
    ) -> CreateTopicsResponse.Topic? {
        let request = CreateTopicsRequest(topics: [
            .init(
                name: name, numPartitions: partitions, replicationFactor: replicationFactor,
                configs: configs.keys.sorted().map { .init(name: $0, value: configs[$0]) })
        ])
        return apply(controller.handleCreateTopics(request)).topics.first
    }

    /// A partition placed by hand, straight into the log as a controller elsewhere could have
    /// written it: how these tests get replication factors the API refuses.
    mutating func addPartition(
        topic: String, replicas: [Int32], isr: [Int32]? = nil, leader: Int32? = nil
    ) {
        if image.topic(topic) == nil {
            append(
                .topic(
                    TopicRecord(
                        name: topic,
                        topicId: Uuid(
                            mostSignificantBits: 9, leastSignificantBits: UInt64(log.count)))))
        }
        guard let id = image.topic(topic)?.id else { return }
        let index = Int32(image.topic(topic)?.partitions.count ?? 0)
        let isr = isr ?? replicas
        append(
            .partition(
                PartitionRecord(
                    partitionId: index, topicId: id, replicas: replicas, isr: isr,
                    leader: leader ?? isr[0], leaderEpoch: 0, partitionEpoch: 0)))
    }

    /// The log replayed into a fresh controller.
    func replayedImage() -> MetadataImage {
        var fresh = QuorumController(config: controller.config, seed: 0)
        for (offset, record) in log.enumerated() { fresh.replay(record, offset: Int64(offset)) }
        return fresh.image
    }
}

extension MetadataRecord {
    var partitionChange: PartitionChangeRecord? {
        if case .partitionChange(let r) = self { return r }
        return nil
    }

    var registrationChange: BrokerRegistrationChangeRecord? {
        if case .brokerRegistrationChange(let r) = self { return r }
        return nil
    }
}

extension ControllerHarness {
    /// Moves time on by `span` as a node would: the controller is ticked whenever its deadline
    /// comes (a check that asks to be scheduled is ticked at once), and every `step` the
    /// brokers in `alive` heartbeat (a fenced one that heartbeats is unfenced again).
    mutating func run(for span: Duration, alive: [NodeID], step: Duration = .milliseconds(250)) {
        let end = now + span
        while now < end {
            let next = min(end, now + step)
            var ticks = 0
            while controller.nextDeadline <= next {
                now = max(now, controller.nextDeadline)
                apply(controller.tick(now: now))
                ticks += 1
                precondition(ticks < 1_000, "the controller's deadline does not move on")
            }
            now = next
            for id in alive { heartbeat(id) }
        }
    }

    /// Sets a topic config as a committed ConfigRecord would.
    mutating func setTopicConfig(_ topic: String, _ name: String, _ value: String?) {
        append(
            .config(
                ConfigRecord(
                    resourceType: ConfigRecord.topicResource, resourceName: topic, name: name,
                    value: value)))
    }
}
