// Controller room: what fencing, unfencing and controlled shutdown do to partitions: who
// leads, who stays in the ISR, and (unclean.leader.election.enable) who may lead from
// outside it. Kafka's ReplicationControlManager.handleBroker* methods.

extension QuorumController {
    /// A partition named by topic and index, in the order decisions walk them.
    struct PartitionRef {
        var topic: String
        var topicId: Uuid
        var partition: PartitionRegistration
    }

    /// Every partition of `image` that passes `filter`, by topic name, then index: the order
    /// changes are made in, so that a replay of the same requests writes the same records.
    static func partitions(
        in image: MetadataImage, where filter: (PartitionRegistration) -> Bool
    ) -> [PartitionRef] {
        var out: [PartitionRef] = []
        for name in image.topicNames {
            guard let topic = image.topic(name) else { continue }
            for partition in topic.partitions where filter(partition) {
                out.append(PartitionRef(topic: name, topicId: topic.id, partition: partition))
            }
        }
        return out
    }

    /// Kafka's `ClusterControlManager.isActive`: registered, unfenced, not shutting down.
    static func isActiveBroker(_ id: NodeID, in image: MetadataImage) -> Bool {
        guard let broker = image.brokers[id] else { return false }
        return !broker.fenced && !broker.inControlledShutdown
    }

    /// Kafka's `BrokersToIsrs.hasLeaderships`.
    static func hasLeaderships(_ id: NodeID, in image: MetadataImage) -> Bool {
        !partitions(in: image) { $0.leader == id }.isEmpty
    }

    /// Kafka's `generateLeaderAndIsrUpdates`: for each partition, drop `removing` from the ISR
    /// (unless it is the last member) and elect a leader among the rest of the ISR; `adding`
    /// counts as acceptable even though the draft may still show it fenced. A topic with
    /// `unclean.leader.election.enable=true` whose ISR has nobody left to lead takes any live
    /// replica instead (so an unfenced broker may lead a leaderless partition it is only a
    /// replica of).
    func updateLeaderAndIsr(
        removing: NodeID?, adding: NodeID?, partitions: [PartitionRef],
        in draft: inout ControllerDraft
    ) {
        for ref in partitions {
            let image = draft.image
            var builder = PartitionChangeBuilder(ref.partition, topicId: ref.topicId) { replica in
                replica != removing
                    && (replica == adding || Self.isActiveBroker(replica, in: image))
            }
            if Self.uncleanLeaderElectionEnabled(ref.topic, in: image) {
                builder.election = .unclean
            }
            if let removing { builder.targetIsr = ref.partition.isr.filter { $0 != removing } }
            if let change = builder.build() { draft.append(.partitionChange(change)) }
        }
    }

    /// Kafka's `ConfigurationControlManager.uncleanLeaderElectionEnabledForTopic`.
    static func uncleanLeaderElectionEnabled(_ topic: String, in image: MetadataImage) -> Bool {
        TopicConfigs.uncleanLeaderElectionEnable(image.topic(topic)?.configs ?? [:])
    }

    /// Kafka's `handleBrokerFenced`: out of every ISR it can leave, leadership elsewhere or
    /// nowhere, then the fence itself.
    func fenceBroker(_ id: NodeID, reason: FenceReason, in draft: inout ControllerDraft) {
        guard let broker = draft.image.brokers[id] else { return }
        draft.events.append(.brokerFenced(id, reason: reason))
        updateLeaderAndIsr(
            removing: id, adding: nil,
            partitions: Self.partitions(in: draft.image) { $0.isr.contains(id) }, in: &draft)
        draft.append(
            .brokerRegistrationChange(
                BrokerRegistrationChangeRecord(
                    brokerId: id.rawValue, brokerEpoch: broker.epoch, fenced: .fence)))
    }

    /// Kafka's `handleBrokerUnfenced`: the unfence, then leadership of every leaderless
    /// partition whose ISR names this broker.
    func unfenceBroker(_ id: NodeID, brokerEpoch: Int64, in draft: inout ControllerDraft) {
        draft.append(
            .brokerRegistrationChange(
                BrokerRegistrationChangeRecord(
                    brokerId: id.rawValue, brokerEpoch: brokerEpoch, fenced: .unfence)))
        draft.events.append(.brokerUnfenced(id))
        updateLeaderAndIsr(
            removing: nil, adding: id,
            partitions: Self.partitions(in: draft.image) { $0.leader == nil }, in: &draft)
    }

    /// Kafka's `handleBrokerInControlledShutdown`: mark it, then move its leaderships and take
    /// it out of the ISRs it can leave.
    func beginControlledShutdown(_ id: NodeID, brokerEpoch: Int64, in draft: inout ControllerDraft)
    {
        if draft.image.brokers[id]?.inControlledShutdown != true {
            draft.append(
                .brokerRegistrationChange(
                    BrokerRegistrationChangeRecord(
                        brokerId: id.rawValue, brokerEpoch: brokerEpoch,
                        inControlledShutdown: .inControlledShutdown)))
        }
        draft.events.append(.controlledShutdownStarted(id))
        updateLeaderAndIsr(
            removing: id, adding: nil,
            partitions: Self.partitions(in: draft.image) { $0.isr.contains(id) }, in: &draft)
    }
}
