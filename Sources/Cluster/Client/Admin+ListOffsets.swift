// Client room: Admin.listOffsets: the earliest, latest, max-timestamp or by-time offset of
// some or all partitions of one topic.

extension Admin {
    /// The offset `spec` names in each of `partitions` (all of the topic's when nil), in
    /// partition order. Throws `.unknownTopic` for a topic that does not exist.
    public func listOffsets(topic: String, partitions: [Int32]? = nil, spec: OffsetSpec)
        async throws -> [ListedOffset]
    {
        let metadata = try await client.metadata(for: [topic])
        guard let info = metadata.topic(topic) else { throw KafkaClientError.unknownTopic(topic) }
        let wanted = partitions ?? info.partitions.map(\.partition)
        var specs: [TopicPartition: OffsetSpec] = [:]
        for partition in wanted { specs[TopicPartition(topic, partition)] = spec }
        let results = try await client.listOffsets(specs)
        return wanted.sorted().compactMap { results[TopicPartition(topic, $0)] }
    }
}
