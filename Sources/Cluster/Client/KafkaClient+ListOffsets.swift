// Client room: ListOffsets routed to each partition's leader, retried per partition on
// leadership errors. Used by Admin.listOffsets and by the consumer's seek and offset reset.

extension KafkaClient {
    /// Looks up an offset per partition at its leader. Partitions of unknown topics, or
    /// beyond a topic's partition count, come back with UNKNOWN_TOPIC_OR_PARTITION at once;
    /// leadership errors are retried (after a metadata refresh) within
    /// `default.api.timeout.ms`. Mirrors the ListOffsets part of Kafka's `KafkaAdminClient`
    /// and `OffsetFetcher`.
    public func listOffsets(
        _ specs: [TopicPartition: OffsetSpec], isolationLevel: Int8 = 0
    ) async throws -> [TopicPartition: ListedOffset] {
        var pending = specs
        var results: [TopicPartition: ListedOffset] = [:]
        try await withRetries("ListOffsets") { _ in
            let topics = Set(pending.keys.map(\.topic)).sorted()
            let metadata = try await metadata(for: topics)
            var byLeader: [Int32: [TopicPartition]] = [:]
            var lastCode = ErrorCode.leaderNotAvailable
            for tp in pending.keys.sorted() {
                guard metadata.topic(tp.topic)?.partition(tp.partition) != nil else {
                    let code = metadata.topicErrors[tp.topic] ?? .unknownTopicOrPartition
                    results[tp] = ListedOffset(partition: tp.partition, offset: -1, errorCode: code)
                    pending[tp] = nil
                    continue
                }
                if let leader = metadata.leader(for: tp) {
                    byLeader[leader, default: []].append(tp)
                }
            }
            for leader in byLeader.keys.sorted() {
                let partitions = byLeader[leader] ?? []
                let asked = partitions.map { ($0, pending[$0] ?? .latest) }
                let (response, _) = try await send(to: leader) { version in
                    try Self.listOffsetsRequest(
                        asked, version: version, isolationLevel: isolationLevel,
                        metadata: metadata, broker: leader)
                }
                for topic in response.topics {
                    for answer in topic.partitions {
                        let tp = TopicPartition(topic.name, answer.partitionIndex)
                        guard pending[tp] != nil else { continue }
                        if answer.errorCode.isError && answer.errorCode.isRetriable {
                            lastCode = answer.errorCode
                            continue
                        }
                        results[tp] = ListedOffset(
                            partition: answer.partitionIndex, offset: answer.offset,
                            timestamp: answer.timestamp, leaderEpoch: answer.leaderEpoch,
                            errorCode: answer.errorCode)
                        pending[tp] = nil
                    }
                }
            }
            if !pending.isEmpty {
                throw KafkaClientError.broker(
                    lastCode,
                    context: "ListOffsets for \(pending.keys.sorted().map(\.description))",
                    message: nil)
            }
        }
        return results
    }

    private static func listOffsetsRequest(
        _ asked: [(TopicPartition, OffsetSpec)], version: Int16, isolationLevel: Int8,
        metadata: MetadataCache, broker: Int32
    ) throws -> ListOffsetsRequest {
        var topics: [ListOffsetsRequest.Topic] = []
        for (tp, spec) in asked {
            guard version >= spec.minimumVersion else {
                throw KafkaClientError.unsupportedVersion(
                    api: .listOffsets, broker: broker, brokerVersions: nil,
                    clientVersions: spec.minimumVersion...ListOffsetsRequest.versions.upperBound)
            }
            let partition = ListOffsetsRequest.Partition(
                partitionIndex: tp.partition, currentLeaderEpoch: metadata.leaderEpoch(for: tp),
                timestamp: spec.wireTimestamp)
            if let index = topics.firstIndex(where: { $0.name == tp.topic }) {
                topics[index].partitions.append(partition)
            } else {
                topics.append(ListOffsetsRequest.Topic(name: tp.topic, partitions: [partition]))
            }
        }
        return ListOffsetsRequest(isolationLevel: isolationLevel, topics: topics)
    }
}
