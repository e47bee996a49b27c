// Groups room: DeleteGroups. An empty group goes, with all its committed offsets: one
// tombstone per offset, then one for the group, each applied through replay. Mirrors
// `GroupCoordinatorShard.deleteGroups`.

extension GroupCoordinator {
    mutating func handleDeleteGroups(
        _ request: DeleteGroupsRequest, _ caller: RequestContext, _ effects: inout GroupEffects
    ) {
        var results: [DeleteGroupsResponse.Result] = []
        for groupId in request.groupsNames {
            results.append(.init(groupId: groupId, errorCode: deleteGroup(groupId, &effects)))
        }
        effects.respond(caller.id, .deleteGroups(DeleteGroupsResponse(results: results)))
    }

    private mutating func deleteGroup(_ groupId: String, _ effects: inout GroupEffects) -> ErrorCode
    {
        if let error = coordinatorError(for: groupId) { return error }
        guard let group = groups[groupId], group.state != .dead else { return .groupIdNotFound }
        guard group.state == .empty else { return .nonEmptyGroup }
        var records: [GroupRecord] = committedOffsets(groupId: groupId).map {
            .offsetCommit($0.key, nil)
        }
        records.append(.groupMetadata(GroupMetadataKey(group: groupId), nil))
        for record in records {
            effects.records.append(record)
            replay(record)
        }
        return .none
    }
}
