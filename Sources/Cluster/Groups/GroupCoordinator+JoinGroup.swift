// Groups room: JoinGroup. Validates the request, hands out member ids (MEMBER_ID_REQUIRED from
// v4), adds or updates members, replaces static members, and starts or joins a rebalance; the
// answer is usually parked until the join phase ends. Mirrors `classicGroupJoin`.

extension GroupCoordinator {
    mutating func handleJoinGroup(
        _ request: JoinGroupRequest, _ caller: RequestContext, _ context: GroupContext,
        _ effects: inout GroupEffects
    ) {
        func fail(_ error: ErrorCode, memberId: String = request.memberId) {
            effects.respond(
                caller.id, .joinGroup(JoinGroupResponse(errorCode: error, memberId: memberId)))
        }
        guard !request.groupId.isEmpty else { return fail(.invalidGroupId) }
        if let error = coordinatorError(for: request.groupId) { return fail(error) }
        let session = Int64(request.sessionTimeoutMs)
        guard session >= context.config.minSessionTimeout.milliseconds,
            session <= context.config.maxSessionTimeout.milliseconds
        else { return fail(.invalidSessionTimeout) }
        var join = request
        // v0 has no rebalance timeout: Kafka uses the session timeout.
        if caller.apiVersion == 0 || join.rebalanceTimeoutMs <= 0 {
            join.rebalanceTimeoutMs = join.sessionTimeoutMs
        }

        let isUnknownMember = join.memberId.isEmpty
        let isNewGroup = groups[join.groupId] == nil
        if isNewGroup {
            guard isUnknownMember else { return fail(.unknownMemberId) }
            groups[join.groupId] = ClassicGroup(groupId: join.groupId)
        }
        let recordsBefore = effects.records.count
        guard var group = groups.removeValue(forKey: join.groupId) else {
            return fail(.unknownMemberId)
        }
        if !acceptJoiningMember(group, join.memberId) {
            group.remove(
                join.memberId, reason: "group is full", joinError: .groupMaxSizeReached, &effects)
            fail(.groupMaxSizeReached, memberId: "")
        } else if isUnknownMember {
            joinNewMember(join, caller, &group, context, &effects)
        } else {
            joinExistingMember(join, caller, &group, context, &effects)
        }
        groups[join.groupId] = group
        // A group that exists only in memory would vanish on restart: store its first snapshot.
        if isNewGroup && effects.records.count == recordsBefore, let group = groups[join.groupId] {
            effects.records.append(group.emptyMetadataRecord())
        }
    }

    /// `group.max.size`: a member already known is always let back in; new ones only while
    /// the group (counting MEMBER_ID_REQUIRED joiners) has room. Kafka lets anyone into an
    /// empty group; we count its joiners too, so repeated JoinGroups cannot grow it unbounded.
    func acceptJoiningMember(_ group: ClassicGroup, _ memberId: String) -> Bool {
        let max = config.groupMaxSize
        switch group.state {
        case .empty, .dead:
            return group.pendingJoinMembers[memberId] != nil
                || group.members.count + group.pendingJoinMembers.count < max
        case .preparingRebalance:
            return group.members[memberId]?.isAwaitingJoin == true
                || group.numAwaitingJoinResponse < max
        case .completingRebalance, .stable:
            return group.members[memberId] != nil || group.pendingJoinMembers[memberId] != nil
                || group.members.count + group.pendingJoinMembers.count < max
        }
    }

    private mutating func joinNewMember(
        _ request: JoinGroupRequest, _ caller: RequestContext, _ group: inout ClassicGroup,
        _ context: GroupContext, _ effects: inout GroupEffects
    ) {
        func fail(_ error: ErrorCode) {
            effects.respond(
                caller.id, .joinGroup(JoinGroupResponse(errorCode: error, memberId: "")))
        }
        guard group.state != .dead else { return fail(.coordinatorNotAvailable) }
        guard group.supportsProtocols(request.protocolType, request.protocols) else {
            return fail(.inconsistentGroupProtocol)
        }
        let newMemberId = generateMemberId(
            clientId: caller.clientId, instanceId: request.groupInstanceId)
        if let instanceId = request.groupInstanceId {
            if let existing = group.staticMembers[instanceId] {
                updateStaticMember(
                    request, caller, &group, oldMemberId: existing, newMemberId: newMemberId,
                    context, &effects)
            } else {
                addMember(request, caller, memberId: newMemberId, &group, context, &effects)
            }
        } else if caller.apiVersion >= 4 {
            // KIP-394: the member must come back with this id, so that a client that times out
            // and retries does not leave a ghost member behind.
            group.pendingJoinMembers[newMemberId] = context.after(
                milliseconds: request.sessionTimeoutMs)
            effects.respond(
                caller.id,
                .joinGroup(JoinGroupResponse(errorCode: .memberIdRequired, memberId: newMemberId)))
        } else {
            addMember(request, caller, memberId: newMemberId, &group, context, &effects)
        }
    }

