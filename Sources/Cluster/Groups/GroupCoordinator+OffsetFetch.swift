// Groups room: OffsetFetch. Reads committed offsets for named partitions, or all of a group's;
// -1 where nothing is committed. Mirrors `OffsetMetadataManager.fetchOffsets`/`fetchAllOffsets`.

extension GroupCoordinator {
    mutating func handleOffsetFetch(
        _ request: OffsetFetchRequest, _ caller: RequestContext, _ effects: inout GroupEffects
    ) {
        let groupsOut = request.groups.map { fetchOffsets($0, apiVersion: caller.apiVersion) }
        effects.respond(caller.id, .offsetFetch(OffsetFetchResponse(groups: groupsOut)))
    }

    private func fetchOffsets(
        _ request: OffsetFetchRequest.Group, apiVersion: Int16
    ) -> OffsetFetchResponse.Group {
        var error: ErrorCode?
        if request.groupId.isEmpty {
            error = .invalidGroupId
        } else {
            error = coordinatorError(for: request.groupId)
        }
        if let error {
            guard apiVersion < 2 else {
                return .init(groupId: request.groupId, topics: [], errorCode: error)
            }
            // v0-1 have no top-level error: each partition carries it.
            let topics = (request.topics ?? []).map { t in
                OffsetFetchResponse.Topic(
                    name: t.name,
                    partitions: t.partitionIndexes.map {
                        .init(
                            partitionIndex: $0, committedOffset: -1, metadata: "", errorCode: error)
                    })
            }
            return .init(groupId: request.groupId, topics: topics)
        }
        let committed = offsets[request.groupId] ?? [:]
        func answer(_ topic: String, _ partition: Int32) -> OffsetFetchResponse.Partition {
            guard
                let value = committed[
                    OffsetCommitKey(group: request.groupId, topic: topic, partition: partition)]
            else {
                return .init(
                    partitionIndex: partition, committedOffset: -1, committedLeaderEpoch: -1,
                    metadata: "")
            }
            return .init(
                partitionIndex: partition, committedOffset: value.offset,
                committedLeaderEpoch: value.leaderEpoch,
                metadata: value.metadata)
        }
        if let topics = request.topics {
            return .init(
                groupId: request.groupId,
                topics: topics.map { t in
                    .init(name: t.name, partitions: t.partitionIndexes.map { answer(t.name, $0) })
                })
        }
        // No topics named: everything the group has committed, sorted.
        var byTopic: [(String, [OffsetFetchResponse.Partition])] = []
        for key in committed.keys.sorted() {
            let entry = answer(key.topic, key.partition)
            if let last = byTopic.indices.last, byTopic[last].0 == key.topic {
                byTopic[last].1.append(entry)
            } else {
                byTopic.append((key.topic, [entry]))
            }
        }
        return .init(
            groupId: request.groupId, topics: byTopic.map { .init(name: $0.0, partitions: $0.1) })
    }
}
