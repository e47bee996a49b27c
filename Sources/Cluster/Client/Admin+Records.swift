// Client room: Admin.deleteRecords, the call behind kafka-delete-records.sh: moves partitions'
// log start offsets forward. Each partition's leader does it, so requests go to leaders.

/// One partition's outcome of `deleteRecords`: its new low watermark (log start offset), or
/// why it did not move. Mirrors Kafka's `DeletedRecords` with the error kept as a value.
public struct DeletedRecords: Sendable, Equatable {
    public var topicPartition: TopicPartition
    /// The log start offset after the call; -1 when the leader did not say.
    public var lowWatermark: Int64
    public var errorCode: ErrorCode

    public init(_ topicPartition: TopicPartition, lowWatermark: Int64, errorCode: ErrorCode) {
        self.topicPartition = topicPartition
        self.lowWatermark = lowWatermark
        self.errorCode = errorCode
    }
}

extension Admin {
    /// Deletes every record before `beforeOffsets[tp]` in each partition (`-1` means the high
    /// watermark, as in Kafka's `RecordsToDelete.beforeOffset`). Requests go to each
    /// partition's leader; partitions answered NOT_LEADER_OR_FOLLOWER or LEADER_NOT_AVAILABLE
    /// are routed again after a metadata refresh. Per-partition errors are results, sorted by
    /// partition. Mirrors `Admin.deleteRecords`.
    public func deleteRecords(
        beforeOffsets: [TopicPartition: Int64], timeout: Duration = .seconds(30)
    ) async throws -> [DeletedRecords] {
        var pending = beforeOffsets
        var results: [TopicPartition: DeletedRecords] = [:]
        try await client.withRetries("DeleteRecords") { _ in
            let topics = Set(pending.keys.map(\.topic)).sorted()
            let metadata = try await client.refreshMetadata(topics: topics)
            var byLeader: [Int32: [TopicPartition: Int64]] = [:]
            for (tp, offset) in pending {
                guard let topic = metadata.topic(tp.topic), topic.partition(tp.partition) != nil else {
                    results[tp] = DeletedRecords(tp, lowWatermark: -1, errorCode: .unknownTopicOrPartition)
                    pending[tp] = nil
                    continue
                }
                guard let leader = metadata.leader(for: tp), leader >= 0 else { continue }
                byLeader[leader, default: [:]][tp] = offset
            }
            for (leader, asked) in byLeader.sorted(by: { $0.key < $1.key }) {
                let (response, _) = try await client.send(to: leader) { _ in
                    DeleteRecordsRequest(
                        topics: Self.grouped(asked).map { topic, partitions in
                            DeleteRecordsRequest.Topic(
                                name: topic,
                                partitions: partitions.map {
                                    DeleteRecordsRequest.Partition(partitionIndex: $0.0, offset: $0.1)
                                })
                        },
                        timeoutMs: Int32(clamping: timeout.milliseconds))
                }
                for topic in response.topics {
                    for p in topic.partitions {
                        let tp = TopicPartition(topic.name, p.partitionIndex)
                        guard asked[tp] != nil else { continue }
                        if p.errorCode == .notLeaderOrFollower || p.errorCode == .leaderNotAvailable {
                            continue
                        }
                        results[tp] = DeletedRecords(tp, lowWatermark: p.lowWatermark, errorCode: p.errorCode)
                        pending[tp] = nil
                    }
                }
            }
            if !pending.isEmpty {
                throw KafkaClientError.broker(
                    .notLeaderOrFollower, context: "DeleteRecords",
                    message: "no leader answered for \(pending.keys.sorted().map(\.description))")
            }
        }
        return results.values.sorted { $0.topicPartition < $1.topicPartition }
    }

    /// `(partition, value)` pairs per topic, both in order, for request bodies.
    static func grouped<Value>(_ values: [TopicPartition: Value]) -> [(String, [(Int32, Value)])] {
        var byTopic: [String: [(Int32, Value)]] = [:]
        for (tp, value) in values { byTopic[tp.topic, default: []].append((tp.partition, value)) }
        return byTopic.keys.sorted().map { topic in
            (topic, byTopic[topic, default: []].sorted { $0.0 < $1.0 })
        }
    }
}
