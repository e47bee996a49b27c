// Groups room: DescribeGroups. State, protocol and members of each group; member metadata and
// assignments only while Stable; an unknown group is described as Dead. Mirrors
// `GroupMetadataManager.describeGroups`.

extension GroupCoordinator {
    mutating func handleDescribeGroups(
        _ request: DescribeGroupsRequest, _ caller: RequestContext, _ effects: inout GroupEffects
    ) {
        let described = request.groups.map(describe)
        effects.respond(caller.id, .describeGroups(DescribeGroupsResponse(groups: described)))
    }

    /// One group as DescribeGroups shows it (also what the REPL's `group describe` reads).
    public func describe(_ groupId: String) -> DescribeGroupsResponse.DescribedGroup {
        if let error = coordinatorError(for: groupId) {
            return .init(errorCode: error, groupId: groupId)
        }
        guard let group = groups[groupId] else {
            return .init(groupId: groupId, groupState: ClassicGroupState.dead.rawValue)
        }
        let stable = group.state == .stable
        let members = group.sortedMemberIds.compactMap { id -> DescribeGroupsResponse.Member? in
            guard let m = group.members[id] else { return nil }
            var described = DescribeGroupsResponse.Member(
                memberId: id, groupInstanceId: m.groupInstanceId, clientId: m.clientId,
                clientHost: m.clientHost)
            if stable {
                described.memberMetadata = m.metadata(group.protocolName)
                described.memberAssignment = m.assignment
            }
            return described
        }
        return .init(
            groupId: groupId, groupState: group.state.rawValue,
            protocolType: group.protocolType ?? "",
            protocolData: stable ? (group.protocolName ?? "") : "", members: members)
    }
}
