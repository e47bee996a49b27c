// Groups room: SyncGroup. Followers' requests are parked until the leader's arrives; the
// leader's assignment is stored as a group snapshot and then handed to every member, and the
// group becomes Stable. Mirrors `classicGroupSync`.

import NIOCore

extension GroupCoordinator {
    mutating func handleSyncGroup(
        _ request: SyncGroupRequest, _ caller: RequestContext, _ context: GroupContext,
        _ effects: inout GroupEffects
    ) {
        func fail(_ error: ErrorCode) {
            effects.respond(caller.id, .syncGroup(SyncGroupResponse(errorCode: error)))
        }
        guard !request.groupId.isEmpty else { return fail(.invalidGroupId) }
        if let error = coordinatorError(for: request.groupId) { return fail(error) }
        guard var group = groups.removeValue(forKey: request.groupId) else {
            return fail(.unknownMemberId)
        }
        defer { groups[request.groupId] = group }
        if let error = validateSyncGroup(request, group) { return fail(error) }
        switch group.state {
        case .preparingRebalance:
            fail(.rebalanceInProgress)
        case .completingRebalance:
            group.members[request.memberId]?.awaitingSync = caller.parked
            group.removePendingSyncMember(request.memberId)
            guard group.isLeader(request.memberId) else { return }
            var assignment: [String: ByteBuffer] = [:]
            for a in request.assignments { assignment[a.memberId] = a.assignment }
            for id in group.sortedMemberIds where assignment[id] == nil {
                assignment[id] = ByteBuffer()
            }
            // Durable first: the record goes out before the answers that promise it.
            effects.records.append(group.metadataRecord(assignment: assignment))
            group.setAndPropagateAssignment(assignment, context, &effects)
            group.transition(to: .stable, context, &effects)
        case .stable:
            // The generation is settled: hand back the stored assignment.
            group.removePendingSyncMember(request.memberId)
            let member = group.members[request.memberId]
            effects.respond(
                caller.id,
                .syncGroup(
                    SyncGroupResponse(
                        protocolType: group.protocolType, protocolName: group.protocolName,
                        assignment: member?.assignment ?? ByteBuffer())))
        case .empty, .dead:
            fail(.unknownMemberId)
        }
    }

    /// Kafka's `validateSyncGroup`, plus its checks for an empty group.
    private func validateSyncGroup(_ request: SyncGroupRequest, _ group: ClassicGroup) -> ErrorCode?
    {
        if group.state == .empty { return .unknownMemberId }
        if group.state == .dead { return .coordinatorNotAvailable }
        if let error = group.validateMember(request.memberId, instanceId: request.groupInstanceId) {
            return error
        }
        if request.generationId != group.generationId { return .illegalGeneration }
        if let type = request.protocolType, type != group.protocolType {
            return .inconsistentGroupProtocol
        }
        if let name = request.protocolName, name != group.protocolName {
            return .inconsistentGroupProtocol
        }
        return nil
    }
}
