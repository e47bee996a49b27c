// Broker room: what replication did that a learner should be told, as typed values the node
// turns into cluster events (ISR and leader changes come from the controller's records).

public enum ReplicationEvent: Equatable, Sendable {
    /// A follower cut a diverged tail: records after `to` were never committed.
    case followerTruncated(TopicPartition, from: Int64, to: Int64)
    /// This leader saw `follower` reach the high watermark: it asks the controller to add it
    /// to the ISR.
    case followerCaughtUp(TopicPartition, follower: NodeID, offset: Int64)
}
