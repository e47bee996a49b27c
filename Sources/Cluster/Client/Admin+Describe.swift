// Client room: the admin client's read-only calls: list and describe topics (Metadata),
// describe the cluster (DescribeCluster, or Metadata from older brokers) and topic configs.

extension Admin {
    /// Topic names in order; internal topics (`__consumer_offsets`) only when asked.
    public func listTopics(includeInternal: Bool = false) async throws -> [String] {
        let metadata = try await client.refreshMetadata(topics: nil)
        return metadata.topicNames(includeInternal: includeInternal)
    }

    /// Each topic's id and partitions (leader, replicas, ISR), in the order asked; a topic
    /// that does not exist comes back with UNKNOWN_TOPIC_OR_PARTITION.
    public func describeTopics(_ names: [String]) async throws -> [TopicDescription] {
        let metadata = try await client.refreshMetadata(topics: names)
        return names.map { name in
            guard let topic = metadata.topic(name) else {
                return TopicDescription(
                    name: name, errorCode: metadata.topicErrors[name] ?? .unknownTopicOrPartition)
            }
            return TopicDescription(
                name: name, topicId: topic.topicId, isInternal: topic.isInternal,
                partitions: topic.partitions, errorCode: .none)
        }
    }

    /// The cluster id, controller and brokers.
    public func describeCluster() async throws -> ClusterDescription {
        try await client.withRetries("DescribeCluster") { _ in
            let connection = try await client.anyConnection()
            guard connection.versions.supports(.describeCluster) else {
                let metadata = try await client.refreshMetadataOnce(
                    topics: [], allowAutoTopicCreation: false)
                return ClusterDescription(
                    clusterId: metadata.clusterId, controllerId: metadata.controllerId,
                    brokers: metadata.brokerIds.compactMap { metadata.brokers[$0] })
            }
            let (response, _) = try await client.send(on: connection) { _ in
                DescribeClusterRequest()
            }
            guard response.errorCode == .none else {
                throw KafkaClientError.broker(
                    response.errorCode, context: "DescribeCluster", message: response.errorMessage)
            }
            let brokers = response.brokers.map {
                MetadataCache.Broker(
                    nodeId: $0.brokerId, host: $0.host, port: $0.port, rack: $0.rack)
            }.sorted { $0.nodeId < $1.nodeId }
            return ClusterDescription(
                clusterId: response.clusterId, controllerId: response.controllerId,
                brokers: brokers)
        }
    }

    /// A topic's configs, as the broker reports them (overrides and defaults), by name. The
    /// resource's own error (UNKNOWN_TOPIC_OR_PARTITION) is final, as in Kafka's admin client;
    /// only failures to get an answer are retried.
    public func describeConfigs(topic: String) async throws -> [ConfigEntry] {
        try await client.withRetries("DescribeConfigs") {
            _ -> Result<[ConfigEntry], KafkaClientError> in
            let (response, _) = try await client.sendToAny { _ in
                DescribeConfigsRequest(resources: [
                    DescribeConfigsRequest.Resource(
                        resourceType: DescribeConfigsRequest.topicResourceType,
                        resourceName: topic)
                ])
            }
            guard let result = response.results.first(where: { $0.resourceName == topic }) else {
                throw KafkaClientError.protocolError(
                    broker: -1, "DescribeConfigs did not answer for topic '\(topic)'")
            }
            guard result.errorCode == .none else {
                return .failure(
                    .broker(
                        result.errorCode, context: "DescribeConfigs for topic '\(topic)'",
                        message: result.errorMessage))
            }
            return .success(
                result.configs.map {
                    ConfigEntry(
                        name: $0.name, value: $0.value, source: $0.configSource,
                        isReadOnly: $0.readOnly, isSensitive: $0.isSensitive)
                }.sorted { $0.name < $1.name })
        }.get()
    }
}
