// Controller room: the quorum controller's settings, under Kafka's dotted names, with shorter
// timeouts than Kafka's so that a learner sees a dead broker fenced within two seconds.

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
    /// The highest replication factor this cluster accepts (not a Kafka config: Kafka takes any
    /// factor the brokers can hold).
    public var replicationFactorMax: Int16
    /// Producer ids handed to a broker per AllocateProducerIds (Kafka's fixed
    /// `ProducerIdsBlock.PRODUCER_ID_BLOCK_SIZE`, 1000).
    public var producerIdBlockSize: Int32
    /// The cluster id a registering broker must name; nil accepts any (Kafka always checks
    /// and answers INCONSISTENT_CLUSTER_ID).
    public var clusterId: String?

    public init(
        brokerSessionTimeout: Duration = .milliseconds(1_500),
        brokerHeartbeatInterval: Duration = .milliseconds(500),
        defaultPartitions: Int32 = 1, defaultReplicationFactor: Int16 = 1,
        replicationFactorMax: Int16 = 1, producerIdBlockSize: Int32 = 1_000,
        clusterId: String? = nil
    ) {
        precondition(producerIdBlockSize > 0, "a producer id block holds at least one id")
        self.brokerSessionTimeout = brokerSessionTimeout
        self.brokerHeartbeatInterval = brokerHeartbeatInterval
        self.defaultPartitions = defaultPartitions
        self.defaultReplicationFactor = defaultReplicationFactor
        self.replicationFactorMax = replicationFactorMax
        self.producerIdBlockSize = producerIdBlockSize
        self.clusterId = clusterId
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
        ]
    }
}
