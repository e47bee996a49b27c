// Client room: Admin.createPartitions, the call behind kafka-topics.sh --alter --partitions:
// grows a topic to a new partition count. Any broker forwards it to the controller.

extension Admin {
    /// Grows `topic` to `totalCount` partitions (the controller places the new ones), or with
    /// `validateOnly` only checks it could. The topic's error (INVALID_PARTITIONS for a count
    /// that does not grow it, UNKNOWN_TOPIC_OR_PARTITION) is a result; NOT_CONTROLLER and
    /// THROTTLING_QUOTA_EXCEEDED are retried. Mirrors `Admin.createPartitions`.
    public func createPartitions(
        topic: String, totalCount: Int32, validateOnly: Bool = false,
        timeout: Duration = .seconds(30)
    ) async throws -> TopicOperationResult {
        let result = try await client.withRetries("CreatePartitions") { _ in
            let node = try await controllerNode()
            let (response, _) = try await client.send(to: node) { _ in
                CreatePartitionsRequest(
                    topics: [CreatePartitionsRequest.Topic(name: topic, count: totalCount)],
                    timeoutMs: Int32(clamping: timeout.milliseconds), validateOnly: validateOnly)
            }
            guard let answer = response.results.first(where: { $0.name == topic }) else {
                return TopicOperationResult(
                    name: topic, errorCode: .unknownServerError,
                    errorMessage: "the controller did not answer for this topic")
            }
            if Self.retriesTopicOperation(answer.errorCode) {
                throw KafkaClientError.broker(
                    answer.errorCode, context: "CreatePartitions", message: answer.errorMessage)
            }
            return TopicOperationResult(
                name: topic, errorCode: answer.errorCode, errorMessage: answer.errorMessage)
        }
        // The new partitions' leaders are not in the cache yet.
        client.requestMetadataUpdate()
        return result
    }
}
