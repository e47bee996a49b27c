// Client room: the admin client's config changes, as kafka-configs.sh --alter makes them:
// IncrementalAlterConfigs (SET, DELETE, APPEND, SUBTRACT per key) and the legacy
// AlterConfigs, which replaces a topic's whole set of overrides.

/// One change of an IncrementalAlterConfigs call. Mirrors Kafka's `AlterConfigOp`.
public struct AlterConfigOp: Sendable, Equatable {
    public typealias OpType = IncrementalAlterConfigsRequest.ConfigOperation

    public var name: String
    public var opType: OpType
    /// The value to set, or the list items to append or subtract; nil for DELETE.
    public var value: String?

    public init(name: String, opType: OpType, value: String?) {
        self.name = name
        self.opType = opType
        self.value = value
    }

    public static func set(_ name: String, _ value: String) -> AlterConfigOp {
        AlterConfigOp(name: name, opType: .set, value: value)
    }
    /// Returns the key to its default (the broker's setting or Kafka's).
    public static func delete(_ name: String) -> AlterConfigOp {
        AlterConfigOp(name: name, opType: .delete, value: nil)
    }
    /// Adds comma-separated items to a list config (cleanup.policy, ...).
    public static func append(_ name: String, _ value: String) -> AlterConfigOp {
        AlterConfigOp(name: name, opType: .append, value: value)
    }
    /// Removes comma-separated items from a list config.
    public static func subtract(_ name: String, _ value: String) -> AlterConfigOp {
        AlterConfigOp(name: name, opType: .subtract, value: value)
    }
}

extension Admin {
    /// Applies `operations` to `topic`'s configs, or with `validateOnly` only checks them.
    /// The topic's error (INVALID_CONFIG with the reason, UNKNOWN_TOPIC_OR_PARTITION) is a
    /// result. Any broker forwards the change to the controller. Mirrors
    /// `Admin.incrementalAlterConfigs`.
    public func incrementalAlterConfigs(
        topic: String, _ operations: [AlterConfigOp], validateOnly: Bool = false
    ) async throws -> TopicOperationResult {
        try await client.withRetries("IncrementalAlterConfigs") { _ in
            let (response, _) = try await client.sendToAny { _ in
                IncrementalAlterConfigsRequest(
                    resources: [
                        .init(
                            resourceType: DescribeConfigsRequest.topicResourceType,
                            resourceName: topic,
                            configs: operations.map {
                                .init(name: $0.name, configOperation: $0.opType, value: $0.value)
                            })
                    ], validateOnly: validateOnly)
            }
            return try Self.configResult(topic, response.responses)
        }
    }

    /// Replaces `topic`'s overrides with exactly `configs`: a key left out returns to its
    /// default. Kafka deprecates this call for `incrementalAlterConfigs`, which changes only
    /// the keys named; kafka-configs.sh used it before Kafka 2.3. Mirrors `Admin.alterConfigs`.
    public func alterConfigs(
        topic: String, _ configs: [String: String], validateOnly: Bool = false
    ) async throws -> TopicOperationResult {
        try await client.withRetries("AlterConfigs") { _ in
            let (response, _) = try await client.sendToAny { _ in
                AlterConfigsRequest(
                    resources: [
                        .init(
                            resourceType: DescribeConfigsRequest.topicResourceType,
                            resourceName: topic,
                            configs: configs.keys.sorted().map { .init(name: $0, value: configs[$0]) })
                    ], validateOnly: validateOnly)
            }
            return try Self.configResult(topic, response.responses)
        }
    }

    /// The topic's answer among `responses`; NOT_CONTROLLER (the change reached a controller
    /// that had just resigned) is thrown to be retried.
    static func configResult(_ topic: String, _ responses: [AlterConfigsResourceResponse])
        throws -> TopicOperationResult
    {
        guard let answer = responses.first(where: { $0.resourceName == topic }) else {
            throw KafkaClientError.protocolError(
                broker: -1, "the broker did not answer for topic '\(topic)'")
        }
        if answer.errorCode == .notController {
            throw KafkaClientError.broker(
                answer.errorCode, context: "config change of '\(topic)'", message: answer.errorMessage)
        }
        return TopicOperationResult(
            name: topic, errorCode: answer.errorCode, errorMessage: answer.errorMessage)
    }
}
