// Node room: who a node is and the settings it runs with: its id, its two listeners, the
// quorum's voters and timings, the controller's timings. Kafka's config names in comments.

/// One node's configuration (`process.roles=broker,controller` for voters, `broker` otherwise).
public struct NodeConfig: Sendable {
    /// `node.id`.
    public var id: NodeID
    public var clusterId: String
    /// Where the broker (PLAINTEXT) listener is, as clients should reach it.
    public var host: String
    public var brokerPort: Int
    /// Where the CONTROLLER listener is (every node has one here: voters answer the quorum on
    /// it, and any node answers DescribeQuorum-style questions with NOT_CONTROLLER).
    public var controllerPort: Int
    /// `controller.quorum.voters` and the `controller.quorum.*` timings.
    public var raft: RaftConfig
    public var controller: QuorumControllerConfig
    /// How long a broker waits for the controller before answering a forwarded request with
    /// REQUEST_TIMED_OUT (Kafka's `request.timeout.ms`, shortened).
    public var forwardTimeout: Duration = .seconds(10)
    /// Seeds the active controller's choices (topic ids, where placement starts); the same for
    /// every node of a cluster.
    public var controllerSeed: UInt64 = 0
    /// The replica fetchers' settings (`replica.*`).
    public var replicaFetch = ReplicaFetchConfig()
    /// `offsets.topic.replication.factor`: Kafka's 3, or every broker of a smaller cluster.
    public var offsetsTopicReplicationFactor: Int16 = 1

    public init(id: NodeID, clusterId: String, host: String = "127.0.0.1", brokerPort: Int = 0, controllerPort: Int = 0,
                raft: RaftConfig, controller: QuorumControllerConfig) {
        self.id = id
        self.clusterId = clusterId
        self.host = host
        self.brokerPort = brokerPort
        self.controllerPort = controllerPort
        self.raft = raft
        self.controller = controller
    }

    public var isVoter: Bool { raft.voters.contains(id) }

    /// Kafka's `offsets.topic.replication.factor` (3), capped by the cluster's size so that a
    /// classroom of one or two brokers still has its groups.
    public static func offsetsTopicReplicationFactor(brokerCount: Int) -> Int16 {
        Int16(max(1, min(Int(Broker.defaultOffsetsTopicReplicationFactor), brokerCount)))
    }

    /// Voters: every node of a cluster of up to 3, else the first `controllers` (3 by default).
    public static func voters(brokerCount: Int, controllers: Int? = nil) -> [NodeID] {
        let count = controllers ?? min(brokerCount, 3)
        return (1...max(1, min(count, brokerCount))).map { NodeID(Int32($0)) }
    }
}
