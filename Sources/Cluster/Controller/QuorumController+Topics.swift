// Controller room: CreateTopics and DeleteTopics. Names, partition counts, replication factors
// and configs are checked with Kafka's codes and words; replicas are placed; the answer
// describes the new topic as the broker's DescribeConfigs would.

extension QuorumController {
    /// A refused part of a request: Kafka's code and message.
    struct Refusal: Error, Equatable {
        var code: ErrorCode
        var message: String?

        init(_ code: ErrorCode, _ message: String? = nil) {
            self.code = code
            self.message = message
        }
    }

    /// Kafka's `UnknownTopicOrPartitionException` without a message of its own.
    static let unknownTopicMessage = "This server does not host this topic-partition."

    /// Decides CreateTopics (Kafka's `ReplicationControlManager.createTopics`). Each topic
    /// succeeds or fails alone; with `validateOnly` the answers are the same but no records
    /// come back. Records per topic: `TopicRecord`, its `ConfigRecord`s, its `PartitionRecord`s.
    public mutating func handleCreateTopics(
        _ r: CreateTopicsRequest
    ) -> ControllerResult<CreateTopicsResponse> {
        guard isActive else {
            return ControllerResult(
                response: CreateTopicsResponse(
                    topics: r.topics.map {
                        .init(name: $0.name, errorCode: .notController, configs: nil)
                    }))
        }
        var draft = ControllerDraft(image)
        let duplicated = Self.duplicates(r.topics.map(\.name))
        var answers: [CreateTopicsResponse.Topic] = []
        for topic in r.topics {
            do throws(Refusal) {
                if duplicated.contains(topic.name) {
                    throw Refusal(.invalidRequest, "Duplicate topic name.")
                }
                answers.append(try createTopic(topic, in: &draft))
            } catch {
                answers.append(
                    .init(
                        name: topic.name, errorCode: error.code, errorMessage: error.message,
                        configs: nil))
            }
        }
        let response = CreateTopicsResponse(topics: answers)
        return r.validateOnly ? ControllerResult(response: response) : draft.result(response)
    }

    /// Names that occur more than once, which Kafka refuses every time they occur.
    static func duplicates<T: Hashable>(_ values: [T]) -> Set<T> {
        var seen: Set<T> = []
        var twice: Set<T> = []
        for value in values where !seen.insert(value).inserted { twice.insert(value) }
        return twice
    }

    private mutating func createTopic(
        _ topic: CreateTopicsRequest.Topic, in draft: inout ControllerDraft
    ) throws(Refusal) -> CreateTopicsResponse.Topic {
        if let problem = TopicNames.problem(with: topic.name) {
            throw Refusal(.invalidTopicException, problem)
        }
        if draft.image.topic(topic.name) != nil {
            throw Refusal(.topicAlreadyExists, "Topic '\(topic.name)' already exists.")
        }
        if let existing = TopicNames.collision(of: topic.name, among: draft.image.topicNames) {
            throw Refusal(.invalidTopicException, "Topic '\(topic.name)' collides with existing topic: \(existing)")
        }
        let configs = try Self.creationConfigs(topic.configs)
        let assignments =
            try topic.assignments.isEmpty
            ? placeNewTopic(topic, image: draft.image)
            : Self.manualAssignments(topic, image: draft.image)
        let factor = Int16(clamping: assignments.first?.count ?? 0)
        let image = draft.image
        let partitions = try assignments.enumerated().map { index, replicas throws(Refusal) in
            let isr = replicas.filter { Self.isActiveBroker($0, in: image) }
            guard !isr.isEmpty else {
                throw topic.assignments.isEmpty
                    ? Refusal(
                        .invalidReplicationFactor,
                        "Unable to replicate the partition \(factor) time(s): All brokers are "
                            + "currently fenced or in controlled shutdown.")
                    : Refusal(
                        .invalidReplicaAssignment,
                        "All brokers specified in the manual partition assignment for partition "
                            + "\(index) are fenced or in controlled shutdown.")
            }
            return (replicas, isr)
        }
        let id = newTopicId(avoiding: draft.image)
        draft.append(.topic(TopicRecord(name: topic.name, topicId: id)))
        for key in configs.keys.sorted() {
            draft.append(
                .config(
                    ConfigRecord(
                        resourceType: ConfigRecord.topicResource, resourceName: topic.name,
                        name: key,
                        value: configs[key])))
        }
        for (index, (replicas, isr)) in partitions.enumerated() {
            draft.append(
                Self.partitionRecord(Int32(index), topicId: id, replicas: replicas, isr: isr))
        }
        let count = Int32(partitions.count)
        draft.events.append(
            .topicCreated(topic.name, topicId: id, partitions: count, replicationFactor: factor))
        return .init(
            name: topic.name, topicId: id, numPartitions: count, replicationFactor: factor,
            configs: Self.describeConfigs(configs))
    }

