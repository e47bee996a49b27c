// Client room: a record the producer has accepted but the broker may not have yet. Its
// partition is known at once; its offset once the batch is acknowledged.

/// A handle on an enqueued record, like the `Future<RecordMetadata>` of Kafka's `send`.
public struct PendingRecord: Sendable {
    public let topic: String
    public let partition: Int32
    public let partitionChoice: PartitionChoice
    /// The record's CreateTime.
    public let timestamp: Int64
    let index: Int32
    let completion: BatchCompletion

    init(
        topic: String, partition: Int32, partitionChoice: PartitionChoice, timestamp: Int64,
        index: Int32, completion: BatchCompletion
    ) {
        self.topic = topic
        self.partition = partition
        self.partitionChoice = partitionChoice
        self.timestamp = timestamp
        self.index = index
        self.completion = completion
    }

    /// Whether the batch has its answer already.
    public var isDone: Bool { completion.outcome != nil }

    /// Waits for the batch's answer; throws the batch's error.
    public func metadata() async throws(KafkaClientError) -> RecordMetadata {
        try resolve(await completion.wait())
    }

    func resolve(_ outcome: BatchCompletion.Outcome) throws(KafkaClientError) -> RecordMetadata {
        switch outcome {
        case .failure(let error):
            throw error
        case .success(let baseOffset, let logAppendTime):
            // The base offset is the broker's number: add without trapping.
            let (offset, overflow) = baseOffset.addingReportingOverflow(Int64(index))
            return RecordMetadata(
                topic: topic, partition: partition,
                offset: baseOffset < 0 || overflow ? -1 : offset,
                timestamp: logAppendTime >= 0 ? logAppendTime : timestamp,
                partitionChoice: partitionChoice)
        }
    }
}
