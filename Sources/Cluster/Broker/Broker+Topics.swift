// Broker room: CreateTopics (19), DeleteTopics (20) and DescribeConfigs (32). Topic changes go
// to the controller, as Kafka brokers forward them; the new image is adopted at once.

extension Broker {
    mutating func handleCreateTopics(_ request: CreateTopicsRequest, header: RequestHeader, now: Instant, wallClockMs: Int64)
        -> (CreateTopicsResponse, ErrorCode)
    {
        guard let controller else {
            return (CreateTopicsResponse(topics: request.topics.map {
                .init(name: $0.name, topicId: .zero, errorCode: .notController, errorMessage: "No controller is reachable.")
            }), .notController)
        }
        let (response, newImage) = controller.createTopics(request)
        if !request.validateOnly { apply(image: newImage, now: now, wallClockMs: wallClockMs) }
        return (response, response.topics.first { $0.errorCode != .none }?.errorCode ?? .none)
    }

    mutating func handleDeleteTopics(_ request: DeleteTopicsRequest, header: RequestHeader, now: Instant, wallClockMs: Int64)
        -> (DeleteTopicsResponse, ErrorCode)
    {
        guard let controller else { return (DeleteTopicsResponse(), .notController) }
        let (response, newImage) = controller.deleteTopics(request)
        apply(image: newImage, now: now, wallClockMs: wallClockMs)
        return (response, response.responses.first { $0.errorCode != .none }?.errorCode ?? .none)
    }

    /// Broker-level settings a learner may ask about, with this cluster's values.
    var brokerConfigs: [(String, String)] {
        [("auto.create.topics.enable", "false"), ("default.replication.factor", "1"),
         ("group.initial.rebalance.delay.ms", "\(Self.groupConfig.initialRebalanceDelay.milliseconds)"),
         ("group.max.session.timeout.ms", "\(Self.groupConfig.maxSessionTimeout.milliseconds)"),
         ("group.min.session.timeout.ms", "\(Self.groupConfig.minSessionTimeout.milliseconds)"),
         ("log.retention.check.interval.ms", "\(retentionCheckInterval.milliseconds)"),
         ("message.max.bytes", "\(Limits.batchBytesMax)"), ("node.id", "\(identity.nodeID)"),
         ("num.partitions", "1"),
         ("offsets.topic.num.partitions", "\(Self.groupConfig.offsetsTopicNumPartitions)"),
         ("offsets.topic.replication.factor", "\(Self.offsetsTopicReplicationFactor)"), ("socket.request.max.bytes", "\(Limits.frameBytesMax)"),
         ("unclean.leader.election.enable", "false")]
    }

    func handleDescribeConfigs(_ request: DescribeConfigsRequest, header: RequestHeader) -> (DescribeConfigsResponse, ErrorCode) {
        let results = request.resources.map { resource -> DescribeConfigsResponse.ResourceResult in
            let entries: [(String, String, Bool)]
            switch resource.resourceType {
            case DescribeConfigsRequest.topicResourceType:
                guard let topic = image.topic(resource.resourceName) else {
                    return .init(errorCode: .unknownTopicOrPartition, errorMessage: "Topic \(resource.resourceName) does not exist.",
                                 resourceType: resource.resourceType, resourceName: resource.resourceName, configs: [])
                }
                entries = TopicConfigs.describe(topic.configs).map { ($0.name, $0.value, $0.isDefault) }
            case DescribeConfigsRequest.brokerResourceType:
                entries = brokerConfigs.map { ($0.0, $0.1, true) }
            default:
                return .init(errorCode: .invalidRequest, errorMessage: "Only topic and broker configs can be described here.",
                             resourceType: resource.resourceType, resourceName: resource.resourceName, configs: [])
            }
            let keys = resource.configurationKeys.map(Set.init)
            let configs = entries.filter { keys?.contains($0.0) ?? true }.map { name, value, isDefault in
                DescribeConfigsResponse.Config(
                    name: name, value: value, readOnly: resource.resourceType != DescribeConfigsRequest.topicResourceType,
                    configSource: isDefault ? 5 : (resource.resourceType == DescribeConfigsRequest.topicResourceType ? 1 : 4),
                    isSensitive: false, synonyms: [], configType: 0, documentation: nil)
            }
            return .init(errorCode: .none, errorMessage: nil, resourceType: resource.resourceType,
                         resourceName: resource.resourceName, configs: configs)
        }
        return (DescribeConfigsResponse(results: results), results.first { $0.errorCode != .none }?.errorCode ?? .none)
    }

    mutating func handleInitProducerId(_ request: InitProducerIdRequest, header: RequestHeader) -> (InitProducerIdResponse, ErrorCode) {
        if request.transactionalId != nil {
            return (InitProducerIdResponse(errorCode: .transactionalIdAuthorizationFailed), .transactionalIdAuthorizationFailed)
        }
        // KIP-360: a producer that already has an id asks for its epoch to be bumped.
        if request.producerId >= 0 {
            let epoch = request.producerEpoch < Int16.max - 1 ? request.producerEpoch + 1 : 0
            return (InitProducerIdResponse(errorCode: .none, producerId: request.producerId, producerEpoch: epoch), .none)
        }
        if producerIdBlock.isEmpty {
            guard let controller else { return (InitProducerIdResponse(errorCode: .coordinatorNotAvailable), .coordinatorNotAvailable) }
            let epoch = image.brokers[identity.nodeID]?.epoch ?? -1
            producerIdBlock = controller.allocateProducerIds(
                AllocateProducerIdsRequest(brokerId: identity.nodeID.rawValue, brokerEpoch: epoch)).block
            guard !producerIdBlock.isEmpty else {
                return (InitProducerIdResponse(errorCode: .coordinatorNotAvailable), .coordinatorNotAvailable)
            }
        }
        let id = producerIdBlock.lowerBound
        producerIdBlock = (id + 1)..<producerIdBlock.upperBound
        return (InitProducerIdResponse(errorCode: .none, producerId: id, producerEpoch: 0), .none)
    }
}
