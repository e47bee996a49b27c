// Broker room: changing topics after creation. IncrementalAlterConfigs (44), AlterConfigs (33)
// and CreatePartitions (37) are decided by the active controller: the node forwards them there,
// so a broker alone (no node around it) answers NOT_CONTROLLER. DeleteRecords (21) moves a
// partition's log start offset on its leader.

extension Broker {
    func handleIncrementalAlterConfigs(_ request: IncrementalAlterConfigsRequest, header: RequestHeader)
        -> (IncrementalAlterConfigsResponse, ErrorCode)
    {
        return (IncrementalAlterConfigsResponse(responses: request.resources.map {
            .init(errorCode: .notController, errorMessage: "No controller is reachable.",
                  resourceType: $0.resourceType, resourceName: $0.resourceName)
        }), .notController)
    }

    func handleAlterConfigs(_ request: AlterConfigsRequest, header: RequestHeader) -> (AlterConfigsResponse, ErrorCode) {
        return (AlterConfigsResponse(responses: request.resources.map {
            .init(errorCode: .notController, errorMessage: "No controller is reachable.",
                  resourceType: $0.resourceType, resourceName: $0.resourceName)
        }), .notController)
    }

    func handleCreatePartitions(_ request: CreatePartitionsRequest, header: RequestHeader) -> (CreatePartitionsResponse, ErrorCode) {
        return (CreatePartitionsResponse(results: request.topics.map {
            .init(name: $0.name, errorCode: .notController, errorMessage: "No controller is reachable.")
        }), .notController)
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
        guard registration.leader == identity.nodeID, isLeader(tp), var log = logs.removeValue(forKey: tp) else {
            return .init(partitionIndex: p.partitionIndex, errorCode: .notLeaderOrFollower)
        }
        // Out of the dictionary while it changes (no copy of its indexes); back on every path.
        defer { logs[tp] = log }
        // Kafka deletes only below the high watermark: records above it are not committed and
        // a new leader may truncate them.
        let highWatermark = log.highWatermark
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
