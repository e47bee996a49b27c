// Broker room: CreateTopics (19), DeleteTopics (20), DescribeConfigs (32) and InitProducerId
// (22). Topic changes are decided by the active controller: the node forwards them there, as
// Kafka brokers do, so a broker alone (no node around it) answers NOT_CONTROLLER.

extension Broker {
    func handleCreateTopics(_ request: CreateTopicsRequest, header: RequestHeader) -> (CreateTopicsResponse, ErrorCode) {
        (CreateTopicsResponse(topics: request.topics.map {
            .init(name: $0.name, topicId: .zero, errorCode: .notController, errorMessage: "No controller is reachable.")
        }), .notController)
    }

    func handleDeleteTopics(_ request: DeleteTopicsRequest, header: RequestHeader) -> (DeleteTopicsResponse, ErrorCode) {
        (DeleteTopicsResponse(), .notController)
    }

    /// Broker-level settings a learner may ask about, with this cluster's values.
    var brokerConfigs: [(String, String)] {
        [("auto.create.topics.enable", "false"), ("default.replication.factor", "1"),
         ("group.initial.rebalance.delay.ms", "\(Self.groupConfig.initialRebalanceDelay.milliseconds)"),
         ("group.max.session.timeout.ms", "\(Self.groupConfig.maxSessionTimeout.milliseconds)"),
         ("group.min.session.timeout.ms", "\(Self.groupConfig.minSessionTimeout.milliseconds)"),
         ("log.retention.check.interval.ms", "\(retentionCheckInterval.milliseconds)"),
         ("message.max.bytes", "\(Limits.batchBytesMax)"), ("node.id", "\(identity.nodeID)"),
         ("num.partitions", "1"), ("offsets.commit.timeout.ms", "\(Self.offsetsCommitTimeout.milliseconds)"),
         ("offsets.topic.num.partitions", "\(Self.groupConfig.offsetsTopicNumPartitions)"),
         ("offsets.topic.replication.factor", "\(offsetsTopicReplicationFactor)"), ("socket.request.max.bytes", "\(Limits.frameBytesMax)"),
         ("unclean.leader.election.enable", "false")]
    }

    func handleDescribeConfigs(_ request: DescribeConfigsRequest, header: RequestHeader) -> (DescribeConfigsResponse, ErrorCode) {
        let results = request.resources.map { resource -> DescribeConfigsResponse.ResourceResult in
            let entries: [(String, String, Bool)]
            switch resource.resourceType {
            case DescribeConfigsRequest.topicResourceType:
                // Kafka's ConfigHelper runs Topic.validate before it looks the topic up.
                if let problem = TopicNames.problem(with: resource.resourceName) {
                    return .init(errorCode: .invalidTopicException, errorMessage: problem,
                                 resourceType: resource.resourceType, resourceName: resource.resourceName, configs: [])
                }
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

    /// A block of producer ids from the controller (AllocateProducerIds); InitProducerId hands
    /// them out one by one.
    public mutating func adoptProducerIds(_ block: Range<Int64>) {
        producerIdBlock = block
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
        // The node asks the controller for a block (AllocateProducerIds) and retries the
        // request once it has one.
        guard !producerIdBlock.isEmpty else {
            return (InitProducerIdResponse(errorCode: .coordinatorNotAvailable), .coordinatorNotAvailable)
        }
        let id = producerIdBlock.lowerBound
        producerIdBlock = (id + 1)..<producerIdBlock.upperBound
        return (InitProducerIdResponse(errorCode: .none, producerId: id, producerEpoch: 0), .none)
    }
}
