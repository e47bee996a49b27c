// Client room: the admin client's view of the KRaft quorum (DescribeQuorum, KIP-595/KIP-836),
// the call behind `kafka-metadata-quorum.sh describe`. Any broker forwards it to the controller.

/// One replica of `__cluster_metadata-0` as DescribeQuorum reports it.
public struct QuorumReplica: Sendable, Equatable {
    public var replicaId: Int32
    public var logEndOffset: Int64
    /// Wall-clock milliseconds, -1 when unknown.
    public var lastFetchTimestamp: Int64
    public var lastCaughtUpTimestamp: Int64
}

/// The quorum's state, from its leader.
public struct QuorumInfo: Sendable, Equatable {
    public var leaderId: Int32
    public var leaderEpoch: Int32
    public var highWatermark: Int64
    public var voters: [QuorumReplica]
    public var observers: [QuorumReplica]
}

extension Admin {
    /// DescribeQuorum through any broker; retried while the quorum has no leader.
    public func describeQuorum() async throws -> QuorumInfo {
        try await client.withRetries("DescribeQuorum") { _ in
            let connection = try await client.anyConnection()
            let (response, _) = try await client.send(on: connection) { _ in DescribeQuorumRequest() }
            guard response.errorCode == .none else { throw KafkaClientError.broker(response.errorCode, context: "DescribeQuorum", message: response.errorMessage) }
            guard let p = response.topics.first?.partitions.first else {
                throw KafkaClientError.broker(.unknownServerError, context: "DescribeQuorum", message: "no partition in the answer")
            }
            guard p.errorCode == .none else { throw KafkaClientError.broker(p.errorCode, context: "DescribeQuorum", message: p.errorMessage) }
            func replica(_ r: DescribeQuorumResponse.ReplicaState) -> QuorumReplica {
                QuorumReplica(replicaId: r.replicaId, logEndOffset: r.logEndOffset,
                              lastFetchTimestamp: r.lastFetchTimestamp, lastCaughtUpTimestamp: r.lastCaughtUpTimestamp)
            }
            return QuorumInfo(leaderId: p.leaderId, leaderEpoch: p.leaderEpoch, highWatermark: p.highWatermark,
                              voters: p.currentVoters.map(replica), observers: p.observers.map(replica))
        }
    }
}
