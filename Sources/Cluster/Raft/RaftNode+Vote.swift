// Raft room: elections. A voter without a leader stands after a random timeout, asks the other
// voters for their vote, and leads once a majority grants it; a vote goes only to a candidate
// whose log is at least as up to date, and at most once per epoch.

extension RaftNode {
    /// Asks the other voters whether they would vote, without changing the epoch, so that a
    /// node with a stale log or a broken link cannot disturb a working quorum by standing.
    mutating func becomeProspective(now: Instant, _ effects: inout RaftEffects) {
        precondition(isVoter, "an observer cannot stand for election")
        // The leader this node lost contact with stays remembered for the epoch, so that a
        // peer still naming it cannot talk this node back into following a silent leader.
        let keepLeader = role == .follower || role == .prospective ? leaderId : nil
        leaveRole()
        role = .prospective
        leaderId = keepLeader
        votesGranted = [id]
        electionDeadline = now + randomElectionTimeout()
        if votesGranted.count >= config.majority { return becomeCandidate(now: now, &effects) }
        let request = VoteData(
            candidateEpoch: epoch + 1, candidateId: id, lastOffsetEpoch: log.lastEpoch, lastOffset: log.endOffset, preVote: true)
        for voter in config.voters where voter != id {
            effects.messages.append(RaftEnvelope(from: id, to: voter, correlationId: newCorrelationId(), message: .vote(request)))
        }
    }

    mutating func becomeCandidate(now: Instant, _ effects: inout RaftEffects) {
        precondition(isVoter, "an observer cannot stand for election")
        leaveRole()
        epoch += 1
        role = .candidate
        leaderId = nil
        votedId = id
        votesGranted = [id]
        electionDeadline = now + randomElectionTimeout()
        effects.events.append(.electionStarted(epoch: epoch))
        persist(&effects)
        if votesGranted.count >= config.majority {
            becomeLeader(now: now, &effects)
            return
        }
        let request = VoteData(candidateEpoch: epoch, candidateId: id, lastOffsetEpoch: log.lastEpoch, lastOffset: log.endOffset)
        for voter in config.voters where voter != id {
            effects.messages.append(RaftEnvelope(from: id, to: voter, correlationId: newCorrelationId(), message: .vote(request)))
        }
    }

    mutating func handleVote(_ request: VoteData, from envelope: RaftEnvelope, now: Instant, _ effects: inout RaftEffects) {
        func answer(_ granted: Bool, _ code: ErrorCode = .none) {
            effects.messages.append(RaftEnvelope(
                from: id, to: envelope.from, correlationId: envelope.correlationId,
                message: .voteResponse(VoteResponseData(errorCode: code, leaderId: leaderId, leaderEpoch: epoch, voteGranted: granted))))
        }
        guard isVoter, config.voters.contains(request.candidateId) else { return answer(false, .inconsistentVoterSet) }
        if request.preVote {
            // A pre-vote changes nothing here. It is refused while this node still hears from
            // a leader, or when the asker's log is behind.
            let candidateLog = OffsetAndEpoch(offset: request.lastOffset, epoch: request.lastOffsetEpoch)
            let hearsLeader = role == .leader
                || (role == .follower && (lastLeaderContact.map { now < $0 + config.fetchTimeout } ?? false))
            return answer(request.candidateEpoch > epoch && !hearsLeader && candidateLog >= log.endOffsetAndEpoch)
        }
        if request.candidateEpoch < epoch { return answer(false) }
        if request.candidateEpoch > epoch { becomeUnattached(epoch: request.candidateEpoch, now: now, &effects) }
        let candidateLog = OffsetAndEpoch(offset: request.lastOffset, epoch: request.lastOffsetEpoch)
        let mayVote = (role == .unattached || role == .resigned || role == .prospective) && leaderId == nil
            && (votedId == nil || votedId == request.candidateId)
        let granted = mayVote && candidateLog >= log.endOffsetAndEpoch
        if granted && votedId == nil {
            votedId = request.candidateId
            // Granting resets the wait, so this voter gives the candidate time to win.
            electionDeadline = now + randomElectionTimeout()
            persist(&effects)
        }
        answer(granted)
    }

