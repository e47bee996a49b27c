// Groups room: OffsetCommit. Checks the committer belongs to the current generation (or is a
// "simple" committer of an empty group), then emits one offset commit record per partition and
// applies it through replay. Mirrors `OffsetMetadataManager.commitOffset`.

extension GroupCoordinator {
    mutating func handleOffsetCommit(
        _ request: OffsetCommitRequest, _ caller: RequestContext, _ context: GroupContext,
        _ effects: inout GroupEffects
    ) {
        func failAll(_ error: ErrorCode) {
            effects.respond(
                caller.id, .offsetCommit(OffsetCommitResponse(request: request, errorCode: error)))
        }
        guard !request.groupId.isEmpty else { return failAll(.invalidGroupId) }
        if let error = coordinatorError(for: request.groupId) { return failAll(error) }
        if groups[request.groupId] == nil {
            guard request.generationIdOrMemberEpoch < 0 else {
                // v9 says what happened; older clients only understand ILLEGAL_GENERATION.
                return failAll(caller.apiVersion >= 9 ? .groupIdNotFound : .illegalGeneration)
            }
            // A consumer that assigns partitions itself (or an admin tool): a simple group.
            groups[request.groupId] = ClassicGroup(groupId: request.groupId)
        }
        guard var group = groups.removeValue(forKey: request.groupId) else {
            return failAll(.unknownServerError)
        }
        if let error = validateOffsetCommit(request, group) {
            groups[request.groupId] = group
            return failAll(error)
        }
        // A commit from a member keeps its session alive, as a heartbeat would.
        if group.state == .stable || group.state == .preparingRebalance,
            group.members[request.memberId] != nil
        {
            group.rescheduleHeartbeat(request.memberId, context)
        }
        groups[request.groupId] = group

        var response = OffsetCommitResponse()
        for topic in request.topics {
            var answers: [OffsetCommitResponse.Partition] = []
            for p in topic.partitions {
                if let metadata = p.committedMetadata,
                    metadata.utf16.count > config.offsetMetadataMaxBytes
                {
                    answers.append(
                        .init(partitionIndex: p.partitionIndex, errorCode: .offsetMetadataTooLarge))
                    continue
                }
                let expire: Int64? =
                    request.retentionTimeMs == -1
                    ? nil : context.wallClockMs &+ request.retentionTimeMs
                let record = GroupRecord.offsetCommit(
                    OffsetCommitKey(
                        group: request.groupId, topic: topic.name, partition: p.partitionIndex),
                    OffsetCommitValue(
                        offset: p.committedOffset, leaderEpoch: p.committedLeaderEpoch,
                        metadata: p.committedMetadata ?? "", commitTimestamp: context.wallClockMs,
                        expireTimestamp: expire))
                effects.records.append(record)
                replay(record)
                answers.append(.init(partitionIndex: p.partitionIndex))
            }
            response.topics.append(.init(name: topic.name, partitions: answers))
        }
        effects.respond(caller.id, .offsetCommit(response))
    }

    /// Kafka's `ClassicGroup.validateOffsetCommit`: generation -1 from nobody is fine while
    /// the group is empty; otherwise the member must be known and in the current generation,
    /// and the group must not be waiting for its assignment.
    private func validateOffsetCommit(
        _ request: OffsetCommitRequest, _ group: ClassicGroup
    ) -> ErrorCode? {
        if group.state == .dead { return .coordinatorNotAvailable }
        let generation = request.generationIdOrMemberEpoch
        if generation < 0 && group.state == .empty { return nil }
        if generation >= 0 || !request.memberId.isEmpty || request.groupInstanceId != nil {
            if let error = group.validateMember(
                request.memberId, instanceId: request.groupInstanceId)
            {
                return error
            }
            if generation != group.generationId { return .illegalGeneration }
        } else if group.state != .empty {
            return .unknownMemberId
        }
        if group.state == .completingRebalance { return .rebalanceInProgress }
        return nil
    }
}
