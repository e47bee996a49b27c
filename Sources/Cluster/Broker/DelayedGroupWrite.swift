// Broker room: group coordinator answers held until their records are committed in
// `__consumer_offsets` (Kafka's coordinator appends with acks=all and answers when the append
// completes), so an acknowledged offset commit survives the loss of the coordinator's broker.

/// Answers waiting for the high watermark of the `__consumer_offsets` partitions they wrote to.
struct DelayedGroupWrite {
    /// Where each written partition's log ended after the append: committed once its high
    /// watermark reaches that offset.
    var requiredOffsets: [(topicPartition: TopicPartition, offset: Int64)]
    var answers: [(RequestID, GroupResponse)]
    var deadline: Instant
}

extension Broker {
    /// Kafka's `offsets.commit.timeout.ms`: how long a group write may wait to be committed.
    static let offsetsCommitTimeout: Duration = .seconds(5)

    /// The answers once they have an outcome: as built when every write is committed, with
    /// NOT_COORDINATOR when this broker no longer leads a written partition, and
    /// COORDINATOR_NOT_AVAILABLE when the deadline passed first (Kafka's mapping of the
    /// failed append's NOT_LEADER_OR_FOLLOWER and REQUEST_TIMED_OUT). Nil: still waiting.
    func outcome(of write: DelayedGroupWrite, now: Instant) -> [(RequestID, GroupResponse)]? {
        var failure: ErrorCode? = nil
        var waiting = false
        for (tp, offset) in write.requiredOffsets {
            guard let replica = partitionReplicas[tp], replica.isLeader else {
                failure = .notCoordinator
                break
            }
            if replica.highWatermark < offset { waiting = true }
        }
        if failure == nil && waiting {
            guard now >= write.deadline else { return nil }
            failure = .coordinatorNotAvailable
        }
        guard let failure else { return write.answers }
        return write.answers.map { ($0.0, $0.1.failingWrites(with: failure)) }
    }
}
