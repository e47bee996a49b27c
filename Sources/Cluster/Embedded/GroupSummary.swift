// Embedded room: a read-only picture of one consumer group for the REPL, as
// kafka-consumer-groups.sh --describe shows it: state, members, committed offsets and lag.

/// One classic group as its coordinator holds it, taken at one moment.
///
/// An immutable `Sendable` value the REPL may keep; built by `EmbeddedCluster.groups()`.
/// Mirrors what `kafka-consumer-groups.sh --describe --members` and `--offsets` print.
public struct GroupSummary: Sendable, Equatable {
    /// One member: who it is and the partitions its last SyncGroup assigned to it.
    public struct Member: Sendable, Equatable {
        public var memberId: String
        public var groupInstanceId: String?
        public var clientId: String
        public var clientHost: String
        /// Decoded with the consumer protocol; empty when the group is not a consumer group
        /// or the assignment does not decode.
        public var assignment: [TopicPartition]
    }

    /// A committed offset and, when the partition's leader is reachable, its lag.
    public struct CommittedOffset: Sendable, Equatable {
        public var topicPartition: TopicPartition
        public var committedOffset: Int64
        public var metadata: String
        /// The partition's log end offset on its leader; nil when unknown.
        public var logEndOffset: Int64?
        /// `logEndOffset - committedOffset` (Kafka's `LAG`), nil when the end is unknown.
        public var lag: Int64? { logEndOffset.map { max(0, $0 - committedOffset) } }
    }

    public var groupId: String
    /// Kafka's state name: Empty, PreparingRebalance, CompletingRebalance, Stable, Dead.
    public var state: String
    public var protocolType: String?
    /// The chosen assignor (`range`, `cooperative-sticky`...), once the group has one.
    public var protocolName: String?
    public var generation: Int32
    public var leaderId: String?
    /// The broker whose coordinator holds the group (leader of its __consumer_offsets partition).
    public var coordinator: NodeID
    /// The `__consumer_offsets` partition the group lives in.
    public var offsetsPartition: Int32
    public var members: [Member]
    public var offsets: [CommittedOffset]
}