    /// The topic's config overrides, refused as Kafka refuses them: a null value, or a key or
    /// value `TopicConfigs` does not accept.
    static func creationConfigs(_ configs: [CreateTopicsRequest.Config]) throws(Refusal) -> [String:
        String]
    {
        let nulls = configs.filter { $0.value == nil }.map(\.name)
        if !nulls.isEmpty {
            throw Refusal(
                .invalidConfig,
                "Null value not supported for topic configs: \(nulls.joined(separator: ","))")
        }
        var out: [String: String] = [:]
        for config in configs { out[config.name] = config.value }
        if let problem = TopicConfigs.problem(with: out) { throw Refusal(.invalidConfig, problem) }
        return out
    }

    /// Every topic config with its value, as the CreateTopics response (v5+) carries them:
    /// an override is DYNAMIC_TOPIC_CONFIG (1), the rest DEFAULT_CONFIG (5).
    static func describeConfigs(_ overrides: [String: String]) -> [CreateTopicsResponse.Config] {
        TopicConfigs.describe(overrides).map {
            .init(
                name: $0.name, value: $0.value, readOnly: false,
                configSource: $0.isDefault ? 5 : 1, isSensitive: false)
        }
    }

    /// Replicas for a topic created by count and factor (-1 for `num.partitions` and
    /// `default.replication.factor`), placed by `StripedReplicaPlacer`.
    private mutating func placeNewTopic(
        _ topic: CreateTopicsRequest.Topic, image: MetadataImage
    ) throws(Refusal) -> [[NodeID]] {
        if topic.replicationFactor < -1 || topic.replicationFactor == 0 {
            throw Refusal(
                .invalidReplicationFactor,
                "Replication factor must be larger than 0, or -1 to use the default value.")
        }
        if topic.numPartitions < -1 || topic.numPartitions == 0 {
            throw Refusal(
                .invalidPartitions, "Number of partitions was set to an invalid non-positive value."
            )
        }
        let count = topic.numPartitions == -1 ? config.defaultPartitions : topic.numPartitions
        let factor =
            topic.replicationFactor == -1
            ? config.defaultReplicationFactor : topic.replicationFactor
        try Self.checkPartitionLimit(count)
        do {
            return try StripedReplicaPlacer.place(
                partitions: Int(count), replicationFactor: Int(factor),
                brokers: Self.usableBrokers(in: image), random: &entropy)
        } catch {
            throw Refusal(
                .invalidReplicationFactor,
                "Unable to replicate the partition \(factor) time(s): \(error.message)")
        }
    }

    static func checkPartitionLimit(_ count: Int32) throws(Refusal) {
        guard count <= Int32(Limits.partitionsPerTopicMax) else {
            throw Refusal(
                .invalidPartitions,
                "Number of partitions \(count) is above this cluster's limit of \(Limits.partitionsPerTopicMax)."
            )
        }
    }

