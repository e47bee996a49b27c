// Controller room: the active controller of a KRaft cluster as a pure machine. Requests, ticks
// and replayed records in; metadata records, answers and events out. The caller owns the log.

/// The deciding half of Kafka's `QuorumController`: broker registrations, heartbeats and
/// fencing, topics, partitions, configs and producer ids.
///
/// Every decision reads only what `replay(_:offset:)` built (the image, each broker's
/// registration offset) and the soft heartbeat state, and returns a `ControllerResult`. It does
/// not apply its own records: the caller appends them to the metadata log and replays each one
/// here, as Kafka's active controller replays what it writes, before the next decision. Only an
/// active controller decides; a standby one (not yet `activate`d, or `deactivate`d) answers
/// NOT_CONTROLLER. Kafka splits this among `ClusterControlManager`, `ReplicationControlManager`,
/// `ConfigurationControlManager`, `ProducerIdControlManager` and `FeatureControlManager`; the
/// aspects live in `QuorumController+Brokers`, `+Topics`, `+Partitions`, `+Configs`,
/// `+ProducerIds`, `+LeaderAndIsr` and `+Elections` here.
public struct QuorumController {
    public private(set) var config: QuorumControllerConfig
    /// The replay of every record given to `replay(_:offset:)`.
    public private(set) var image = MetadataImage()
    /// Whether this controller leads the quorum and may decide.
    public private(set) var isActive = false
    /// Sessions, reported offsets, controlled shutdowns: only while active.
    public internal(set) var heartbeats: BrokerHeartbeatTracker
    /// The offset of each broker's latest `RegisterBrokerRecord` (Kafka's
    /// `registerBrokerRecordOffsets`): a broker is caught up once it has replayed it.
    public private(set) var registrationOffsets: [NodeID: Int64] = [:]
    /// Topic ids and placement start points; forked from the node's seed.
    var entropy: SplitMix64
    /// Partitions whose leader is not their preferred replica (Kafka's
    /// `imbalancedPartitions`), kept by replay so that `nextDeadline` stays cheap.
    public private(set) var imbalancedPartitions: Set<TopicPartition> = []
    /// When the next automatic preferred-leader check runs; nil while none is scheduled (the
    /// first tick that finds the cluster imbalanced schedules one). Only while active.
    var leaderBalanceCheckAt: Instant?
    /// The last check stopped at `Limits.electionsPerImbalanceMax`: the next comes at once.
    var leaderBalanceAgainSoon = false
    /// The same two for the unclean-election check of leaderless partitions.
    var uncleanElectionCheckAt: Instant?
    var uncleanElectionAgainSoon = false

    /// `seed` drives topic ids and placement, so the same requests make the same records.
    public init(config: QuorumControllerConfig = QuorumControllerConfig(), seed: UInt64) {
        self.config = config
        self.heartbeats = BrokerHeartbeatTracker(sessionTimeout: config.brokerSessionTimeout)
        self.entropy = SplitMix64(seed: seed)
    }

    // MARK: - Replay

    /// Applies a record the caller appended (or found committed) at `offset`. Decisions read
    /// only what replay built.
    public mutating func replay(_ record: MetadataRecord, offset: Int64) {
        if case .partitionChange(let change) = record { noteLeadershipMove(change, at: offset) }
        image.replay(record, offset: offset)
        switch record {
        case .partition(let r):
            noteBalance(topicId: r.topicId, partition: r.partitionId)
        case .partitionChange(let r):
            noteBalance(topicId: r.topicId, partition: r.partitionId)
        case .removeTopic:
            imbalancedPartitions = imbalancedPartitions.filter { image.topic($0.topic) != nil }
        case .registerBroker(let r):
            registrationOffsets[NodeID(r.brokerId)] = offset
        case .unregisterBroker(let r):
            guard image.brokers[NodeID(r.brokerId)] == nil else { break }
            registrationOffsets[NodeID(r.brokerId)] = nil
            heartbeats.remove(NodeID(r.brokerId))
        case .brokerRegistrationChange(let r)
        where r.inControlledShutdown == .inControlledShutdown && isActive:
            heartbeats.noteControlledShutdown(NodeID(r.brokerId), at: offset)
        default:
            break
        }
    }

    /// Keeps `imbalancedPartitions` in step with a partition that was created or changed.
    private mutating func noteBalance(topicId: Uuid, partition index: Int32) {
        guard let topic = image.topic(id: topicId),
            let partition = image.partition(topic.name, index)
        else { return }
        let key = TopicPartition(topic.name, index)
        if partition.hasPreferredLeader {
            imbalancedPartitions.remove(key)
        } else {
            imbalancedPartitions.insert(key)
        }
    }

