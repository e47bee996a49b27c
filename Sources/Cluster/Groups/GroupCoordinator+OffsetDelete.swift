// Groups room: OffsetDelete. Deletes committed offsets of topics a group no longer subscribes
// to, by tombstone records applied through replay. Mirrors `OffsetMetadataManager.deleteOffsets`.

extension GroupCoordinator {
    mutating func handleOffsetDelete(
        _ request: OffsetDeleteRequest, _ caller: RequestContext, _ effects: inout GroupEffects
    ) {
        func fail(_ error: ErrorCode) {
            effects.respond(caller.id, .offsetDelete(OffsetDeleteResponse(errorCode: error)))
        }
        if let error = coordinatorError(for: request.groupId) { return fail(error) }
        guard let group = groups[request.groupId], group.state != .dead else {
            return fail(.groupIdNotFound)
        }
        switch group.state {
        case .stable, .preparingRebalance, .completingRebalance:
            // Without the consumer protocol the coordinator cannot tell what members read.
            if !group.usesConsumerGroupProtocol { return fail(.nonEmptyGroup) }
        case .empty, .dead:
            break
        }
        var response = OffsetDeleteResponse()
        for topic in request.topics {
            let subscribed = group.isSubscribed(to: topic.name)
            var answers: [OffsetDeleteResponse.Partition] = []
            for index in topic.partitionIndexes {
                if subscribed {
                    answers.append(.init(partitionIndex: index, errorCode: .groupSubscribedToTopic))
                    continue
                }
                let key = OffsetCommitKey(
                    group: request.groupId, topic: topic.name, partition: index)
                if offsets[request.groupId]?[key] != nil {
                    let record = GroupRecord.offsetCommit(key, nil)
                    effects.records.append(record)
                    replay(record)
                }
                answers.append(.init(partitionIndex: index))
            }
            response.topics.append(.init(name: topic.name, partitions: answers))
        }
        effects.respond(caller.id, .offsetDelete(response))
    }
}