    /// The brokers placement may use (Kafka's `ClusterControlManager.usableBrokers`): every
    /// registered broker not in controlled shutdown, fenced ones marked as such.
    static func usableBrokers(in image: MetadataImage) -> [UsableBroker] {
        image.sortedBrokers.filter { !$0.inControlledShutdown }
            .map { UsableBroker(id: $0.id, rack: $0.rack, fenced: $0.fenced) }
    }

    /// A new partition's record: the first in-sync replica leads. Our brokers register no log
    /// directories, so each replica's directory is `migrating`, as Kafka's
    /// `ClusterControlManager.defaultDir` gives them.
    static func partitionRecord(
        _ index: Int32, topicId: Uuid, replicas: [NodeID], isr: [NodeID]
    ) -> MetadataRecord {
        .partition(
            PartitionRecord(
                partitionId: index, topicId: topicId, replicas: replicas.map(\.rawValue),
                isr: isr.map(\.rawValue), leader: isr[0].rawValue, leaderEpoch: 0,
                partitionEpoch: 0,
                directories: replicas.map { _ in DirectoryId.migrating }))
    }

    // MARK: - DeleteTopics

    /// Decides DeleteTopics (Kafka's `ControllerApis.deleteTopics` with
    /// `ReplicationControlManager.deleteTopics`): topics by name, or (v6) by id; one
    /// `RemoveTopicRecord` each, which also drops their configs on replay.
    public mutating func handleDeleteTopics(
        _ r: DeleteTopicsRequest
    ) -> ControllerResult<DeleteTopicsResponse> {
        guard isActive else {
            return ControllerResult(
                response: DeleteTopicsResponse(
                    responses: r.topics.map {
                        .init(name: $0.name, topicId: $0.topicId, errorCode: .notController)
                    }))
        }
        var draft = ControllerDraft(image)
        let names = r.topics.compactMap { ($0.name ?? "").isEmpty ? nil : $0.name }
        let duplicatedNames = Self.duplicates(names)
        let duplicatedIds = Self.duplicates(
            r.topics.filter { $0.topicId != .zero }.map(\.topicId))
        var answers: [DeleteTopicsResponse.TopicResult] = []
        for entry in r.topics {
            let name = entry.name ?? ""
            let answer: DeleteTopicsResponse.TopicResult
            if !name.isEmpty && entry.topicId != .zero {
                answer = .init(
                    name: name, topicId: entry.topicId, errorCode: .invalidRequest,
                    errorMessage: "You may not specify both topic name and topic id.")
            } else if duplicatedNames.contains(name) {
                answer = .init(
                    name: name, errorCode: .invalidRequest, errorMessage: "Duplicate topic name.")
            } else if name.isEmpty && duplicatedIds.contains(entry.topicId) {
                answer = .init(
                    name: nil, topicId: entry.topicId, errorCode: .invalidRequest,
                    errorMessage: "Duplicate topic id.")
            } else {
                answer = deleteTopic(name: name, id: entry.topicId, in: &draft)
            }
            answers.append(answer)
        }
        return draft.result(DeleteTopicsResponse(responses: answers))
    }

    private func deleteTopic(
        name: String, id: Uuid, in draft: inout ControllerDraft
    ) -> DeleteTopicsResponse.TopicResult {
        let found = name.isEmpty ? draft.image.topic(id: id) : draft.image.topic(name)
        guard let topic = found else {
            return name.isEmpty
                ? .init(
                    name: nil, topicId: id, errorCode: .unknownTopicId,
                    errorMessage: "This server does not host this topic ID.")
                : .init(
                    name: name, errorCode: .unknownTopicOrPartition,
                    errorMessage: Self.unknownTopicMessage)
        }
        draft.append(.removeTopic(RemoveTopicRecord(topicId: topic.id)))
        draft.events.append(.topicDeleted(topic.name, topicId: topic.id))
        return .init(name: topic.name, topicId: topic.id)
    }
}