    /// A partition whose leader was a broker in controlled shutdown moves on at `offset`: that
    /// broker may stop once every active broker has replayed this far.
    private mutating func noteLeadershipMove(_ change: PartitionChangeRecord, at offset: Int64) {
        guard isActive, change.leader != PartitionChangeRecord.noLeaderChange,
            let topic = image.topic(id: change.topicId),
            let leader = image.partition(topic.name, change.partitionId)?.leader,
            let broker = image.brokers[leader], broker.inControlledShutdown, !broker.fenced
        else { return }
        heartbeats.noteControlledShutdown(leader, at: offset)
    }

    /// The offset of the broker's registration record, or its epoch (which Kafka makes the
    /// same offset) when the record was replayed without one.
    func registrationOffset(of id: NodeID) -> Int64? {
        registrationOffsets[id] ?? image.brokers[id]?.epoch
    }

    /// New timings from a learner (`cluster config --set`): sessions are judged by the new
    /// `broker.session.timeout.ms` from now on; the cluster id stays the controller's own.
    public mutating func changeConfig(_ new: QuorumControllerConfig) {
        var adopted = new
        adopted.clusterId = config.clusterId
        config = adopted
        heartbeats.sessionTimeout = adopted.brokerSessionTimeout
    }

    // MARK: - Leadership of the quorum

    /// This node's controller became active at `now` (it leads the quorum and has replayed its
    /// whole log): every registered broker gets a fresh session from now, as Kafka's heartbeat
    /// manager does on failover, and no broker has reported an offset yet.
    public mutating func activate(now: Instant) {
        isActive = true
        heartbeats = BrokerHeartbeatTracker(sessionTimeout: config.brokerSessionTimeout)
        resetElectionChecks()
        for broker in image.sortedBrokers {
            heartbeats.startSession(broker.id, brokerEpoch: broker.epoch, now: now)
            if broker.inControlledShutdown && !broker.fenced {
                heartbeats.noteControlledShutdown(broker.id, at: image.offset)
            }
        }
    }

    /// This node's controller lost the quorum's leadership: it keeps replaying but decides
    /// nothing, and forgets the soft state a new active controller will rebuild.
    public mutating func deactivate() {
        isActive = false
        heartbeats = BrokerHeartbeatTracker(sessionTimeout: config.brokerSessionTimeout)
        resetElectionChecks()
    }

    /// Records that must come first on a fresh cluster: the finalized `metadata.version`
    /// (4.0-IV3), as Kafka's `BootstrapMetadata` writes it before anything else.
    public func bootstrapRecords() -> [MetadataRecord] {
        [
            .featureLevel(
                FeatureLevelRecord(
                    name: FeatureLevelRecord.metadataVersionFeature,
                    featureLevel: FeatureLevelRecord.metadataVersion4_0_IV3))
        ]
    }

    // MARK: - Time

    /// When `tick` next has something to do: the first session of an unfenced broker to run
    /// out, or a leader-election check that is due or waits to be scheduled.
    /// `Instant(nanoseconds: .max)` when there is none, or when standing by.
    public var nextDeadline: Instant {
        guard isActive else { return Instant(nanoseconds: .max) }
        let sessions = image.sortedBrokers.filter { !$0.fenced }
            .compactMap { broker -> Instant? in
                guard heartbeats.brokers[broker.id]?.brokerEpoch == broker.epoch else { return nil }
                return heartbeats.sessionExpiry(of: broker.id)
            }
        let checks = [leaderBalanceDeadline, uncleanElectionDeadline].compactMap { $0 }
        return (sessions + checks).min() ?? Instant(nanoseconds: .max)
    }

    /// Session expiry: fence every unfenced broker whose last heartbeat is at least
    /// `broker.session.timeout.ms` old, moving leadership and shrinking ISRs as it goes (Kafka's
    /// `maybeFenceOneStaleBroker`, which fences one per event; here all due ones in one result,
    /// each seeing the ones before it). A fenced broker's session just ends. Then the leader
    /// election checks: preferred leaders back, unclean elections for leaderless partitions
    /// (see `QuorumController+Elections`).
    public mutating func tick(now: Instant) -> ControllerResult<Void> {
        guard isActive else { return ControllerResult() }
        var draft = ControllerDraft(image)
        for broker in image.sortedBrokers {
            guard let state = heartbeats.brokers[broker.id], let last = state.lastContact,
                let expiry = heartbeats.sessionExpiry(of: broker.id), now >= expiry
            else { continue }
            heartbeats.endSession(broker.id)
            guard state.brokerEpoch == broker.epoch, !broker.fenced else { continue }
            fenceBroker(
                broker.id, reason: .sessionExpired(lastHeartbeatAge: now - last), in: &draft)
        }
        runElectionChecks(now: now, in: &draft)
        return draft.result(())
    }

    /// A topic id as Kafka makes them: never zero, never printing with a leading '-' (it would
    /// look like a command-line flag), and not one the image already has.
    mutating func newTopicId(avoiding draft: MetadataImage) -> Uuid {
        while true {
            let id = Uuid(mostSignificantBits: entropy.next(), leastSignificantBits: entropy.next())
            if id != .zero && !id.description.hasPrefix("-") && draft.topic(id: id) == nil {
                return id
            }
        }
    }
}
