// Broker room: one broker's state and request handling as a plain value. A frame comes in, a
// reply goes out; no sockets, clocks or tasks here, so the simulator can drive the same code.

import NIOCore

/// Who a broker is: the facts its Metadata and DescribeCluster answers are built from.
public struct BrokerIdentity: Sendable, Equatable {
    public var nodeID: NodeID
    public var clusterID: String
    public var host: String
    public var port: Int

    public init(nodeID: NodeID, clusterID: String, host: String, port: Int) {
        self.nodeID = nodeID
        self.clusterID = clusterID
        self.host = host
        self.port = port
    }
}

/// A client connection as the broker knows it (to answer parked requests later).
public struct ConnectionID: Hashable, Sendable, Comparable {
    public var rawValue: Int
    public init(_ rawValue: Int) { self.rawValue = rawValue }
    public static func < (a: ConnectionID, b: ConnectionID) -> Bool { a.rawValue < b.rawValue }
}

/// What the network edge should do after the broker has looked at a request.
public enum BrokerReply {
    /// Write this whole response frame (size prefix included).
    case respond(ByteBuffer, RequestTrace)
    /// Produce with acks=0: Kafka sends no response at all.
    case noResponse(RequestTrace)
    /// The request waits for a partition to move (a long poll, acks=all, a group write);
    /// `takeDeferred` hands its answer over later.
    /// Later requests on the same connection must wait behind it, as Kafka mutes the channel.
    case parked
    /// Kafka would close this connection (unknown API key, unparsable request).
    case close(reason: String, RequestTrace?)
}

/// One line of `trace`: what a broker saw and answered.
public struct RequestTrace: Sendable, Equatable {
    public var apiKey: ApiKey
    public var apiVersion: Int16
    public var correlationId: Int32
    public var clientId: String?
    public var requestBytes: Int
    public var responseBytes: Int
    /// The first non-zero error code in the response, or NONE.
    public var errorCode: ErrorCode
    /// Set when the broker closed the connection instead of answering because it does not
    /// serve this API at this version (Kafka 4's floor, KIP-896): the versions it serves.
    public var versionsServed: ClosedRange<Int16>? = nil

    public init(
        apiKey: ApiKey, apiVersion: Int16, correlationId: Int32, clientId: String?, requestBytes: Int,
        responseBytes: Int, errorCode: ErrorCode, versionsServed: ClosedRange<Int16>? = nil
    ) {
        self.apiKey = apiKey
        self.apiVersion = apiVersion
        self.correlationId = correlationId
        self.clientId = clientId
        self.requestBytes = requestBytes
        self.responseBytes = responseBytes
        self.errorCode = errorCode
        self.versionsServed = versionsServed
    }
}

/// A parked request answered later: to which connection, and the response frame.
public struct DeferredReply: Sendable {
    public var connection: ConnectionID
    public var frame: ByteBuffer
    public var trace: RequestTrace
}

/// A broker: answers Kafka requests from its metadata image and its partition logs.
///
/// A struct owned by one node on one event loop (LiveWorld) or by the simulator; mirrors the
/// request side of Kafka's `KafkaApis` plus its `ReplicaManager` for leaders.
public struct Broker {
    public var identity: BrokerIdentity
    public internal(set) var image = MetadataImage()
    /// Where partition directories live (`<data-dir>/node-<id>`), and how to reach it.
    let logDirectory: String
    let fs: any FileSystem
    public internal(set) var logs: [TopicPartition: PartitionLog] = [:]
    var producerStates: [TopicPartition: ProducerStateTable] = [:]
    var producerIdBlock: Range<Int64> = 0..<0
    /// Requests waiting for a partition to move (Broker+DelayedOperations.swift).
    var delayed = DelayedOperations()
    /// Partitions that moved since parked requests were last looked at.
    var touched: Set<TopicPartition> = []
    var deferred: [DeferredReply] = []
    /// Lines worth showing the learner (recovery cuts, logs deleted); drained by the node.
    public internal(set) var notices: [String] = []
    /// `log.retention.check.interval.ms`, learning default.
    public var retentionCheckInterval: Duration = .seconds(5)
    var lastRetentionCheck: Instant = .zero
    /// Recovery points read at start-up (clean shutdown) or nil (crash: validate everything).
    var recoveryPoints: [TopicPartition: Int64]?
    var logStartOffsets: [TopicPartition: Int64] = [:]
    /// High watermarks read at start-up from `replication-offset-checkpoint`; each log clamps
    /// its own into its offsets when it opens.
    var highWatermarks: [TopicPartition: Int64] = [:]
    /// The group coordinator for the `__consumer_offsets` partitions this broker leads
    /// (Kafka runs one in every broker). Seeded from the node id; replaced once, at the first
    /// image, by one that knows the wall clock (`followOffsetsPartitions`).
    public internal(set) var groups: GroupCoordinator
    var groupsClockSet = false
    /// Group requests waiting for an answer, to frame it at the request's version.
    var groupRequests: [RequestID: PendingGroupRequest] = [:]
    /// The active controller as the node's quorum knows it (-1: none known).
    public internal(set) var activeControllerId: Int32 = -1
    /// `offsets.topic.replication.factor` for when this broker asks for `__consumer_offsets`.
    public var offsetsTopicReplicationFactor: Int16 = 1
    /// `__consumer_offsets` is needed but missing: the node asks the controller for it.
    var wantedOffsetsTopic: CreateTopicsRequest.Topic?

    // Replication (Broker+Replication.swift).
    var partitionReplicas: [TopicPartition: PartitionReplica] = [:]
    var fetchers: [NodeID: ReplicaFetcher] = [:]
    public var replicaFetchConfig = ReplicaFetchConfig()
    var isrProposals: [IsrProposal] = []
    var nextIsrCheck = Instant.zero
    var replicationEvents: [ReplicationEvent] = []
    /// The controller accepted this process's registration. A node starts it false and sets it
    /// when registered; a broker used alone (tests) stands for itself.
    var isRegistered = true

    public init(
        identity: BrokerIdentity, logDirectory: String = "", fs: any FileSystem = MemoryFileSystem()
    ) {
        self.identity = identity
        self.logDirectory = logDirectory
        self.fs = fs
        self.groups = GroupCoordinator(
            config: Self.groupConfig, seed: UInt64(truncatingIfNeeded: identity.nodeID.rawValue))
    }
}