    mutating func handleVoteResponse(_ response: VoteResponseData, from peer: NodeID, now: Instant, _ effects: inout RaftEffects) {
        if role == .prospective {
            // A newer epoch, or a leader of this one that we did not know (a voter that still
            // names this node as its old leader is not news), ends the pre-vote.
            let namesOtherLeader = response.leaderId.map { $0 != id && leaderId == nil } ?? false
            if response.leaderEpoch > epoch || (response.leaderEpoch == epoch && namesOtherLeader) {
                maybeTransition(toEpoch: response.leaderEpoch, leader: response.leaderId, now: now, &effects)
                return
            }
            guard response.voteGranted, config.voters.contains(peer) else { return }
            votesGranted.insert(peer)
            if votesGranted.count >= config.majority { becomeCandidate(now: now, &effects) }
            return
        }
        if maybeTransition(toEpoch: response.leaderEpoch, leader: response.leaderId, now: now, &effects) { return }
        guard role == .candidate, response.leaderEpoch == epoch, config.voters.contains(peer) else { return }
        if response.voteGranted {
            votesGranted.insert(peer)
            if votesGranted.count >= config.majority { becomeLeader(now: now, &effects) }
        } else {
            votesRejected.insert(peer)
            // Once a majority has said no this epoch cannot be won: back off, then try again.
            if votesRejected.count >= config.majority || config.voters.count - votesRejected.count < config.majority {
                let retry = now + randomBackoff()
                electionDeadline = min(electionDeadline ?? retry, retry)
            }
        }
    }

    mutating func handleBeginQuorumEpoch(_ request: BeginQuorumEpochData, from envelope: RaftEnvelope, now: Instant, _ effects: inout RaftEffects) {
        var code = ErrorCode.none
        if request.leaderEpoch < epoch {
            code = .fencedLeaderEpoch
        } else if request.leaderId == id {
            code = .invalidRequest
        } else if request.leaderEpoch > epoch || leaderId != request.leaderId || role != .follower {
            if request.leaderEpoch == epoch && role == .leader {
                code = .invalidRequest
            } else {
                becomeFollower(of: request.leaderId, epoch: request.leaderEpoch, now: now, &effects)
            }
        }
        if code == .none, role == .follower, leaderId == request.leaderId { lastLeaderContact = now }
        effects.messages.append(RaftEnvelope(
            from: id, to: envelope.from, correlationId: envelope.correlationId,
            message: .beginQuorumEpochResponse(QuorumResponseData(errorCode: code, leaderId: leaderId, leaderEpoch: epoch))))
    }

    mutating func handleEndQuorumEpoch(_ request: EndQuorumEpochData, from envelope: RaftEnvelope, now: Instant, _ effects: inout RaftEffects) {
        if request.leaderEpoch > epoch {
            becomeUnattached(epoch: request.leaderEpoch, now: now, &effects)
        }
        if request.leaderEpoch == epoch, leaderId == request.leaderId, role == .follower {
            // The leader is leaving: stop fetching from it. The vote of this epoch stays, so
            // nobody can be elected twice in it; the next epoch starts soon, preferred
            // successors first (Kafka's position-based election backoff).
            leaveRole()
            role = .unattached
            leaderId = nil
            persist(&effects)
            effects.events.append(.leaderUnknown(epoch: epoch))
            if isVoter {
                let position = request.preferredSuccessors.firstIndex(of: id) ?? request.preferredSuccessors.count
                let step = config.electionBackoffMax / max(1, config.voters.count)
                electionDeadline = now + step * position + randomBackoff() / 4
            } else {
                nextFetchAt = now
                fetchDeadline = now + config.fetchTimeout
            }
        }
        effects.messages.append(RaftEnvelope(
            from: id, to: envelope.from, correlationId: envelope.correlationId,
            message: .endQuorumEpochResponse(QuorumResponseData(errorCode: .none, leaderId: leaderId, leaderEpoch: epoch))))
    }
}
