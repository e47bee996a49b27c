// Client room: the admin client over a KafkaClient: create and delete topics, describe them
// and the cluster, list offsets and read configs. Kafka's Admin API, async.

/// Kafka's `Admin` client: topic and cluster management through the wire protocol.
///
/// Topic creation and deletion go to the controller the metadata names (in KRaft any broker
/// forwards them) and are retried, for the topics concerned only, on NOT_CONTROLLER and
/// THROTTLING_QUOTA_EXCEEDED; each call is bounded by `default.api.timeout.ms`. Per-topic
/// errors are results, not throws. Mirrors Kafka's `KafkaAdminClient`.
public struct Admin: Sendable {
    public let client: KafkaClient

    public init(client: KafkaClient) { self.client = client }

    // MARK: - Create and delete

    /// Creates `topics` (or, with `validateOnly`, only checks they could be created).
    /// `timeout` is the CreateTopics timeout the controller waits for the topics.
    public func createTopics(
        _ topics: [NewTopic], validateOnly: Bool = false, timeout: Duration = .seconds(30)
    ) async throws -> [TopicOperationResult] {
        var pending = topics
        var results: [String: TopicOperationResult] = [:]
        try await client.withRetries("CreateTopics") { _ in
            let node = try await controllerNode()
            let asked = pending
            let (response, _) = try await client.send(to: node) { _ in
                CreateTopicsRequest(
                    topics: asked.map { topic in
                        CreateTopicsRequest.Topic(
                            name: topic.name, numPartitions: topic.numPartitions,
                            replicationFactor: topic.replicationFactor,
                            configs: topic.configs.keys.sorted().map {
                                CreateTopicsRequest.Config(name: $0, value: topic.configs[$0])
                            })
                    },
                    timeoutMs: Int32(clamping: timeout.milliseconds), validateOnly: validateOnly)
            }
            var retry: [NewTopic] = []
            var retryCode = ErrorCode.none
            for topic in asked {
                guard let answer = response.topics.first(where: { $0.name == topic.name }) else {
                    results[topic.name] = TopicOperationResult(
                        name: topic.name, errorCode: .unknownServerError,
                        errorMessage: "the controller did not answer for this topic")
                    continue
                }
                if Self.retriesTopicOperation(answer.errorCode) {
                    retry.append(topic)
                    retryCode = answer.errorCode
                    continue
                }
                results[topic.name] = TopicOperationResult(
                    name: topic.name, topicId: answer.topicId, errorCode: answer.errorCode,
                    errorMessage: answer.errorMessage, numPartitions: answer.numPartitions,
                    replicationFactor: answer.replicationFactor)
            }
            pending = retry
            if !retry.isEmpty {
                throw KafkaClientError.broker(retryCode, context: "CreateTopics", message: nil)
            }
        }
        return topics.compactMap { results[$0.name] }
    }

    /// Deletes topics by name.
    public func deleteTopics(_ names: [String], timeout: Duration = .seconds(30))
        async throws -> [TopicOperationResult]
    {
        var pending = names
        var results: [String: TopicOperationResult] = [:]
        try await client.withRetries("DeleteTopics") { _ in
            let node = try await controllerNode()
            let asked = pending
            let (response, _) = try await client.send(to: node) { _ in
                DeleteTopicsRequest(
                    topics: asked.map { DeleteTopicsRequest.Topic(name: $0) },
                    timeoutMs: Int32(clamping: timeout.milliseconds))
            }
            var retry: [String] = []
            var retryCode = ErrorCode.none
            for name in asked {
                guard let answer = response.responses.first(where: { $0.name == name }) else {
                    results[name] = TopicOperationResult(
                        name: name, errorCode: .unknownServerError,
                        errorMessage: "the controller did not answer for this topic")
                    continue
                }
                if Self.retriesTopicOperation(answer.errorCode) {
                    retry.append(name)
                    retryCode = answer.errorCode
                    continue
                }
                results[name] = TopicOperationResult(
                    name: name, topicId: answer.topicId, errorCode: answer.errorCode,
                    errorMessage: answer.errorMessage)
            }
            pending = retry
            if !retry.isEmpty {
                throw KafkaClientError.broker(retryCode, context: "DeleteTopics", message: nil)
            }
        }
        client.requestMetadataUpdate()
        return names.compactMap { results[$0] }
    }

    /// The per-topic codes Kafka's admin client retries for topic creation and deletion.
    static func retriesTopicOperation(_ code: ErrorCode) -> Bool {
        code == .notController || code == .throttlingQuotaExceeded
    }

    /// The controller the metadata names, or any broker when it names none.
    func controllerNode() async throws -> Int32 {
        let metadata = try await client.metadata(for: [])
        if metadata.controllerId >= 0, metadata.brokers[metadata.controllerId] != nil {
            return metadata.controllerId
        }
        return try await client.anyConnection().nodeId
    }
}
