// Raft room: leading an epoch. The new leader writes a LeaderChange record, tells the voters,
// serves their Fetches, and moves the high watermark to what a majority holds; it resigns when
// it stops hearing from a majority or is asked to shut down.

extension RaftNode {
    mutating func becomeLeader(now: Instant, _ effects: inout RaftEffects) {
        let votes = votesGranted.sorted()
        leaveRole()
        role = .leader
        leaderId = id
        persist(&effects)
        leader.epochStartOffset = log.endOffset
        leader.checkQuorumDeadline = now + config.fetchTimeout * 1.5
        effects.events.append(.elected(epoch: epoch, votes: votes))
        let change = LeaderChangeMessage(
            leaderId: id.rawValue, voters: config.voters.map(\.rawValue), grantingVoters: votes.map(\.rawValue))
        appendAsLeader(.leaderChange(change), now: now, &effects)
        sendBeginQuorumEpoch(now: now, &effects)
    }

    /// Tells voters that this node leads the epoch: all of them at first, then again every
    /// half fetch timeout those that have not fetched lately, so a voter stuck in a higher
    /// epoch answers with it and the quorum moves on (Kafka's begin-quorum-epoch timer).
    private mutating func sendBeginQuorumEpoch(now: Instant, _ effects: inout RaftEffects) {
        let request = BeginQuorumEpochData(leaderId: id, leaderEpoch: epoch)
        for voter in config.voters where voter != id {
            if let last = leader.lastFetch[voter], now < last + config.fetchTimeout { continue }
            effects.messages.append(RaftEnvelope(
                from: id, to: voter, correlationId: newCorrelationId(), message: .beginQuorumEpoch(request)))
        }
        leader.beginQuorumResendAt = config.voters.count > 1 ? now + config.fetchTimeout / 2 : nil
    }

    /// Appends new metadata records as the leader; returns the offsets they got, or nil when
    /// this node is not the leader (the caller answers NOT_CONTROLLER).
    public mutating func propose(_ records: [MetadataRecord], now: Instant) -> (effects: RaftEffects, offsets: Range<Int64>?) {
        var effects = RaftEffects()
        guard role == .leader, !records.isEmpty else { return (effects, nil) }
        let start = log.endOffset
        appendAsLeader(.records(records), now: now, &effects)
        return (effects, start..<log.endOffset)
    }

    private mutating func appendAsLeader(_ content: MetadataBatch.Content, now: Instant, _ effects: inout RaftEffects) {
        let batch = MetadataBatch(baseOffset: log.endOffset, leaderEpoch: epoch, content: content)
        log.append(batch)
        effects.logChanges.append(.append(batch))
        maybeAdvanceHighWatermark(&effects)
        completeParkedFetches(now: now, &effects)  // there is data for them now
    }

    /// A clean shutdown of the leader: hand over to the most up-to-date voters first.
    public mutating func resign(now: Instant) -> RaftEffects {
        var effects = RaftEffects()
        guard role == .leader else { return effects }
        let successors = config.voters.filter { $0 != id }
            .sorted { (leader.endOffsets[$0] ?? 0, $1.rawValue) > (leader.endOffsets[$1] ?? 0, $0.rawValue) }
        let request = EndQuorumEpochData(leaderId: id, leaderEpoch: epoch, preferredSuccessors: successors)
        for voter in successors {
            effects.messages.append(RaftEnvelope(
                from: id, to: voter, correlationId: newCorrelationId(), message: .endQuorumEpoch(request)))
        }
        stepDownToResigned(reason: "shutting down", now: now, &effects)
        return effects
    }

    mutating func stepDownToResigned(reason: String, now: Instant, _ effects: inout RaftEffects) {
        for parked in leader.parked { respondToFetch(parked.from, parked.correlationId, error: .notLeaderOrFollower, now: now, &effects) }
        leaveRole()
        role = .resigned
        leaderId = nil
        votedId = id
        electionDeadline = now + randomElectionTimeout()
        persist(&effects)
        effects.events.append(.resigned(epoch: epoch, reason: reason))
    }

    mutating func leaderTick(now: Instant, _ effects: inout RaftEffects) {
        let due = leader.parked.filter { $0.deadline <= now }
        leader.parked.removeAll { $0.deadline <= now }
        for parked in due { respondToFetch(parked.from, parked.correlationId, request: parked.request, now: now, &effects) }
        if let check = leader.checkQuorumDeadline, now >= check {
            return stepDownToResigned(reason: "no fetch from a majority of voters for \(config.fetchTimeout * 1.5)", now: now, &effects)
        }
        if let resend = leader.beginQuorumResendAt, now >= resend { sendBeginQuorumEpoch(now: now, &effects) }
    }

    /// The high watermark is the largest offset a majority of voters (the leader included)
    /// has; it only moves once this epoch's first record is committed, and never backwards.
    @discardableResult
    mutating func maybeAdvanceHighWatermark(_ effects: inout RaftEffects) -> Bool {
        guard role == .leader else { return false }
        let offsets = config.voters.map { $0 == id ? log.endOffset : (leader.endOffsets[$0] ?? 0) }.sorted(by: >)
        let candidate = offsets[config.majority - 1]
        guard candidate > leader.epochStartOffset, candidate > highWatermark else { return false }
        effects.commit(highWatermark..<candidate)
        highWatermark = candidate
        effects.events.append(.highWatermarkAdvanced(to: candidate))
        return true
    }

    /// Whether every replica heard from within the fetch timeout has fetched past `offset`:
    /// then all live nodes hold those records and learn they are committed in the same answer.
    public func liveReplicasHave(_ offset: Int64, now: Instant) -> Bool {
        guard role == .leader else { return false }
        for (replica, end) in leader.endOffsets where end < offset {
            if let last = leader.lastFetch[replica], now < last + config.fetchTimeout { return false }
        }
        return true
    }

    /// What DescribeQuorum answers; nil when this node is not the leader.
    public func describeQuorum() -> QuorumDescription? {
        guard role == .leader else { return nil }
        func state(_ node: NodeID) -> QuorumReplicaState {
            node == id
                ? QuorumReplicaState(replicaId: id, logEndOffset: log.endOffset, lastFetch: nil, lastCaughtUp: nil)
                : QuorumReplicaState(replicaId: node, logEndOffset: leader.endOffsets[node] ?? -1,
                                     lastFetch: leader.lastFetch[node], lastCaughtUp: leader.lastCaughtUp[node])
        }
        let observers = leader.endOffsets.keys.filter { !config.voters.contains($0) }.sorted()
        return QuorumDescription(
            leaderId: id, leaderEpoch: epoch, highWatermark: highWatermark,
            voters: config.voters.map(state), observers: observers.map(state))
    }
}
