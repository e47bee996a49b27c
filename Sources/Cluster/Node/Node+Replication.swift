// Node room: the wire side of replication. The broker decides what to fetch and which ISR to
// propose; the node sends replica Fetches to leaders' broker listeners and AlterPartition to
// the active controller, and hands the answers back.

import NIOCore

extension Node {
    /// Kafka's replica fetcher client id.
    var replicaFetcherClientId: String { "broker-\(id)-fetcher-0" }
    static let replicaFetchVersion: Int16 = 16
    static let alterPartitionVersion: Int16 = 3

    /// After every input: replication's events, ISR proposals and due replica Fetches go out.
    mutating func carryOutReplication() {
        for event in broker.drainReplicationEvents() { record(.replication(event)) }
        let proposals = broker.takeIsrProposals()
        if !proposals.isEmpty { sendIsrProposals(proposals) }
        // A broker fetches only once registered: its broker epoch goes in every replica Fetch.
        guard let brokerEpoch = lifecycle.brokerEpoch else { return }
        for (leader, request) in broker.replicaFetchRequests(brokerEpoch: brokerEpoch, now: now) {
            let wireId = newWireId()
            outstanding[wireId] = Outstanding(
                to: leader, apiKey: .fetch, version: Self.replicaFetchVersion, sentAt: now, purpose: .replicaFetch(leader: leader))
            effects.replicaRequests.append((leader, RequestFraming.requestFrame(
                request, version: Self.replicaFetchVersion, correlationId: wireId, clientId: replicaFetcherClientId)))
        }
    }

    /// One AlterPartition for all of this step's proposals, each ISR member named with the
    /// broker epoch this node knows (KIP-903).
    private mutating func sendIsrProposals(_ proposals: [IsrProposal]) {
        guard let brokerEpoch = lifecycle.brokerEpoch else {
            return broker.isrChangeAnswered(proposals, response: nil, now: now)
        }
        var topics: [Uuid: AlterPartitionRequest.TopicData] = [:]
        for proposal in proposals {
            topics[proposal.topicId, default: .init(topicId: proposal.topicId)].partitions.append(.init(
                partitionIndex: proposal.topicPartition.partition, leaderEpoch: proposal.leaderEpoch,
                newIsrWithEpochs: proposal.isr.map { .init(brokerId: $0.rawValue, brokerEpoch: committedImage.brokers[$0]?.epoch ?? -1) },
                partitionEpoch: proposal.partitionEpoch))
        }
        let request = ControllerRequest.alterPartition(AlterPartitionRequest(
            brokerId: id.rawValue, brokerEpoch: brokerEpoch, topics: topics.values.sorted { $0.topicId < $1.topicId }))
        if raft.leaderId == id, controller != nil {
            handleControllerRequest(request, reply: .local(.alterPartition(proposals)))
        } else if !sendToController(request, purpose: .alterPartition(proposals)) {
            broker.isrChangeAnswered(proposals, response: nil, now: now)
        }
    }

    /// A replica Fetch answer from `leader`'s broker listener.
    mutating func replicaFetchAnswered(_ reader: inout WireReader, from leader: NodeID, version: Int16) {
        guard let response = try? FetchResponse(from: &reader, version: version) else {
            return broker.replicaFetchFailed(from: leader, now: now)
        }
        broker.handleReplicaFetchResponse(response, from: leader, now: now, wallClockMs: wallClockMs)
    }
}
