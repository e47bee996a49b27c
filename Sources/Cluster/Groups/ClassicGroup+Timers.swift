// Groups room: a classic group's deadlines (member sessions, MEMBER_ID_REQUIRED joiners, the
// join phase, the sync phase) and what happens when each passes. Timers are values in state;
// the coordinator's tick fires the due ones in deadline order.

extension ClassicGroup {
    /// One kind of deadline; at equal deadlines they fire in this order, then by member id.
    enum DueTimer: Equatable, Comparable {
        case heartbeat(memberId: String)
        case pendingJoin(memberId: String)
        case join
        case sync
    }

    /// The earliest deadline of any timer, for `GroupCoordinator.nextDeadline`.
    public var nextDeadline: Instant? { earliestTimer()?.deadline }

    func earliestTimer() -> (deadline: Instant, timer: DueTimer)? {
        var best: (deadline: Instant, timer: DueTimer)?
        func consider(_ deadline: Instant?, _ timer: DueTimer) {
            guard let deadline else { return }
            if let b = best, (b.deadline, b.timer) <= (deadline, timer) { return }
            best = (deadline, timer)
        }
        for (id, member) in members { consider(member.heartbeatDeadline, .heartbeat(memberId: id)) }
        for (id, deadline) in pendingJoinMembers { consider(deadline, .pendingJoin(memberId: id)) }
        consider(joinTimer?.deadline, .join)
        consider(syncTimer?.deadline, .sync)
        return best
    }

    /// Fires every timer due at `context.now`, earliest first, each as of its own deadline:
    /// what follows from it (a new deadline, a state timestamp) does not depend on how late
    /// the host ticked, as if every timer had fired on time.
    mutating func fireDueTimers(_ context: GroupContext, _ effects: inout GroupEffects) {
        // Each firing clears its timer or moves it later; only the initial delay can re-arm at
        // `now` (a zero delay), and only once. The bound turns a logic error into a crash
        // naming it instead of a hang.
        let bound = 4 * (members.count + pendingJoinMembers.count) + 16
        for _ in 0..<bound {
            guard let (deadline, timer) = earliestTimer(), deadline <= context.now else { return }
            fire(timer, context.at(deadline), &effects)
        }
        preconditionFailure("group \(groupId): timers still due after \(bound) firings")
    }

    mutating func fire(_ timer: DueTimer, _ context: GroupContext, _ effects: inout GroupEffects) {
        switch timer {
        case .heartbeat(let memberId):
            expireHeartbeat(memberId, context, &effects)
        case .pendingJoin(let memberId):
            pendingJoinMembers[memberId] = nil
            effects.events.append(
                .memberRemoved(
                    groupId: groupId, memberId: memberId,
                    reason: "did not rejoin after MEMBER_ID_REQUIRED"))
            if state == .preparingRebalance && hasAllMembersJoined {
                completeJoin(context, &effects)
            }
        case .join:
            guard let joinTimer else { return }
            self.joinTimer = nil
            switch joinTimer.kind {
            case .initialDelay(let delayMs, let remainingMs):
                tryCompleteInitialRebalanceElseSchedule(
                    delayMs: delayMs, remainingMs: remainingMs, context, &effects)
            case .rebalance:
                completeJoin(context, &effects)
            }
        case .sync:
            guard let syncTimer else { return }
            self.syncTimer = nil
            expirePendingSync(generationId: syncTimer.generationId, context, &effects)
        }
    }

    /// A member's session ran out: it is removed unless it is waiting in a rebalance (which
    /// counts as a heartbeat). Mirrors `expireClassicGroupMemberHeartbeat`.
    mutating func expireHeartbeat(
        _ memberId: String, _ context: GroupContext, _ effects: inout GroupEffects
    ) {
        guard let member = members[memberId] else { return }
        members[memberId]?.heartbeatDeadline = nil
        guard state != .dead, !member.hasSatisfiedHeartbeat else { return }
        removeMemberAndUpdateGroup(memberId, reason: "session timeout expired", context, &effects)
    }

    /// Removes a member that failed (session expiry) and moves the group on: a rebalance from
    /// Stable or CompletingRebalance, or the end of a join phase that only waited for it.
    mutating func removeMemberAndUpdateGroup(
        _ memberId: String, reason: String, _ context: GroupContext, _ effects: inout GroupEffects
    ) {
        remove(memberId, reason: reason, joinError: .unknownMemberId, &effects)
        switch state {
        case .stable, .completingRebalance:
            maybePrepareRebalanceOrCompleteJoin(
                reason: "removing member \(memberId): \(reason)", context, &effects)
        case .preparingRebalance:
            if hasAllMembersJoined { completeJoin(context, &effects) }
        case .empty, .dead:
            break
        }
    }

    /// The sync phase timed out: members that never sent SyncGroup are removed and the group
    /// rebalances. Mirrors `expirePendingSync`.
    mutating func expirePendingSync(
        generationId expected: Int32, _ context: GroupContext, _ effects: inout GroupEffects
    ) {
        guard expected == generationId else { return }
        guard state == .completingRebalance || state == .stable, !pendingSyncMembers.isEmpty else {
            return
        }
        for id in pendingSyncMembers.sorted() {
            remove(
                id, reason: "did not send SyncGroup before the rebalance timeout",
                joinError: .unknownMemberId, &effects)
        }
        prepareRebalance(reason: "members did not sync", context, &effects)
    }
}
