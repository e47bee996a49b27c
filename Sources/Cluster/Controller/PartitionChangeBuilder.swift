// Controller room: how one partition's leader and ISR change when a broker is fenced,
// unfenced or shuts down: the smallest PartitionChangeRecord that says it, or none.

/// Builds the `PartitionChangeRecord` that moves a partition to a target ISR and a leader that
/// is acceptable, or nothing when neither changes.
///
/// Mirrors the parts of Kafka's `PartitionChangeBuilder` this cluster meets: the ONLINE
/// election (keep a leader that is still acceptable and in the ISR, else the first replica in
/// preferred order that is both, else no leader) and the rule that, without eligible leader
/// replicas (KIP-966, off here), the ISR never becomes empty: the last member stays, so the
/// partition can come back with no data lost once that broker returns. No unclean election, no
/// reassignment, and no leader epoch bump for an ISR shrink (metadata.version 3.6 and later).
struct PartitionChangeBuilder {
    let partition: PartitionRegistration
    let topicId: Uuid
    /// The ISR wanted; an empty target leaves the ISR as it is.
    var targetIsr: [NodeID]
    /// Whether a replica may lead (unfenced and not shutting down, with the caller's
    /// exceptions for the broker being added or removed).
    let isAcceptableLeader: (NodeID) -> Bool

    init(
        _ partition: PartitionRegistration, topicId: Uuid,
        isAcceptableLeader: @escaping (NodeID) -> Bool
    ) {
        self.partition = partition
        self.topicId = topicId
        self.targetIsr = partition.isr
        self.isAcceptableLeader = isAcceptableLeader
    }

    /// The leader after the change: Kafka's `electAnyLeader` for an ONLINE election.
    func electLeader() -> NodeID? {
        if let leader = partition.leader, isValidNewLeader(leader) { return leader }
        return partition.replicas.first(where: isValidNewLeader)
    }

    private func isValidNewLeader(_ replica: NodeID) -> Bool {
        targetIsr.contains(replica) && isAcceptableLeader(replica)
    }

    func build() -> PartitionChangeRecord? {
        var record = PartitionChangeRecord(
            partitionId: partition.partition, topicId: topicId)
        let leader = electLeader()
        if leader != partition.leader {
            record.leader = leader?.rawValue ?? PartitionChangeRecord.noLeader
        }
        if !targetIsr.isEmpty && targetIsr != partition.isr {
            record.isr = targetIsr.map(\.rawValue)
        }
        let unchanged = record.leader == PartitionChangeRecord.noLeaderChange && record.isr == nil
        return unchanged ? nil : record
    }
}
