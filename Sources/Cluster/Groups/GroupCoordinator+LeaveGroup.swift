// Groups room: LeaveGroup. Removes each named member (by member id, or a static member by
// group.instance.id alone) and rebalances the rest. Mirrors `classicGroupLeave`.

extension GroupCoordinator {
    mutating func handleLeaveGroup(
        _ request: LeaveGroupRequest, _ caller: RequestContext, _ context: GroupContext,
        _ effects: inout GroupEffects
    ) {
        func fail(_ error: ErrorCode) {
            effects.respond(caller.id, .leaveGroup(LeaveGroupResponse(errorCode: error)))
        }
        guard !request.groupId.isEmpty else { return fail(.invalidGroupId) }
        if let error = coordinatorError(for: request.groupId) { return fail(error) }
        guard var group = groups.removeValue(forKey: request.groupId) else {
            return fail(.unknownMemberId)
        }
        defer { groups[request.groupId] = group }
        guard group.state != .dead else { return fail(.coordinatorNotAvailable) }

        var results: [LeaveGroupResponse.MemberResponse] = []
        for identity in request.members {
            let reason = "left the group: " + (identity.reason ?? "not provided")
            var result = LeaveGroupResponse.MemberResponse(
                memberId: identity.memberId, groupInstanceId: identity.groupInstanceId)
            if identity.memberId.isEmpty {
                // An admin removing a static member by instance id (kafka-consumer-groups.sh).
                if let instance = identity.groupInstanceId,
                    let memberId = group.staticMembers[instance]
                {
                    group.remove(memberId, reason: reason, joinError: .unknownMemberId, &effects)
                } else {
                    result.errorCode = .unknownMemberId
                }
            } else if group.pendingJoinMembers[identity.memberId] != nil {
                group.remove(
                    identity.memberId, reason: reason, joinError: .unknownMemberId, &effects)
            } else if let error = group.validateMember(
                identity.memberId, instanceId: identity.groupInstanceId)
            {
                result.errorCode = error
            } else {
                group.remove(
                    identity.memberId, reason: reason, joinError: .unknownMemberId, &effects)
            }
            results.append(result)
        }

        if results.contains(where: { $0.errorCode == .none }) {
            switch group.state {
            case .stable, .completingRebalance:
                group.maybePrepareRebalanceOrCompleteJoin(reason: "members left", context, &effects)
            case .preparingRebalance:
                group.maybeCompleteJoinPhase(context, &effects)
            case .empty, .dead:
                break
            }
        }
        // Before v3 there is one member and no per-member results: its error is the answer.
        let topError = caller.apiVersion < 3 ? (results.first?.errorCode ?? .none) : .none
        effects.respond(
            caller.id, .leaveGroup(LeaveGroupResponse(errorCode: topError, members: results)))
    }
}
