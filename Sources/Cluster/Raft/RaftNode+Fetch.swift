// Raft room: pull replication of __cluster_metadata-0. Followers and observers fetch from the
// leader with their log end and last epoch; the leader answers with records, its high
// watermark, or the point where their logs diverge, and parks fetches that find nothing new.

extension RaftNode {
    // MARK: - Follower and observer side

    mutating func maybeSendFetch(now: Instant, _ effects: inout RaftEffects) {
        if let inflight = inflightFetch {
            guard now >= inflight.sentAt + config.requestTimeout else { return }
            inflightFetch = nil  // lost or too slow: ask again
        }
        guard let next = nextFetchAt, now >= next else { return }
        let target: NodeID
        if role == .follower, let l = leaderId {
            target = l
        } else if !isVoter, !config.voters.isEmpty {
            // An observer that knows no leader asks the voters in turn; any of them can say who leads.
            target = config.voters[observerTarget % config.voters.count]
        } else {
            return
        }
        let request = RaftFetchData(
            replicaId: id, currentLeaderEpoch: epoch, fetchOffset: log.endOffset, lastFetchedEpoch: log.lastEpoch,
            maxWaitMs: Int32(clamping: config.fetchMaxWait.milliseconds))
        let correlation = newCorrelationId()
        inflightFetch = (correlation, now)
        nextFetchAt = nil
        effects.messages.append(RaftEnvelope(from: id, to: target, correlationId: correlation, message: .fetch(request)))
    }

    mutating func observerTick(now: Instant, _ effects: inout RaftEffects) {
        if let deadline = fetchDeadline, now >= deadline {
            observerTarget += 1
            fetchDeadline = now + config.fetchTimeout
            inflightFetch = nil
            nextFetchAt = now
        }
        maybeSendFetch(now: now, &effects)
    }

    mutating func handleFetchResponse(_ response: RaftFetchResponseData, from envelope: RaftEnvelope, now: Instant, _ effects: inout RaftEffects) {
        guard let inflight = inflightFetch, inflight.correlationId == envelope.correlationId else {
            maybeTransition(toEpoch: response.leaderEpoch, leader: response.leaderId, now: now, &effects)
            return
        }
        inflightFetch = nil
        if maybeTransition(toEpoch: response.leaderEpoch, leader: response.leaderId, now: now, &effects) || role != .follower
            || leaderId != envelope.from || response.leaderEpoch != epoch || response.errorCode != .none
        {
            // Not an answer from this epoch's leader: ask again shortly (a new leader, if one was
            // named, has already been adopted above).
            if role == .follower || !isVoter { nextFetchAt = min(nextFetchAt ?? .init(nanoseconds: .max), now + config.fetchMaxWait / 5) }
            return
        }
        fetchDeadline = now + config.fetchTimeout
        lastLeaderContact = now
        if let diverging = response.divergingEpoch {
            // Kafka's `truncateToEndOffset`: keep only what both logs can agree on, i.e. no more
            // than the leader's end of that epoch and no more than our own end of it.
            let target = min(diverging.offset, log.endOffsetForEpoch(diverging.epoch).offset)
            precondition(target >= highWatermark, "truncating committed records: to \(target), high watermark \(highWatermark)")
            let from = log.endOffset
            log.truncate(to: target)
            effects.logChanges.append(.truncate(to: log.endOffset))
            effects.events.append(.truncated(from: from, to: log.endOffset))
            nextFetchAt = now
            maybeSendFetch(now: now, &effects)
            return
        }
        for batch in response.batches where batch.baseOffset == log.endOffset {
            guard batch.leaderEpoch >= log.lastEpoch, batch.leaderEpoch <= epoch else { break }
            log.append(batch)
            effects.logChanges.append(.append(batch))
        }
        let newHighWatermark = min(response.highWatermark, log.endOffset)
        if newHighWatermark > highWatermark {
            effects.commit(highWatermark..<newHighWatermark)
            highWatermark = newHighWatermark
        }
        nextFetchAt = now
        maybeSendFetch(now: now, &effects)
    }

    // MARK: - Leader side

