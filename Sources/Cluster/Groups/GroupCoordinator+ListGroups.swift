// Groups room: ListGroups. Every group in the partitions this coordinator holds, filtered by
// state and type. Mirrors `GroupMetadataManager.listGroups`.

extension GroupCoordinator {
    /// Kafka's name for the one group type this coordinator runs.
    public static let classicGroupType = "classic"

    mutating func handleListGroups(
        _ request: ListGroupsRequest, _ caller: RequestContext, _ effects: inout GroupEffects
    ) {
        // While a partition loads, its groups are not known yet: say so rather than list part.
        if partitions.values.contains(.loading) {
            effects.respond(
                caller.id, .listGroups(ListGroupsResponse(errorCode: .coordinatorLoadInProgress)))
            return
        }
        let states = Set(request.statesFilter.map { $0.trimmingWhitespace().lowercased() })
        let types = Set(request.typesFilter.map { $0.trimmingWhitespace().lowercased() })
        var listed: [ListGroupsResponse.ListedGroup] = []
        for id in groups.keys.sorted() {
            guard let group = groups[id], partitionState(of: id) == .loaded else { continue }
            if !states.isEmpty && !states.contains(group.state.rawValue.lowercased()) { continue }
            if !types.isEmpty && !types.contains(Self.classicGroupType) { continue }
            listed.append(
                .init(
                    groupId: id, protocolType: group.protocolType ?? "",
                    groupState: group.state.rawValue,
                    groupType: Self.classicGroupType))
        }
        effects.respond(caller.id, .listGroups(ListGroupsResponse(groups: listed)))
    }
}

extension String {
    /// Without leading and trailing spaces (Java's `String.trim` for our purposes; no
    /// Foundation in pure rooms).
    func trimmingWhitespace() -> String {
        let scalars = unicodeScalars
        guard let start = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
            let end = scalars.lastIndex(where: { !$0.properties.isWhitespace })
        else { return "" }
        return String(scalars[start...end])
    }
}