    private mutating func joinExistingMember(
        _ request: JoinGroupRequest, _ caller: RequestContext, _ group: inout ClassicGroup,
        _ context: GroupContext, _ effects: inout GroupEffects
    ) {
        let memberId = request.memberId
        func fail(_ error: ErrorCode) {
            effects.respond(
                caller.id, .joinGroup(JoinGroupResponse(errorCode: error, memberId: memberId)))
        }
        guard group.state != .dead else { return fail(.coordinatorNotAvailable) }
        guard group.supportsProtocols(request.protocolType, request.protocols) else {
            return fail(.inconsistentGroupProtocol)
        }
        if group.pendingJoinMembers[memberId] != nil {
            // A pending member got its id from MEMBER_ID_REQUIRED, which static members never do.
            guard request.groupInstanceId == nil else { return fail(.invalidRequest) }
            return addMember(request, caller, memberId: memberId, &group, context, &effects)
        }
        if let error = group.validateMember(memberId, instanceId: request.groupInstanceId) {
            return fail(error)
        }
        guard let member = group.members[memberId] else { return fail(.unknownMemberId) }
        switch group.state {
        case .preparingRebalance:
            updateMemberThenRebalance(
                request, caller, &group, reason: "member \(memberId) rejoined", context, &effects)
        case .completingRebalance:
            if member.matches(request.protocols) {
                // Same metadata: the member probably missed its JoinGroup answer; repeat it.
                effects.respond(caller.id, .joinGroup(group.joinResponse(for: memberId)))
            } else {
                updateMemberThenRebalance(
                    request, caller, &group, reason: "member \(memberId) changed its metadata",
                    context, &effects)
            }
        case .stable:
            if group.isLeader(memberId) || !member.matches(request.protocols) {
                // The leader rejoining forces a rebalance: it is how a consumer reacts to
                // metadata changes (new partitions) that do not change its subscription.
                updateMemberThenRebalance(
                    request, caller, &group, reason: "member \(memberId) rejoined while stable",
                    context, &effects)
            } else {
                var response = group.joinResponse(for: memberId)
                response.members = []
                effects.respond(caller.id, .joinGroup(response))
            }
        case .empty, .dead:
            fail(.unknownMemberId)
        }
    }

    private func updateMemberThenRebalance(
        _ request: JoinGroupRequest, _ caller: RequestContext, _ group: inout ClassicGroup,
        reason: String,
        _ context: GroupContext, _ effects: inout GroupEffects
    ) {
        group.updateMember(
            request.memberId, protocols: request.protocols,
            rebalanceTimeoutMs: request.rebalanceTimeoutMs,
            sessionTimeoutMs: request.sessionTimeoutMs, parked: caller.parked)
        group.maybePrepareRebalanceOrCompleteJoin(reason: reason, context, &effects)
    }

    private func addMember(
        _ request: JoinGroupRequest, _ caller: RequestContext, memberId: String,
        _ group: inout ClassicGroup,
        _ context: GroupContext, _ effects: inout GroupEffects
    ) {
        var member = ClassicGroupMember(
            memberId: memberId, groupInstanceId: request.groupInstanceId, clientId: caller.clientId,
            clientHost: caller.clientHost, rebalanceTimeoutMs: request.rebalanceTimeoutMs,
            sessionTimeoutMs: request.sessionTimeoutMs, protocolType: request.protocolType,
            supportedProtocols: request.protocols)
        member.isNew = true
        member.awaitingJoin = caller.parked
        if group.state == .preparingRebalance && group.previousState == .empty {
            group.newMemberAdded = true
        }
        group.add(member, &effects)
        // A new member cannot heartbeat until it has an answer, so its session does not apply;
        // instead its parked JoinGroup may wait at most this long.
        let timeout = Int32(clamping: context.config.newMemberJoinTimeout.milliseconds)
        group.rescheduleHeartbeat(memberId, after: timeout, context)
        group.maybePrepareRebalanceOrCompleteJoin(
            reason: "adding member \(memberId)", context, &effects)
    }

    /// A static member rejoined without its member id (a restarted process): it takes over its
    /// old place under a new id. In a Stable group whose protocol would not change, no
    /// rebalance happens: the snapshot is stored and the member answered at once.
    private func updateStaticMember(
        _ request: JoinGroupRequest, _ caller: RequestContext, _ group: inout ClassicGroup,
        oldMemberId: String,
        newMemberId: String, _ context: GroupContext, _ effects: inout GroupEffects
    ) {
        guard let instanceId = request.groupInstanceId else { return }
        let currentLeader = group.leaderId
        guard
            group.replaceStaticMember(
                instanceId: instanceId, oldMemberId: oldMemberId, newMemberId: newMemberId, &effects
            ) != nil
        else { return }
        group.rescheduleHeartbeat(newMemberId, context)
        group.updateMember(
            newMemberId, protocols: request.protocols,
            rebalanceTimeoutMs: request.rebalanceTimeoutMs,
            sessionTimeoutMs: request.sessionTimeoutMs, parked: caller.parked)
        switch group.state {
        case .stable:
            guard (group.protocolName ?? "") == group.selectProtocol() else {
                return group.maybePrepareRebalanceOrCompleteJoin(
                    reason: "static member \(newMemberId) changed the group's protocol", context,
                    &effects)
            }
            effects.records.append(group.metadataRecord())
            group.members[newMemberId]?.awaitingJoin = nil
            let response: JoinGroupResponse
            if caller.apiVersion >= 9 {
                // The leader gets everyone's metadata but need not run the assignor again.
                response = group.joinResponse(
                    for: newMemberId, skipAssignment: group.isLeader(newMemberId))
            } else {
                // Older leaders would reassign; naming the old leader id makes this member a
                // follower, so it just syncs and gets its old assignment back.
                var r = group.joinResponse(for: newMemberId, leader: currentLeader)
                r.members = []
                response = r
            }
            effects.respond(caller.id, .joinGroup(response))
        case .completingRebalance:
            // The leader may already be assigning to the old id: start over.
            group.prepareRebalance(
                reason: "static member \(newMemberId) replaced \(oldMemberId)", context, &effects)
        case .preparingRebalance:
            group.maybeCompleteJoinPhase(context, &effects)
        case .empty, .dead:
            // A group with a static member is neither empty nor dead.
            preconditionFailure("group \(group.groupId): static member known while \(group.state)")
        }
    }
}
