// Groups room: the rebalance cycle of a classic group: prepare (members rejoin), complete the
// join phase (new generation, answers to every parked JoinGroup), and propagate the leader's
// assignment (answers to every parked SyncGroup). Mirrors GroupMetadataManager's classic parts.

import NIOCore

extension ClassicGroup {
    /// Starts a rebalance if the state allows, else tries to end the current join phase.
    mutating func maybePrepareRebalanceOrCompleteJoin(
        reason: String, _ context: GroupContext, _ effects: inout GroupEffects
    ) {
        if canRebalance {
            prepareRebalance(reason: reason, context, &effects)
        } else {
            maybeCompleteJoinPhase(context, &effects)
        }
    }

    /// Moves to PreparingRebalance: waiting SyncGroups are told REBALANCE_IN_PROGRESS, and the
    /// join phase gets a deadline (the initial delay for an empty group, else the rebalance
    /// timeout, unless every member has already rejoined).
    mutating func prepareRebalance(
        reason: String, _ context: GroupContext, _ effects: inout GroupEffects
    ) {
        if state == .completingRebalance {
            resetAndPropagateAssignment(error: .rebalanceInProgress, context, &effects)
        }
        pendingSyncMembers.removeAll()
        syncTimer = nil
        let isInitialRebalance = state == .empty
        if isInitialRebalance {
            let delayMs = context.config.initialRebalanceDelay.milliseconds
            let remainingMs = max(Int64(rebalanceTimeoutMs) - delayMs, 0)
            joinTimer = JoinTimer(
                deadline: context.after(.milliseconds(delayMs)),
                kind: .initialDelay(delayMs: delayMs, remainingMs: remainingMs))
        }
        transition(to: .preparingRebalance, context, &effects)
        if !isInitialRebalance { maybeCompleteJoinElseSchedule(context, &effects) }
    }

    /// Ends the join phase early once everyone has rejoined, except during an initial
    /// rebalance, which always waits out its delay so more members can arrive.
    mutating func maybeCompleteJoinPhase(_ context: GroupContext, _ effects: inout GroupEffects) {
        guard state == .preparingRebalance, previousState != .empty, hasAllMembersJoined else {
            return
        }
        completeJoin(context, &effects)
    }

    mutating func maybeCompleteJoinElseSchedule(
        _ context: GroupContext, _ effects: inout GroupEffects
    ) {
        if hasAllMembersJoined {
            completeJoin(context, &effects)
        } else {
            joinTimer = JoinTimer(
                deadline: context.after(milliseconds: rebalanceTimeoutMs), kind: .rebalance)
        }
    }

    /// The initial delay fired: wait another delay if a member arrived meanwhile and time is
    /// left, else end the join phase. Mirrors `tryCompleteInitialRebalanceElseSchedule`.
    mutating func tryCompleteInitialRebalanceElseSchedule(
        delayMs: Int64, remainingMs: Int64, _ context: GroupContext, _ effects: inout GroupEffects
    ) {
        if newMemberAdded && remainingMs != 0 {
            newMemberAdded = false
            let newDelayMs = min(context.config.initialRebalanceDelay.milliseconds, remainingMs)
            let newRemainingMs = max(remainingMs - delayMs, 0)
            joinTimer = JoinTimer(
                deadline: context.after(.milliseconds(newDelayMs)),
                kind: .initialDelay(delayMs: newDelayMs, remainingMs: newRemainingMs))
        } else {
            completeJoin(context, &effects)
        }
    }

    /// Ends the join phase: dynamic members that did not rejoin are dropped, a leader that did
    /// not rejoin is replaced, and the next generation starts. Every parked JoinGroup is
    /// answered (the leader's with all members' metadata); an emptied group stores its
    /// snapshot. Mirrors `completeClassicGroupJoin`.
    mutating func completeJoin(_ context: GroupContext, _ effects: inout GroupEffects) {
        joinTimer = nil
        for id in sortedMemberIds {
            guard let member = members[id], !member.isAwaitingJoin, !member.isStaticMember else {
                continue
            }
            remove(
                id, reason: "did not rejoin before the rebalance timeout",
                joinError: .unknownMemberId, &effects)
        }
        guard state != .dead else { return }
        if !maybeElectNewJoinedLeader() && !members.isEmpty {
            // Only static members that did not rejoin are left: wait for them (or for their
            // sessions to expire) one more rebalance timeout.
            joinTimer = JoinTimer(
                deadline: context.after(milliseconds: rebalanceTimeoutMs), kind: .rebalance)
            return
        }
        initNextGeneration(context, &effects)
        if state == .empty {
            effects.records.append(metadataRecord())
            return
        }
        for id in sortedMemberIds {
            if let parked = members[id]?.awaitingJoin {
                members[id]?.awaitingJoin = nil
                effects.respond(parked.id, .joinGroup(joinResponse(for: id)))
            }
            rescheduleHeartbeat(id, context)
            members[id]?.isNew = false
            pendingSyncMembers.insert(id)
        }
        syncTimer = SyncTimer(
            deadline: context.after(milliseconds: rebalanceTimeoutMs), generationId: generationId)
    }