    mutating func handleFetch(_ request: RaftFetchData, from envelope: RaftEnvelope, now: Instant, _ effects: inout RaftEffects) {
        let peer = envelope.from
        guard role == .leader else {
            return respondToFetch(peer, envelope.correlationId, error: .notLeaderOrFollower, now: now, &effects)
        }
        if request.currentLeaderEpoch < epoch {
            return respondToFetch(peer, envelope.correlationId, error: .fencedLeaderEpoch, now: now, &effects)
        }
        if request.currentLeaderEpoch > epoch {
            return respondToFetch(peer, envelope.correlationId, error: .unknownLeaderEpoch, now: now, &effects)
        }
        if let diverging = divergence(request) {
            return sendFetchResponse(peer, envelope.correlationId, batches: [], diverging: diverging, &effects)
        }
        leader.endOffsets[peer] = request.fetchOffset
        leader.lastFetch[peer] = now
        if request.fetchOffset >= log.endOffset { leader.lastCaughtUp[peer] = now }
        if config.voters.contains(peer) {
            leader.heardFrom.insert(peer)
            if leader.heardFrom.count + 1 >= config.majority {
                leader.heardFrom = []
                leader.checkQuorumDeadline = now + config.fetchTimeout * 1.5
            }
        }
        // Only one fetch per replica waits: a newer one replaces it.
        leader.parked.removeAll { $0.from == peer }
        // A new high watermark is news for every parked follower; otherwise they keep waiting.
        let advanced = maybeAdvanceHighWatermark(&effects)
        if advanced { completeParkedFetches(now: now, &effects) }
        // The fetch that moved the high watermark is answered at once too: its sender is the
        // last to learn of the commit otherwise, a whole max wait later.
        let knowsHighWatermark = (leader.toldHighWatermark[peer] ?? -1) >= highWatermark
        if request.fetchOffset >= log.endOffset, request.maxWaitMs > 0, !advanced, knowsHighWatermark {
            leader.parked.append(ParkedRaftFetch(
                from: peer, correlationId: envelope.correlationId, request: request,
                deadline: now + .milliseconds(Int64(request.maxWaitMs))))
            return
        }
        respondToFetch(peer, envelope.correlationId, request: request, now: now, &effects)
    }

    /// Where a follower's log leaves the leader's, if it does (Kafka's `validateOffsetAndEpoch`).
    private func divergence(_ request: RaftFetchData) -> OffsetAndEpoch? {
        if request.fetchOffset == 0 && request.lastFetchedEpoch <= 0 { return nil }
        let end = log.endOffsetForEpoch(request.lastFetchedEpoch)
        if end.epoch != request.lastFetchedEpoch || end.offset < request.fetchOffset || !log.isBatchBound(request.fetchOffset) {
            return end
        }
        return nil
    }

    /// Answers every parked fetch: called when the log grows or the high watermark moves, so
    /// followers learn of both without waiting out their max wait.
    mutating func completeParkedFetches(now: Instant, _ effects: inout RaftEffects) {
        let parked = leader.parked
        leader.parked = []
        for p in parked { respondToFetch(p.from, p.correlationId, request: p.request, now: now, &effects) }
    }

    mutating func respondToFetch(_ peer: NodeID, _ correlationId: Int32, request: RaftFetchData, now: Instant, _ effects: inout RaftEffects) {
        sendFetchResponse(peer, correlationId, batches: log.read(from: request.fetchOffset), diverging: nil, &effects)
    }

    mutating func respondToFetch(_ peer: NodeID, _ correlationId: Int32, error: ErrorCode, now: Instant, _ effects: inout RaftEffects) {
        effects.messages.append(RaftEnvelope(
            from: id, to: peer, correlationId: correlationId,
            message: .fetchResponse(RaftFetchResponseData(
                errorCode: error, highWatermark: -1, batches: [], divergingEpoch: nil,
                leaderId: role == .leader ? id : leaderId, leaderEpoch: epoch))))
    }

    private mutating func sendFetchResponse(
        _ peer: NodeID, _ correlationId: Int32, batches: [MetadataBatch], diverging: OffsetAndEpoch?, _ effects: inout RaftEffects
    ) {
        leader.toldHighWatermark[peer] = highWatermark
        effects.messages.append(RaftEnvelope(
            from: id, to: peer, correlationId: correlationId,
            message: .fetchResponse(RaftFetchResponseData(
                errorCode: .none, highWatermark: highWatermark, batches: batches, divergingEpoch: diverging,
                leaderId: id, leaderEpoch: epoch))))
    }
}
