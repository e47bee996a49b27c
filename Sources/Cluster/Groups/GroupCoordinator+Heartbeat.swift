// Groups room: Heartbeat. Moves a member's session deadline; during a rebalance the answer
// is REBALANCE_IN_PROGRESS, which tells the member to rejoin. Mirrors `classicGroupHeartbeat`.

extension GroupCoordinator {
    mutating func handleHeartbeat(
        _ request: HeartbeatRequest, _ caller: RequestContext, _ context: GroupContext,
        _ effects: inout GroupEffects
    ) {
        func answer(_ error: ErrorCode) {
            effects.respond(caller.id, .heartbeat(HeartbeatResponse(errorCode: error)))
        }
        guard !request.groupId.isEmpty else { return answer(.invalidGroupId) }
        if let error = coordinatorError(for: request.groupId) { return answer(error) }
        guard var group = groups.removeValue(forKey: request.groupId) else {
            return answer(.unknownMemberId)
        }
        defer { groups[request.groupId] = group }
        guard group.state != .dead else { return answer(.coordinatorNotAvailable) }
        if let error = group.validateMember(request.memberId, instanceId: request.groupInstanceId) {
            return answer(error)
        }
        guard request.generationId == group.generationId else { return answer(.illegalGeneration) }
        switch group.state {
        case .empty, .dead:
            answer(.unknownMemberId)
        case .preparingRebalance:
            group.rescheduleHeartbeat(request.memberId, context)
            answer(.rebalanceInProgress)
        case .completingRebalance, .stable:
            // Members may heartbeat between their JoinGroup and SyncGroup answers: alive.
            group.rescheduleHeartbeat(request.memberId, context)
            answer(.none)
        }
    }
}
