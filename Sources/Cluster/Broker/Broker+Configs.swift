// Broker room: changing topics after creation: IncrementalAlterConfigs (44), AlterConfigs (33),
// CreatePartitions (37) go to the controller; DeleteRecords (21) moves a partition's log start
// offset on its leader.

extension Broker {
    private var topicResource: Int8 { DescribeConfigsRequest.topicResourceType }

    mutating func handleIncrementalAlterConfigs(_ request: IncrementalAlterConfigsRequest, header: RequestHeader, now: Instant, wallClockMs: Int64)
        -> (IncrementalAlterConfigsResponse, ErrorCode)
    {
        let responses = request.resources.map { resource -> IncrementalAlterConfigsResponse.ResourceResponse in
            var changes: [String: String?] = [:]
            for config in resource.configs {
                switch config.configOperation {
                case .set: changes[config.name] = .some(config.value ?? "")
                case .delete: changes[config.name] = .some(nil)
                default:
                    return .init(errorCode: .invalidRequest, errorMessage: "\(config.configOperation) is only for list-valued configs; \(config.name) is not one.",
                                 resourceType: resource.resourceType, resourceName: resource.resourceName)
                }
            }
            let (code, message) = alterTopic(resource.resourceType, resource.resourceName, changes, validateOnly: request.validateOnly, now: now, wallClockMs: wallClockMs)
            return .init(errorCode: code, errorMessage: message, resourceType: resource.resourceType, resourceName: resource.resourceName)
        }
        return (IncrementalAlterConfigsResponse(responses: responses), responses.first { $0.errorCode != .none }?.errorCode ?? .none)
    }

    mutating func handleAlterConfigs(_ request: AlterConfigsRequest, header: RequestHeader, now: Instant, wallClockMs: Int64)
        -> (AlterConfigsResponse, ErrorCode)
    {
        let responses = request.resources.map { resource -> AlterConfigsResponse.ResourceResponse in
            // The legacy API replaces the whole set: keys not given go back to their defaults.
            var changes: [String: String?] = [:]
            for key in image.topic(resource.resourceName)?.configs.keys.sorted() ?? [] { changes[key] = .some(nil) }
            for config in resource.configs { changes[config.name] = .some(config.value) }
            let (code, message) = alterTopic(resource.resourceType, resource.resourceName, changes, validateOnly: request.validateOnly, now: now, wallClockMs: wallClockMs)
            return .init(errorCode: code, errorMessage: message, resourceType: resource.resourceType, resourceName: resource.resourceName)
        }
        return (AlterConfigsResponse(responses: responses), responses.first { $0.errorCode != .none }?.errorCode ?? .none)
    }

    private mutating func alterTopic(
        _ type: Int8, _ name: String, _ changes: [String: String?], validateOnly: Bool, now: Instant, wallClockMs: Int64
    ) -> (ErrorCode, String?) {
        guard type == topicResource else {
            return (.invalidRequest, "Only topic configs can be changed in this cluster; broker configs are fixed (see DescribeConfigs).")
        }
        guard image.topic(name) != nil else { return (.unknownTopicOrPartition, "The topic '\(name)' does not exist.") }
        guard let controller else { return (.notController, "No controller is reachable.") }
        let (problem, newImage) = controller.alterTopicConfigs(name, changes, validateOnly: validateOnly)
        if let problem { return (.invalidConfig, problem) }
        apply(image: newImage, now: now, wallClockMs: wallClockMs)
        return (.none, nil)
    }

    mutating func handleCreatePartitions(_ request: CreatePartitionsRequest, header: RequestHeader, now: Instant, wallClockMs: Int64)
        -> (CreatePartitionsResponse, ErrorCode)
    {
        var results: [CreatePartitionsResponse.TopicResult] = []
        for topic in request.topics {
            if topic.assignments != nil {
                results.append(.init(name: topic.name, errorCode: .invalidReplicaAssignment, errorMessage: "Manual assignments are not supported here; give only the new count."))
                continue
            }
            guard let controller else {
                results.append(.init(name: topic.name, errorCode: .notController, errorMessage: "No controller is reachable."))
                continue
            }
            let (problem, newImage) = controller.createPartitions(topic.name, count: topic.count, validateOnly: request.validateOnly)
            if let (code, message) = problem {
                results.append(.init(name: topic.name, errorCode: code, errorMessage: message))
            } else {
                apply(image: newImage, now: now, wallClockMs: wallClockMs)
                results.append(.init(name: topic.name))
            }
        }
        return (CreatePartitionsResponse(results: results), results.first { $0.errorCode != .none }?.errorCode ?? .none)
    }

    mutating func handleDeleteRecords(_ request: DeleteRecordsRequest, header: RequestHeader) -> (DeleteRecordsResponse, ErrorCode) {
        var first = ErrorCode.none
        let topics = request.topics.map { topic in
            DeleteRecordsResponse.TopicResult(name: topic.name, partitions: topic.partitions.map { p in
                let result = deleteRecords(topic.name, p)
                if result.errorCode != .none && first == .none { first = result.errorCode }
                return result
            })
        }
        return (DeleteRecordsResponse(topics: topics), first)
    }

    private mutating func deleteRecords(_ topic: String, _ p: DeleteRecordsRequest.Partition) -> DeleteRecordsResponse.PartitionResult {
        guard let registration = image.partition(topic, p.partitionIndex) else {
            return .init(partitionIndex: p.partitionIndex, errorCode: .unknownTopicOrPartition)
        }
        let tp = TopicPartition(topic: topic, partition: p.partitionIndex)
        guard registration.leader == identity.nodeID, var log = logs.removeValue(forKey: tp) else {
            return .init(partitionIndex: p.partitionIndex, errorCode: .notLeaderOrFollower)
        }
        // Out of the dictionary while it changes (no copy of its indexes); back on every path.
        defer { logs[tp] = log }
        let highWatermark = log.logEndOffset
        let target = p.offset == DeleteRecordsRequest.highWatermark ? highWatermark : p.offset
        guard target >= 0, target <= highWatermark else {
            return .init(partitionIndex: p.partitionIndex, lowWatermark: log.logStartOffset, errorCode: .offsetOutOfRange)
        }
        do {
            let start = try log.deleteRecords(before: target)
            notices.append("broker \(identity.nodeID): DeleteRecords moved the log start offset of \(tp) to \(start)")
            return .init(partitionIndex: p.partitionIndex, lowWatermark: start)
        } catch {
            return .init(partitionIndex: p.partitionIndex, lowWatermark: log.logStartOffset, errorCode: error.errorCode)
        }
    }
}
