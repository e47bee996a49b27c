// Controller room: how one partition's leader and ISR change when a broker is fenced,
// unfenced or shuts down, or a leader election is asked for: the smallest
// PartitionChangeRecord that says it, or none.

/// Builds the `PartitionChangeRecord` that moves a partition to a target ISR and a leader that
/// is acceptable, or nothing when neither changes.
///
/// Mirrors the parts of Kafka's `PartitionChangeBuilder` this cluster meets: the three
/// elections (ONLINE keeps an acceptable leader from the ISR, PREFERRED tries the first
/// replica first, UNCLEAN falls back to any live replica outside the ISR) and the rule that,
/// without eligible leader replicas (KIP-966, off here), the ISR never becomes empty: the last
/// member stays, so the partition can come back with no data lost once that broker returns.
/// An unclean election sets the ISR to the new leader alone and marks the partition's leader
/// RECOVERING (KIP-704) until the leader reports itself recovered. No reassignment, and no
/// leader epoch bump for an ISR shrink (metadata.version 3.6 and later).
struct PartitionChangeBuilder {
    /// Kafka's `PartitionChangeBuilder.Election`.
    enum Election: Equatable {
        /// Elect the preferred replica if it is in the ISR and acceptable, else keep an
        /// acceptable leader, else any acceptable ISR member.
        case preferred
        /// Keep an acceptable leader from the ISR, else the first acceptable ISR member.
        case online
        /// As ONLINE, then, with nobody in the ISR acceptable, the first acceptable replica
        /// at all (`unclean.leader.election.enable=true`).
        case unclean
    }

    let partition: PartitionRegistration
    let topicId: Uuid
    /// The ISR wanted; an empty target leaves the ISR as it is.
    var targetIsr: [NodeID]
    var election = Election.online
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

    /// The leader after the change, and whether it came from outside the ISR: Kafka's
    /// `electPreferredLeader` and `electAnyLeader`.
    func electLeader() -> (leader: NodeID?, unclean: Bool) {
        if election == .preferred, let preferred = partition.replicas.first,
            isValidNewLeader(preferred)
        {
            return (preferred, false)
        }
        if let leader = partition.leader, isValidNewLeader(leader) { return (leader, false) }
        if let fromIsr = partition.replicas.first(where: isValidNewLeader) {
            return (fromIsr, false)
        }
        if election == .unclean, let anyLive = partition.replicas.first(where: isAcceptableLeader) {
            return (anyLive, true)
        }
        return (nil, false)
    }

    private func isValidNewLeader(_ replica: NodeID) -> Bool {
        targetIsr.contains(replica) && isAcceptableLeader(replica)
    }

    func build() -> PartitionChangeRecord? {
        var record = PartitionChangeRecord(
            partitionId: partition.partition, topicId: topicId)
        let (leader, unclean) = electLeader()
        if leader != partition.leader {
            record.leader = leader?.rawValue ?? PartitionChangeRecord.noLeader
            if unclean, let leader {
                // Whatever only the old ISR had is gone: the new leader's log is the truth now,
                // and the other replicas will cut theirs back to it.
                record.isr = [leader.rawValue]
                if partition.leaderRecoveryState != .recovering {
                    record.leaderRecoveryState = .recovering
                }
            }
        }
        if record.isr == nil && !targetIsr.isEmpty && targetIsr != partition.isr {
            record.isr = targetIsr.map(\.rawValue)
        }
        let unchanged =
            record.leader == PartitionChangeRecord.noLeaderChange && record.isr == nil
            && record.leaderRecoveryState == nil
        return unchanged ? nil : record
    }
}
