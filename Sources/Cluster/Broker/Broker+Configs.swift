// Broker room: changing topics after creation: IncrementalAlterConfigs (44), AlterConfigs (33),
// CreatePartitions (37) go to the controller; DeleteRecords (21) moves a partition's log start
// offset on its leader.

extension Broker {
    mutating func handleIncrementalAlterConfigs(_ request: IncrementalAlterConfigsRequest, header: RequestHeader, now: Instant, wallClockMs: Int64)
        -> (IncrementalAlterConfigsResponse, ErrorCode)
    {
        guard let controller else {
            return (IncrementalAlterConfigsResponse(responses: request.resources.map {
                .init(errorCode: .notController, errorMessage: "No controller is reachable.",
                      resourceType: $0.resourceType, resourceName: $0.resourceName)
            }), .notController)
        }
        let (response, newImage) = controller.incrementalAlterConfigs(request)
        if !request.validateOnly { apply(image: newImage, now: now, wallClockMs: wallClockMs) }
        return (response, response.responses.first { $0.errorCode != .none }?.errorCode ?? .none)
    }

    mutating func handleAlterConfigs(_ request: AlterConfigsRequest, header: RequestHeader, now: Instant, wallClockMs: Int64)
        -> (AlterConfigsResponse, ErrorCode)
    {
        guard let controller else {
            return (AlterConfigsResponse(responses: request.resources.map {
                .init(errorCode: .notController, errorMessage: "No controller is reachable.",
                      resourceType: $0.resourceType, resourceName: $0.resourceName)
            }), .notController)
        }
        let (response, newImage) = controller.alterConfigs(request)
        if !request.validateOnly { apply(image: newImage, now: now, wallClockMs: wallClockMs) }
        return (response, response.responses.first { $0.errorCode != .none }?.errorCode ?? .none)
    }

    mutating func handleCreatePartitions(_ request: CreatePartitionsRequest, header: RequestHeader, now: Instant, wallClockMs: Int64)
        -> (CreatePartitionsResponse, ErrorCode)
    {
        guard let controller else {
            return (CreatePartitionsResponse(results: request.topics.map {
                .init(name: $0.name, errorCode: .notController, errorMessage: "No controller is reachable.")
            }), .notController)
        }
        let (response, newImage) = controller.createPartitions(request)
        if !request.validateOnly { apply(image: newImage, now: now, wallClockMs: wallClockMs) }
        return (response, response.results.first { $0.errorCode != .none }?.errorCode ?? .none)
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
