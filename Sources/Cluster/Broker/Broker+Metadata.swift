// Broker room: Metadata (key 3) and DescribeCluster (key 60): brokers, controller and topic
// placement, all read from this broker's metadata image.

extension Broker {
    /// The registered brokers, as Metadata lists them.
    /// Only unfenced brokers, as Kafka lists them: a fenced one cannot serve anything.
    var metadataBrokers: [MetadataResponse.Broker] {
        image.sortedBrokers.filter { !$0.fenced }.map { MetadataResponse.Broker(nodeId: $0.id.rawValue, host: $0.host, port: Int32($0.port), rack: $0.rack) }
    }

    var controllerId: Int32 { activeControllerId }

    func handleMetadata(_ request: MetadataRequest, header: RequestHeader) -> (MetadataResponse, ErrorCode) {
        var topics: [MetadataResponse.Topic] = []
        if let wanted = request.topics {
            for entry in wanted {
                var name = entry.name
                if (name ?? "").isEmpty, entry.topicId != .zero { name = image.topic(id: entry.topicId)?.name }
                guard let name, !name.isEmpty else {
                    topics.append(.init(errorCode: .unknownTopicId, name: nil, topicId: entry.topicId, isInternal: false,
                                        partitions: [], topicAuthorizedOperations: Int32.min))
                    continue
                }
                topics.append(describe(name))
            }
        } else {
            topics = image.topicNames.map(describe)
        }
        let error = topics.first { $0.errorCode != .none }?.errorCode ?? .none
        return (MetadataResponse(brokers: metadataBrokers, clusterId: identity.clusterID,
                                 controllerId: controllerId, topics: topics), error)
    }

    private func describe(_ name: String) -> MetadataResponse.Topic {
        if TopicNames.problem(with: name) != nil {
            return .init(errorCode: .invalidTopicException, name: name, topicId: .zero, isInternal: false,
                         partitions: [], topicAuthorizedOperations: Int32.min)
        }
        guard let topic = image.topic(name) else {
            // auto.create.topics.enable is false here, as the issue asks: the learner creates topics.
            return .init(errorCode: .unknownTopicOrPartition, name: name, topicId: .zero, isInternal: false,
                         partitions: [], topicAuthorizedOperations: Int32.min)
        }
        let partitions = topic.partitions.map { p in
            MetadataResponse.Partition(
                errorCode: p.leader == nil ? .leaderNotAvailable : .none, partitionIndex: p.partition,
                leaderId: p.leader?.rawValue ?? -1, leaderEpoch: p.leaderEpoch,
                replicaNodes: p.replicas.map(\.rawValue), isrNodes: p.isr.map(\.rawValue), offlineReplicas: [])
        }
        return .init(errorCode: .none, name: name, topicId: topic.id, isInternal: name.hasPrefix("__"),
                     partitions: partitions, topicAuthorizedOperations: Int32.min)
    }

    func handleDescribeCluster(_ request: DescribeClusterRequest, header: RequestHeader) -> (DescribeClusterResponse, ErrorCode) {
        let brokers = image.sortedBrokers.map {
            DescribeClusterResponse.Broker(brokerId: $0.id.rawValue, host: $0.host, port: Int32($0.port), rack: $0.rack, isFenced: $0.fenced)
        }
        return (DescribeClusterResponse(
            throttleTimeMs: 0, errorCode: .none, errorMessage: nil, endpointType: request.endpointType,
            clusterId: identity.clusterID, controllerId: controllerId, brokers: brokers,
            clusterAuthorizedOperations: Int32.min), .none)
    }
}
