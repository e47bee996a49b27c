// Controller room: AlterPartition, a partition leader asking to grow or shrink its ISR (Kafka's
// `ReplicationControlManager.alterPartition`). The partition epoch makes it a compare-and-set:
// a leader that has not seen the latest change is refused and tries again from the new state.

extension QuorumController {
    public func handleAlterPartition(_ r: AlterPartitionRequest) -> ControllerResult<AlterPartitionResponse> {
        guard isActive else { return ControllerResult(response: AlterPartitionResponse(errorCode: .notController)) }
        let brokerId = NodeID(r.brokerId)
        guard let broker = image.brokers[brokerId], broker.epoch == r.brokerEpoch else {
            return ControllerResult(response: AlterPartitionResponse(errorCode: .staleBrokerEpoch))
        }
        var draft = ControllerDraft(image)
        var topics: [AlterPartitionResponse.TopicData] = []
        for topicData in r.topics {
            var answers: [AlterPartitionResponse.PartitionData] = []
            for p in topicData.partitions {
                answers.append(alterOne(topicId: topicData.topicId, p, from: brokerId, in: &draft))
            }
            topics.append(.init(topicId: topicData.topicId, partitions: answers))
        }
        return draft.result(AlterPartitionResponse(topics: topics))
    }

    private func alterOne(
        topicId: Uuid, _ p: AlterPartitionRequest.PartitionData, from leader: NodeID, in draft: inout ControllerDraft
    ) -> AlterPartitionResponse.PartitionData {
        func refuse(_ code: ErrorCode) -> AlterPartitionResponse.PartitionData {
            .init(partitionIndex: p.partitionIndex, errorCode: code)
        }
        guard let topic = draft.image.topic(id: topicId) else { return refuse(.unknownTopicId) }
        guard let partition = draft.image.partition(topic.name, p.partitionIndex) else {
            return refuse(.unknownTopicOrPartition)
        }
        // Kafka's order: a newer epoch than ours means this controller is behind.
        if p.leaderEpoch > partition.leaderEpoch || p.partitionEpoch > partition.partitionEpoch {
            return refuse(.notController)
        }
        if p.leaderEpoch < partition.leaderEpoch { return refuse(.fencedLeaderEpoch) }
        if partition.leader != leader { return refuse(.invalidRequest) }
        if p.partitionEpoch < partition.partitionEpoch { return refuse(.invalidUpdateVersion) }
        let proposed = p.newIsrWithEpochs.isEmpty ? p.newIsr.map { NodeID($0) } : p.newIsrWithEpochs.map { NodeID($0.brokerId) }
        guard proposed.contains(leader), Set(proposed).count == proposed.count else { return refuse(.invalidRequest) }
        // KIP-704: a leader elected uncleanly is RECOVERING until it says it has recovered,
        // and must not grow its ISR before; a RECOVERED partition never goes back.
        guard let recoveryState = LeaderRecoveryState(rawValue: p.leaderRecoveryState),
            !(recoveryState == .recovering && proposed.count > 1),
            !(partition.leaderRecoveryState == .recovered && recoveryState == .recovering)
        else { return refuse(.invalidRequest) }
        // KIP-841: only replicas that are registered, unfenced and not shutting down may join;
        // KIP-903: one seen at an older broker epoch has restarted since and may have lost data.
        for state in p.newIsrWithEpochs {
            let id = NodeID(state.brokerId)
            if state.brokerEpoch >= 0, let registered = draft.image.brokers[id], registered.epoch != state.brokerEpoch {
                return refuse(.ineligibleReplica)
            }
        }
        for id in proposed where !partition.replicas.contains(id) || (!partition.isr.contains(id) && !Self.isActiveBroker(id, in: draft.image)) {
            return refuse(.ineligibleReplica)
        }
        var change = PartitionChangeRecord(partitionId: p.partitionIndex, topicId: topicId)
        if proposed != partition.isr { change.isr = proposed.map(\.rawValue) }
        if recoveryState != partition.leaderRecoveryState { change.leaderRecoveryState = recoveryState }
        if change.isr != nil || change.leaderRecoveryState != nil { draft.append(.partitionChange(change)) }
        let after = draft.image.partition(topic.name, p.partitionIndex) ?? partition
        return .init(
            partitionIndex: p.partitionIndex, errorCode: .none, leaderId: after.leader?.rawValue ?? -1,
            leaderEpoch: after.leaderEpoch, isr: after.isr.map(\.rawValue),
            leaderRecoveryState: after.leaderRecoveryState.rawValue, partitionEpoch: after.partitionEpoch)
    }
}
