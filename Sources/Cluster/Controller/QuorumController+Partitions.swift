// Controller room: CreatePartitions, and the checks on replicas chosen by hand (CreateTopics
// and CreatePartitions both accept them). New partitions continue the topic's stripe.

extension QuorumController {
    /// Decides CreatePartitions (Kafka's `ReplicationControlManager.createPartitions`): each
    /// topic grows to `count` partitions with its current replication factor, placed by hand or
    /// by `StripedReplicaPlacer`. With `validateOnly` no records come back.
    public mutating func handleCreatePartitions(
        _ r: CreatePartitionsRequest
    ) -> ControllerResult<CreatePartitionsResponse> {
        guard isActive else {
            return ControllerResult(
                response: CreatePartitionsResponse(
                    results: r.topics.map { .init(name: $0.name, errorCode: .notController) }))
        }
        var draft = ControllerDraft(image)
        let duplicated = Self.duplicates(r.topics.map(\.name))
        var answers: [CreatePartitionsResponse.TopicResult] = []
        for topic in r.topics {
            do throws(Refusal) {
                if duplicated.contains(topic.name) {
                    throw Refusal(.invalidRequest, "Duplicate topic name.")
                }
                try createPartitions(topic, in: &draft)
                answers.append(.init(name: topic.name))
            } catch {
                answers.append(
                    .init(name: topic.name, errorCode: error.code, errorMessage: error.message))
            }
        }
        let response = CreatePartitionsResponse(results: answers)
        return r.validateOnly ? ControllerResult(response: response) : draft.result(response)
    }

    private mutating func createPartitions(
        _ request: CreatePartitionsRequest.Topic, in draft: inout ControllerDraft
    ) throws(Refusal) {
        guard let topic = draft.image.topic(request.name) else {
            throw Refusal(.unknownTopicOrPartition, Self.unknownTopicMessage)
        }
        let have = Int32(topic.partitions.count)
        if request.count == have {
            throw Refusal(.invalidPartitions, "Topic already has \(have) partition(s).")
        }
        if request.count < have {
            throw Refusal(
                .invalidPartitions,
                "The topic \(request.name) currently has \(have) partition(s); \(request.count) "
                    + "would not be an increase.")
        }
        try Self.checkPartitionLimit(request.count)
        let additional = Int(request.count - have)
        let factor = topic.replicationFactor
        let assignments: [[NodeID]]
        if let manual = request.assignments {
            guard manual.count == additional else {
                throw Refusal(
                    .invalidReplicaAssignment,
                    "Attempted to add \(additional) additional partition(s), but only "
                        + "\(manual.count) assignment(s) were specified.")
            }
            assignments = try manual.map { assignment throws(Refusal) in
                try Self.checkManualAssignment(
                    assignment.brokerIds, factor: factor, image: draft.image)
            }
        } else {
            do {
                assignments = try StripedReplicaPlacer.place(
                    partitions: additional, replicationFactor: factor,
                    brokers: Self.usableBrokers(in: draft.image),
                    existing: topic.partitions.map(\.replicas), random: &entropy)
            } catch {
                throw Refusal(.invalidReplicationFactor, error.message)
            }
        }
        var records: [MetadataRecord] = []
        for (offset, replicas) in assignments.enumerated() {
            let index = have + Int32(offset)
            let isr = replicas.filter { Self.isActiveBroker($0, in: draft.image) }
            guard !isr.isEmpty else {
                throw request.assignments == nil
                    ? Refusal(
                        .invalidReplicationFactor,
                        "Unable to replicate the partition \(factor) time(s): All brokers are "
                            + "currently fenced or in controlled shutdown.")
                    : Refusal(
                        .invalidReplicaAssignment,
                        "All brokers specified in the manual partition assignment for partition "
                            + "\(index) are fenced or in controlled shutdown.")
            }
            records.append(
                Self.partitionRecord(index, topicId: topic.id, replicas: replicas, isr: isr))
        }
        draft.append(contentsOf: records)
        draft.events.append(.partitionsAdded(topic: topic.name, from: have, to: request.count))
    }

    /// Replicas given by hand for a new topic (Kafka's manual path of `createTopic`): counts
    /// must be -1, indexes 0, 1, 2... each once, every partition with the same factor.
    static func manualAssignments(
        _ topic: CreateTopicsRequest.Topic, image: MetadataImage
    ) throws(Refusal) -> [[NodeID]] {
        if topic.replicationFactor != -1 {
            throw Refusal(
                .invalidRequest,
                "A manual partition assignment was specified, but replication factor was not set to -1."
            )
        }
        if topic.numPartitions != -1 {
            throw Refusal(
                .invalidRequest,
                "A manual partition assignment was specified, but numPartitions was not set to -1.")
        }
        var byIndex: [Int32: [NodeID]] = [:]
        var factor: Int? = nil
        for assignment in topic.assignments {
            if byIndex[assignment.partitionIndex] != nil {
                throw Refusal(
                    .invalidReplicaAssignment,
                    "Found multiple manual partition assignments for partition \(assignment.partitionIndex)"
                )
            }
            let replicas = try checkManualAssignment(
                assignment.brokerIds, factor: factor, image: image)
            factor = replicas.count
            byIndex[assignment.partitionIndex] = replicas
        }
        try checkPartitionLimit(Int32(clamping: byIndex.count))
        return try (0..<Int32(byIndex.count)).map { index throws(Refusal) in
            guard let replicas = byIndex[index] else {
                throw Refusal(
                    .invalidReplicaAssignment,
                    "partitions should be a consecutive 0-based integer sequence")
            }
            return replicas
        }
    }

    /// Kafka's `validateManualPartitionAssignment`: not empty, registered brokers, none twice,
    /// and (when known) the topic's replication factor.
    static func checkManualAssignment(
        _ brokerIds: [Int32], factor: Int?, image: MetadataImage
    ) throws(Refusal) -> [NodeID] {
        if brokerIds.isEmpty {
            throw Refusal(
                .invalidReplicaAssignment,
                "The manual partition assignment includes an empty replica list.")
        }
        var previous: Int32? = nil
        for id in brokerIds.sorted() {
            if image.brokers[NodeID(id)] == nil {
                throw Refusal(
                    .invalidReplicaAssignment,
                    "The manual partition assignment includes broker \(id), but no such broker is registered."
                )
            }
            if id == previous {
                throw Refusal(
                    .invalidReplicaAssignment,
                    "The manual partition assignment includes the broker \(id) more than once.")
            }
            previous = id
        }
        if let factor, brokerIds.count != factor {
            throw Refusal(
                .invalidReplicaAssignment,
                "The manual partition assignment includes a partition with \(brokerIds.count) "
                    + "replica(s), but this is not consistent with previous partitions, which have "
                    + "\(factor) replica(s).")
        }
        return brokerIds.map { NodeID($0) }
    }
}
