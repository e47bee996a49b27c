// Client room: one topic's outcome of a CreateTopics or DeleteTopics call, with Kafka's error
// code and message, so a partial success shows which topics failed and why.

/// The broker's answer for one topic of a create or delete.
///
/// Errors are values here, not thrown, as in Kafka's `CreateTopicsResult.values()`: creating
/// three topics where one exists gives two NONE and one TOPIC_ALREADY_EXISTS.
public struct TopicOperationResult: Sendable, Equatable {
    public var name: String
    /// `Uuid.zero` when the broker did not say (CreateTopics before v7).
    public var topicId: Uuid
    public var errorCode: ErrorCode
    public var errorMessage: String?
    /// As created, from CreateTopics v5; -1 otherwise.
    public var numPartitions: Int32
    public var replicationFactor: Int16

    public init(
        name: String, topicId: Uuid = .zero, errorCode: ErrorCode, errorMessage: String? = nil,
        numPartitions: Int32 = -1, replicationFactor: Int16 = -1
    ) {
        self.name = name
        self.topicId = topicId
        self.errorCode = errorCode
        self.errorMessage = errorMessage
        self.numPartitions = numPartitions
        self.replicationFactor = replicationFactor
    }

    public var succeeded: Bool { errorCode == .none }
}
