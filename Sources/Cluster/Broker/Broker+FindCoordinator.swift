// Broker room: FindCoordinator (10). Answers with the leader of the __consumer_offsets
// partition a group hashes to, creating that internal topic the first time it is needed.

extension Broker {
    /// Kafka's `KafkaApis.handleFindCoordinatorRequest`: one answer per key (v4 batches keys,
    /// KIP-699). Groups only; this cluster has no transaction coordinator.
    mutating func handleFindCoordinator(
        _ request: FindCoordinatorRequest, header: RequestHeader
    ) -> (FindCoordinatorResponse, ErrorCode) {
        let keys = request.keys(version: header.apiVersion)
        let answers: [FindCoordinatorResponse.Coordinator]
        switch request.keyType {
        case FindCoordinatorRequest.keyTypeGroup:
            let ready = ensureOffsetsTopic()
            answers = keys.map {
                ready ? groupCoordinator(for: $0) : Self.notAvailable($0, "The __consumer_offsets topic does not exist yet; the controller is creating it.")
            }
        case FindCoordinatorRequest.keyTypeTransaction:
            // Kafka answers COORDINATOR_NOT_AVAILABLE while `__transaction_state` cannot be
            // created; without transactions that is always the case here.
            answers = keys.map { Self.notAvailable($0, "Transactions are not supported by this cluster yet.") }
        default:
            answers = keys.map {
                .init(key: $0, nodeId: -1, host: "", port: -1, errorCode: .invalidRequest,
                      errorMessage: "Unknown coordinator key type \(request.keyType).")
            }
        }
        let response = FindCoordinatorResponse(version: header.apiVersion, coordinators: answers)
        return (response, answers.first { $0.errorCode != .none }?.errorCode ?? .none)
    }

    private static func notAvailable(_ key: String, _ message: String) -> FindCoordinatorResponse.Coordinator {
        .init(key: key, nodeId: -1, host: "", port: -1, errorCode: .coordinatorNotAvailable, errorMessage: message)
    }

    /// The broker leading the group's `__consumer_offsets` partition, or
    /// COORDINATOR_NOT_AVAILABLE while that partition has no (live) leader.
    private func groupCoordinator(for groupId: String) -> FindCoordinatorResponse.Coordinator {
        let partition = groups.offsetsPartition(for: groupId)
        guard let registration = image.partition(Self.offsetsTopicName, partition),
            let leader = registration.leader, let broker = image.brokers[leader], !broker.fenced,
            let port = Int32(exactly: broker.port)
        else {
            return Self.notAvailable(groupId, "The coordinator's partition \(Self.offsetsTopicName)-\(partition) has no leader.")
        }
        return .init(key: groupId, nodeId: leader.rawValue, host: broker.host, port: port)
    }

    /// Creates `__consumer_offsets` through the controller if it does not exist yet, as Kafka
    /// creates it on the first FindCoordinator for a group. Returns whether the topic exists.
    ///
    /// Kafka makes it `cleanup.policy=compact`, keeping the newest record per key forever.
    /// This cluster has no log compaction yet, so the topic keeps everything instead
    /// (`retention.ms=-1`): reloading replays every record and the last one per key wins.
    private mutating func ensureOffsetsTopic() -> Bool {
        if image.topic(Self.offsetsTopicName) != nil { return true }
        let topic = CreateTopicsRequest.Topic(
            name: Self.offsetsTopicName, numPartitions: groups.config.offsetsTopicNumPartitions,
            replicationFactor: offsetsTopicReplicationFactor,
            configs: [.init(name: "retention.ms", value: "-1")])
        // The node forwards a CreateTopics to the controller; the client is told
        // COORDINATOR_NOT_AVAILABLE meanwhile and retries, as with Kafka.
        wantedOffsetsTopic = topic
        return false
    }
}

extension Broker {
    /// The internal topic this broker asked for since the last call, if any.
    mutating func takeWantedOffsetsTopic() -> CreateTopicsRequest.Topic? {
        defer { wantedOffsetsTopic = nil }
        return wantedOffsetsTopic
    }
}
