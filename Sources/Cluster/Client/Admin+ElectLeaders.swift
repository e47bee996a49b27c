// Client room: Admin.electLeaders, the call behind kafka-leader-election.sh: a PREFERRED or
// UNCLEAN leader election for some partitions or all of them. Any broker forwards it to the
// controller, which answers once the new leaders are committed.

/// One partition's outcome of an election (an entry of Kafka's
/// `ElectLeadersResult.partitions()`): NONE when its leader changed, ELECTION_NOT_NEEDED when
/// the wanted leader already leads, or why no leader could be elected.
public struct ElectionResult: Sendable, Equatable {
    public var topicPartition: TopicPartition
    public var errorCode: ErrorCode
    public var errorMessage: String?

    public init(_ topicPartition: TopicPartition, errorCode: ErrorCode, errorMessage: String? = nil)
    {
        self.topicPartition = topicPartition
        self.errorCode = errorCode
        self.errorMessage = errorMessage
    }
}

extension Admin {
    /// Runs `type` elections for `partitions`, or for every partition when nil (then the
    /// answer names only the partitions that needed one, as Kafka's does). Per-partition
    /// errors are results, sorted by partition; an error for the whole request throws, and
    /// NOT_CONTROLLER (the controller moved) is retried. Mirrors `Admin.electLeaders`.
    public func electLeaders(
        _ type: ElectionType, partitions: [TopicPartition]?, timeout: Duration = .seconds(60)
    ) async throws -> [ElectionResult] {
        var byTopic: [String: [Int32]] = [:]
        for tp in partitions ?? [] { byTopic[tp.topic, default: []].append(tp.partition) }
        let asked = partitions.map { _ in
            byTopic.keys.sorted().map {
                ElectLeadersRequest.TopicPartitions(topic: $0, partitions: byTopic[$0] ?? [])
            }
        }
        return try await client.withRetries("ElectLeaders") { _ in
            let node = try await controllerNode()
            let (response, _) = try await client.send(to: node) { version in
                // v0 has no election type: it can only ask for PREFERRED.
                guard version >= 1 || type == .preferred else {
                    throw KafkaClientError.unsupportedVersion(
                        api: .electLeaders, broker: node, brokerVersions: 0...version,
                        clientVersions: 1...ElectLeadersRequest.versions.upperBound)
                }
                return ElectLeadersRequest(
                    electionType: type, topicPartitions: asked,
                    timeoutMs: Int32(clamping: timeout.milliseconds))
            }
            let firstError = response.replicaElectionResults.flatMap(\.partitionResult)
                .first { $0.errorCode != .none }?.errorCode
            if response.errorCode != .none || firstError == .notController {
                let code = response.errorCode != .none ? response.errorCode : .notController
                throw KafkaClientError.broker(code, context: "ElectLeaders", message: nil)
            }
            return response.replicaElectionResults.flatMap { topic in
                topic.partitionResult.map {
                    ElectionResult(
                        TopicPartition(topic.topic, $0.partitionId), errorCode: $0.errorCode,
                        errorMessage: $0.errorMessage)
                }
            }.sorted { $0.topicPartition < $1.topicPartition }
        }
    }
}
