// Client room: the admin client's consumer-group calls, as kafka-consumer-groups.sh makes
// them: list (every broker), describe, delete, list and alter committed offsets (each
// group's coordinator, found with FindCoordinator).

extension Admin {
    /// Every group every broker coordinates, sorted by id. Kafka's admin asks each broker,
    /// since each knows only its own groups. Mirrors `Admin.listConsumerGroups`.
    public func listConsumerGroups() async throws -> [ConsumerGroupListing] {
        try await client.withRetries("ListGroups") { _ in
            let metadata = try await client.refreshMetadataOnce(
                topics: [], allowAutoTopicCreation: false)
            var listings: [ConsumerGroupListing] = []
            for node in metadata.brokerIds {
                let (response, _) = try await client.send(to: node) { _ in ListGroupsRequest() }
                guard response.errorCode == .none else {
                    throw KafkaClientError.broker(
                        response.errorCode, context: "ListGroups on broker \(node)", message: nil)
                }
                listings += response.groups.map {
                    ConsumerGroupListing(
                        groupId: $0.groupId, state: $0.groupState, protocolType: $0.protocolType)
                }
            }
            return listings.sorted { $0.groupId < $1.groupId }
        }
    }

    /// Each group as its coordinator describes it, in the order asked. A group the
    /// coordinator does not know comes back Dead with no members, as Kafka's does.
    /// Mirrors `Admin.describeConsumerGroups`.
    public func describeConsumerGroups(_ groupIds: [String]) async throws
        -> [ConsumerGroupDescription]
    {
        var descriptions: [ConsumerGroupDescription] = []
        for groupId in groupIds {
            let (response, coordinator) = try await sendToGroupCoordinator(groupId, "DescribeGroups") {
                DescribeGroupsRequest(groups: [groupId])
            } failure: { $0.groups.first { $0.groupId == groupId }?.errorCode }
            guard let group = response.groups.first(where: { $0.groupId == groupId }) else {
                throw KafkaClientError.protocolError(
                    broker: coordinator, "DescribeGroups did not answer for group '\(groupId)'")
            }
            let members = group.members.map { member in
                let assigned =
                    group.protocolType == "consumer"
                    ? ((try? ConsumerProtocolAssignment(decoding: member.memberAssignment))?
                        .assignedPartitions ?? [])
                    : []
                return ConsumerGroupDescription.Member(
                    memberId: member.memberId, groupInstanceId: member.groupInstanceId,
                    clientId: member.clientId, host: member.clientHost,
                    assignment: assigned.flatMap { t in t.partitions.map { TopicPartition(t.topic, $0) } }
                        .sorted())
            }
            descriptions.append(
                ConsumerGroupDescription(
                    groupId: groupId, errorCode: group.errorCode, state: group.groupState,
                    protocolType: group.protocolType, partitionAssignor: group.protocolData,
                    members: members, coordinator: coordinator))
        }
        return descriptions
    }

    /// Deletes groups that have no members, with their committed offsets. Each group's code
    /// is a result: NONE, NON_EMPTY_GROUP, GROUP_ID_NOT_FOUND. Mirrors
    /// `Admin.deleteConsumerGroups`.
    public func deleteConsumerGroups(_ groupIds: [String]) async throws -> [String: ErrorCode] {
        var results: [String: ErrorCode] = [:]
        for groupId in groupIds {
            let (response, _) = try await sendToGroupCoordinator(groupId, "DeleteGroups") {
                DeleteGroupsRequest(groupsNames: [groupId])
            } failure: { $0.results.first { $0.groupId == groupId }?.errorCode }
            results[groupId] = response.results.first { $0.groupId == groupId }?.errorCode
                ?? .unknownServerError
        }
        return results
    }

    /// The group's committed offsets, every partition it has one for. Mirrors
    /// `Admin.listConsumerGroupOffsets`.
    public func listConsumerGroupOffsets(_ groupId: String) async throws -> [TopicPartition: Int64] {
        let (response, _) = try await sendToGroupCoordinator(groupId, "OffsetFetch") {
            OffsetFetchRequest(groups: [OffsetFetchRequest.Group(groupId: groupId, topics: nil)])
        } failure: { $0.groups.first { $0.groupId == groupId }?.errorCode }
        var offsets: [TopicPartition: Int64] = [:]
        for topic in response.groups.first(where: { $0.groupId == groupId })?.topics ?? [] {
            for p in topic.partitions where p.errorCode == .none && p.committedOffset >= 0 {
                offsets[TopicPartition(topic.name, p.partitionIndex)] = p.committedOffset
            }
        }
        return offsets
    }

