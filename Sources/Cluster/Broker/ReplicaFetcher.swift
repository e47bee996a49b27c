// Broker room: the follower side of replication toward one leader broker (Kafka's
// `ReplicaFetcherThread` as a value): which partitions it follows there, from which offset and
// epoch, and when the next Fetch may go. The broker turns answers into log appends.

/// One partition fetched from the leader.
struct FetchState: Equatable, Sendable {
    var topicId: Uuid
    var fetchOffset: Int64
    /// The leader epoch this follower knows (the leader refuses a fetch from another epoch).
    var currentLeaderEpoch: Int32
}

/// Tunables with Kafka's names (`replica.fetch.*`).
public struct ReplicaFetchConfig: Equatable, Sendable {
    /// `replica.fetch.wait.max.ms` (Kafka: 500).
    public var waitMax: Duration = .milliseconds(500)
    /// `replica.fetch.max.bytes` per partition (Kafka: 1 MiB).
    public var partitionMaxBytes: Int32 = 1_048_576
    /// `replica.fetch.response.max.bytes` (Kafka: 10 MiB).
    public var responseMaxBytes: Int32 = 10_485_760
    /// `replica.fetch.backoff.ms` after an error (Kafka: 1000; shorter so failover reads quickly).
    public var backoff: Duration = .milliseconds(200)
    /// `replica.lag.time.max.ms` (Kafka: 30000): how long an ISR member may lag before the
    /// leader asks to drop it.
    public var lagTimeMax: Duration = .seconds(3)
    public init() {}
}

struct ReplicaFetcher: Sendable {
    let leader: NodeID
    private(set) var partitions: [TopicPartition: FetchState] = [:]
    /// A Fetch is on the wire: the next waits for its answer (Kafka sends one at a time).
    private(set) var inflight = false
    private(set) var nextFetchAt: Instant = .zero

    init(leader: NodeID) { self.leader = leader }

    var isEmpty: Bool { partitions.isEmpty }

    mutating func follow(_ tp: TopicPartition, _ state: FetchState) { partitions[tp] = state }
    mutating func unfollow(_ tp: TopicPartition) { partitions[tp] = nil }
    mutating func setFetchOffset(_ tp: TopicPartition, _ offset: Int64) { partitions[tp]?.fetchOffset = offset }

    /// When this fetcher has something to send; nil while a Fetch is out or nothing is followed.
    var nextDeadline: Instant? { inflight || partitions.isEmpty ? nil : nextFetchAt }

    /// The next Fetch, if one is due. `lastFetchedEpoch` gives each partition's newest epoch.
    mutating func makeRequest(
        replicaId: NodeID, brokerEpoch: Int64, config: ReplicaFetchConfig, now: Instant,
        lastFetchedEpoch: (TopicPartition) -> Int32
    ) -> FetchRequest? {
        guard !inflight, !partitions.isEmpty, now >= nextFetchAt else { return nil }
        inflight = true
        var byTopic: [Uuid: FetchRequest.FetchTopic] = [:]
        for (tp, state) in partitions.sorted(by: { $0.key < $1.key }) {
            byTopic[state.topicId, default: FetchRequest.FetchTopic(topic: tp.topic, topicId: state.topicId)].partitions.append(
                FetchRequest.FetchPartition(
                    partition: tp.partition, currentLeaderEpoch: state.currentLeaderEpoch, fetchOffset: state.fetchOffset,
                    lastFetchedEpoch: lastFetchedEpoch(tp), partitionMaxBytes: config.partitionMaxBytes))
        }
        return FetchRequest(
            replicaId: replicaId.rawValue, replicaEpoch: brokerEpoch,
            maxWaitMs: Int32(clamping: config.waitMax.milliseconds), minBytes: 1, maxBytes: config.responseMaxBytes,
            topics: byTopic.values.sorted { $0.topic < $1.topic })
    }

    /// The Fetch was answered: the next may go at once (a leader with nothing new holds the
    /// request up to `replica.fetch.wait.max.ms`, so this does not spin), or after a backoff.
    mutating func answered(now: Instant, backoff: Duration?) {
        inflight = false
        nextFetchAt = backoff.map { now + $0 } ?? now
    }
}
