// Controller room: what the controller decided, as data for the event stream, the REPL's
// narration and the simulator's trace. A renderer words these; nothing here is a sentence.

/// A value before and after a decision (a partition's leader, its ISR).
public struct Change<Value: Equatable & Sendable>: Equatable, Sendable {
    public var from: Value
    public var to: Value

    public init(from: Value, to: Value) {
        self.from = from
        self.to = to
    }
}

/// Why the controller fenced a broker (took away its right to lead partitions).
public enum FenceReason: Equatable, Sendable {
    /// No heartbeat for `broker.session.timeout.ms`: the last one is `lastHeartbeatAge` old.
    case sessionExpired(lastHeartbeatAge: Duration)
    /// The broker finished a controlled shutdown and may stop now.
    case controlledShutdown
    /// The broker asked for it (`wantFence`), for instance while it recovers its logs.
    case requested
}

/// What started a group of leader elections.
public enum ElectionTrigger: Equatable, Sendable {
    /// An ElectLeaders request (`kafka-leader-election.sh`, the REPL's `topic elect-leaders`).
    case requested
    /// `auto.leader.rebalance.enable`: the check `leader.imbalance.check.interval.seconds`
    /// after leadership left a preferred replica.
    case leaderImbalanceCheck
    /// The check every `unclean.leader.election.interval.ms` for leaderless partitions of
    /// topics with `unclean.leader.election.enable=true`.
    case leaderlessPartitionCheck
}

/// One thing a controller decision did, in the order a learner should hear it.
///
/// Mirrors the log lines of Kafka's controller (`Fencing broker 2 because its session has
/// timed out`, `handleBrokerUnfenced: changing 3 partition(s)`) as typed values.
public enum ControllerEvent: Equatable, Sendable {
    /// A broker registered; its epoch is the offset of its `RegisterBrokerRecord`.
    case brokerRegistered(NodeID, brokerEpoch: Int64)
    /// A registration was refused (DUPLICATE_BROKER_REGISTRATION, UNSUPPORTED_VERSION...).
    case brokerRegistrationRefused(NodeID, ErrorCode)
    case brokerFenced(NodeID, reason: FenceReason)
    /// A fenced broker caught up with the metadata log and may lead partitions again.
    case brokerUnfenced(NodeID)
    /// A broker asked to shut down while leading partitions: leadership moves away first.
    case controlledShutdownStarted(NodeID)
    /// Leader elections of one kind ran for `partitions` and changed their leaders; each
    /// change follows as its own `partitionChanged`.
    case leadersElected(ElectionType, trigger: ElectionTrigger, partitions: [TopicPartition])
    /// A replica outside the ISR became the leader (`unclean.leader.election.enable=true`, or
    /// an UNCLEAN ElectLeaders): the ISR is now that replica alone, and records only
    /// `formerIsr` had are lost. Its `partitionChanged` follows.
    case uncleanLeaderElected(
        topic: String, partition: Int32, leader: NodeID, formerIsr: [NodeID])
    /// One partition's leader or ISR changed (one `PartitionChangeRecord`).
    case partitionChanged(
        topic: String, partition: Int32, leader: Change<NodeID?>, isr: Change<[NodeID]>,
        leaderEpoch: Int32)
    case topicCreated(
        String, topicId: Uuid, partitions: Int32, replicationFactor: Int16)
    case topicDeleted(String, topicId: Uuid)
    /// A topic grew from `from` partitions to `to`.
    case partitionsAdded(topic: String, from: Int32, to: Int32)
    /// A topic config override was set, or removed (`value` nil).
    case topicConfigChanged(topic: String, name: String, value: String?)
    case producerIdsAllocated(NodeID, Range<Int64>)
}