    /// Keeps the leader if it rejoined, else picks the first member (by id) that did.
    /// Returns false when no member has rejoined.
    mutating func maybeElectNewJoinedLeader() -> Bool {
        guard let leader = leaderId, let current = members[leader] else { return false }
        if current.isAwaitingJoin { return true }
        guard let successor = sortedMemberIds.first(where: { members[$0]?.isAwaitingJoin == true })
        else {
            return false
        }
        leaderId = successor
        return true
    }

    mutating func initNextGeneration(_ context: GroupContext, _ effects: inout GroupEffects) {
        generationId = generationId == .max ? .max : generationId + 1
        if !members.isEmpty {
            protocolName = selectProtocol()
            subscribedTopics = computeSubscribedTopics()
            transition(to: .completingRebalance, context, &effects)
        } else {
            protocolName = nil
            subscribedTopics = computeSubscribedTopics()
            transition(to: .empty, context, &effects)
        }
        pendingSyncMembers.removeAll()
    }

    /// The JoinGroup answer for `memberId` in the current generation.
    func joinResponse(
        for memberId: String, skipAssignment: Bool = false, leader: String? = nil
    ) -> JoinGroupResponse {
        let memberList: [JoinGroupResponse.Member] =
            isLeader(memberId)
            ? sortedMemberIds.compactMap { id in
                members[id].map {
                    JoinGroupResponse.Member(
                        memberId: id, groupInstanceId: $0.groupInstanceId,
                        metadata: $0.metadata(protocolName))
                }
            } : []
        return JoinGroupResponse(
            generationId: generationId, protocolType: protocolType, protocolName: protocolName,
            leader: leader ?? leaderId ?? "", skipAssignment: skipAssignment, memberId: memberId,
            members: memberList)
    }

    // MARK: - Sync phase

    mutating func removePendingSyncMember(_ memberId: String) {
        pendingSyncMembers.remove(memberId)
        switch state {
        case .dead, .empty, .preparingRebalance:
            syncTimer = nil
        case .completingRebalance, .stable:
            if pendingSyncMembers.isEmpty { syncTimer = nil }
        }
    }

    /// Gives every member its part of the leader's assignment (empty bytes if none) and
    /// answers their parked SyncGroups.
    mutating func setAndPropagateAssignment(
        _ assignment: [String: ByteBuffer], _ context: GroupContext, _ effects: inout GroupEffects
    ) {
        for id in sortedMemberIds { members[id]?.assignment = assignment[id] ?? ByteBuffer() }
        propagateAssignment(error: .none, context, &effects)
    }

    mutating func resetAndPropagateAssignment(
        error: ErrorCode, _ context: GroupContext, _ effects: inout GroupEffects
    ) {
        for id in sortedMemberIds { members[id]?.assignment = ByteBuffer() }
        propagateAssignment(error: error, context, &effects)
    }

    /// Answers every parked SyncGroup and restarts those members' sessions.
    mutating func propagateAssignment(
        error: ErrorCode, _ context: GroupContext, _ effects: inout GroupEffects
    ) {
        for id in sortedMemberIds {
            guard let member = members[id], let parked = member.awaitingSync else { continue }
            let ok = error == .none
            effects.respond(
                parked.id,
                .syncGroup(
                    SyncGroupResponse(
                        errorCode: error, protocolType: ok ? protocolType : nil,
                        protocolName: ok ? protocolName : nil, assignment: member.assignment)))
            members[id]?.awaitingSync = nil
            rescheduleHeartbeat(id, context)
        }
    }
}
