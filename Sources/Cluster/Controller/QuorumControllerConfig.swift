// Controller room: the quorum controller's settings, under Kafka's dotted names, with shorter
// timeouts than Kafka's so that a learner sees a dead broker fenced within two seconds and
// leadership return to a restarted broker within seconds, not minutes.

/// The settings one `QuorumController` decides with.
///
/// Each property mirrors a Kafka controller config (`QuorumController.Builder`,
/// `ReplicationControlManager.Builder`); `entries` lists name, our value and Kafka's default so
/// the REPL can show where we differ.
public struct QuorumControllerConfig: Equatable, Sendable {
    /// `broker.session.timeout.ms`: a broker whose last heartbeat is this old is fenced.
    public var brokerSessionTimeout: Duration
    /// `broker.heartbeat.interval.ms`: how often brokers are expected to heartbeat. The
    /// controller does not enforce it; it is here so the session timeout can be judged against it.
    public var brokerHeartbeatInterval: Duration
    /// `num.partitions`: the partition count of a topic created with -1.
    public var defaultPartitions: Int32
    /// `default.replication.factor`: the replication factor of a topic created with -1.
    public var defaultReplicationFactor: Int16
    /// Producer ids handed to a broker per AllocateProducerIds (Kafka's fixed
    /// `ProducerIdsBlock.PRODUCER_ID_BLOCK_SIZE`, 1000).
    public var producerIdBlockSize: Int32
    /// The cluster id a registering broker must name; nil accepts any (Kafka always checks
    /// and answers INCONSISTENT_CLUSTER_ID).
    public var clusterId: String?
    /// `auto.leader.rebalance.enable`: whether the controller moves leadership back to each
    /// partition's preferred replica (the first in its replica list) by itself.
    public var autoLeaderRebalanceEnable: Bool
    /// `leader.imbalance.check.interval.seconds`: how long after a partition's leadership
    /// leaves its preferred replica the controller checks whether it can move it back (and
    /// again every interval while some partition stays away from its preferred replica).
    public var leaderImbalanceCheckInterval: Duration
    /// `leader.imbalance.per.broker.percentage`: a broker's partitions move back only when
    /// more than this share of those it is the preferred replica of are led elsewhere.
    public var leaderImbalancePerBrokerPercentage: Int
    /// `unclean.leader.election.interval.ms`: how often the controller looks for leaderless
    /// partitions of topics with `unclean.leader.election.enable=true` (a topic switched to
    /// true after its partition lost its leader gets one at the next check).
    public var uncleanLeaderElectionCheckInterval: Duration

    public init(
        brokerSessionTimeout: Duration = .milliseconds(1_500),
        brokerHeartbeatInterval: Duration = .milliseconds(500),
        defaultPartitions: Int32 = 1, defaultReplicationFactor: Int16 = 1,
        producerIdBlockSize: Int32 = 1_000,
        clusterId: String? = nil,
        autoLeaderRebalanceEnable: Bool = true,
        leaderImbalanceCheckInterval: Duration = .seconds(10),
        leaderImbalancePerBrokerPercentage: Int = 10,
        uncleanLeaderElectionCheckInterval: Duration = .seconds(10)
    ) {
        precondition(producerIdBlockSize > 0, "a producer id block holds at least one id")
        precondition(
            leaderImbalanceCheckInterval > .zero && uncleanLeaderElectionCheckInterval > .zero,
            "election check intervals must be positive")
        precondition(
            (0...100).contains(leaderImbalancePerBrokerPercentage),
            "leader.imbalance.per.broker.percentage is a percentage")
        self.brokerSessionTimeout = brokerSessionTimeout
        self.brokerHeartbeatInterval = brokerHeartbeatInterval
        self.defaultPartitions = defaultPartitions
        self.defaultReplicationFactor = defaultReplicationFactor
        self.producerIdBlockSize = producerIdBlockSize
        self.clusterId = clusterId
        self.autoLeaderRebalanceEnable = autoLeaderRebalanceEnable
        self.leaderImbalanceCheckInterval = leaderImbalanceCheckInterval
        self.leaderImbalancePerBrokerPercentage = leaderImbalancePerBrokerPercentage
        self.uncleanLeaderElectionCheckInterval = uncleanLeaderElectionCheckInterval
    }

    /// One setting as the REPL shows it.
    public struct Entry: Equatable, Sendable {
        public var name: String
        public var value: String
        public var kafkaDefault: String
    }

    /// Kafka's name, our value and Kafka's default for every setting with a Kafka name.
    public var entries: [Entry] {
        [
            Entry(
                name: "broker.session.timeout.ms", value: String(brokerSessionTimeout.milliseconds),
                kafkaDefault: "9000"),
            Entry(
                name: "broker.heartbeat.interval.ms",
                value: String(brokerHeartbeatInterval.milliseconds), kafkaDefault: "2000"),
            Entry(name: "num.partitions", value: String(defaultPartitions), kafkaDefault: "1"),
            Entry(
                name: "default.replication.factor", value: String(defaultReplicationFactor),
                kafkaDefault: "1"),
            Entry(
                name: "auto.leader.rebalance.enable", value: String(autoLeaderRebalanceEnable),
                kafkaDefault: "true"),
            Entry(
                name: "leader.imbalance.check.interval.seconds",
                value: String(leaderImbalanceCheckInterval.milliseconds / 1_000),
                kafkaDefault: "300"),
            Entry(
                name: "leader.imbalance.per.broker.percentage",
                value: String(leaderImbalancePerBrokerPercentage), kafkaDefault: "10"),
            Entry(
                name: "unclean.leader.election.interval.ms",
                value: String(uncleanLeaderElectionCheckInterval.milliseconds),
                kafkaDefault: "300000"),
        ]
    }
}