    /// Commits `offsets` for a group outside any generation (generation -1, no member id),
    /// as kafka-consumer-groups.sh --reset-offsets does; the coordinator accepts that only
    /// while the group has no members (else UNKNOWN_MEMBER_ID). Per-partition codes are
    /// results. Mirrors `Admin.alterConsumerGroupOffsets`.
    public func alterConsumerGroupOffsets(_ groupId: String, _ offsets: [TopicPartition: Int64])
        async throws -> [TopicPartition: ErrorCode]
    {
        let request = OffsetCommitRequest(
            groupId: groupId, generationIdOrMemberEpoch: -1, memberId: "",
            topics: Self.grouped(offsets).map { topic, partitions in
                OffsetCommitRequest.Topic(
                    name: topic,
                    partitions: partitions.map {
                        OffsetCommitRequest.Partition(partitionIndex: $0.0, committedOffset: $0.1)
                    })
            })
        let (response, _) = try await sendToGroupCoordinator(groupId, "OffsetCommit") {
            request
        } failure: { response in
            response.topics.flatMap(\.partitions).first { Self.findsCoordinatorAgain($0.errorCode) }?
                .errorCode
        }
        var results: [TopicPartition: ErrorCode] = [:]
        for topic in response.topics {
            for p in topic.partitions { results[TopicPartition(topic.name, p.partitionIndex)] = p.errorCode }
        }
        return results
    }

    // MARK: - The coordinator

    /// The codes after which Kafka's admin looks the coordinator up again and retries.
    static func findsCoordinatorAgain(_ code: ErrorCode) -> Bool {
        code == .notCoordinator || code == .coordinatorNotAvailable
            || code == .coordinatorLoadInProgress
    }

    /// Sends `build()` to `groupId`'s coordinator and returns its answer and node id.
    /// `failure` picks the group's code out of the answer: NOT_COORDINATOR,
    /// COORDINATOR_NOT_AVAILABLE and COORDINATOR_LOAD_IN_PROGRESS send the request again,
    /// to the coordinator found anew, within `default.api.timeout.ms`.
    func sendToGroupCoordinator<R: KafkaRequest>(
        _ groupId: String, _ what: String, _ build: () -> R,
        failure: (R.Response) -> ErrorCode?
    ) async throws -> (R.Response, Int32) {
        try await client.withRetries(what) { _ in
            let node = try await groupCoordinator(groupId)
            let (response, _) = try await client.send(to: node) { _ in build() }
            if let code = failure(response), Self.findsCoordinatorAgain(code) {
                throw KafkaClientError.broker(code, context: "\(what) for group \(groupId)", message: nil)
            }
            return (response, node)
        }
    }

    /// FindCoordinator (key type 0) for `groupId`; refreshes the metadata when it does not
    /// know the broker named, so a connection can be opened to it.
    func groupCoordinator(_ groupId: String) async throws -> Int32 {
        let (response, version) = try await client.sendToAny { _ in
            FindCoordinatorRequest(
                key: groupId, keyType: FindCoordinatorRequest.keyTypeGroup,
                coordinatorKeys: [groupId])
        }
        let node: Int32, code: ErrorCode, message: String?
        if version >= 4 {
            let answer = response.coordinators.first { $0.key == groupId }
            node = answer?.nodeId ?? -1
            code = answer?.errorCode ?? .coordinatorNotAvailable
            message = answer?.errorMessage
        } else {
            (node, code, message) = (response.nodeId, response.errorCode, response.errorMessage)
        }
        guard code == .none, node >= 0 else {
            throw KafkaClientError.broker(
                code == .none ? .coordinatorNotAvailable : code,
                context: "FindCoordinator for group \(groupId)", message: message)
        }
        if client.metadata.brokers[node] == nil { _ = try await client.refreshMetadata(topics: []) }
        return node
    }
}
