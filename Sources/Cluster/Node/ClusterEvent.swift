// Node room: what happened in the cluster, as typed values. The REPL's `events`, the live
// narration of `broker kill` and lesson checks all read these; a renderer words them.

import NIOCore

/// One thing that happened on one node.
public struct ClusterEvent: Equatable, Sendable {
    /// The node's monotonic time (for ordering and "+1.52s" narration).
    public var at: Instant
    /// Wall-clock milliseconds, for display.
    public var wallClockMs: Int64
    public var node: NodeID
    public var kind: Kind

    public enum Kind: Equatable, Sendable {
        /// The quorum: elections, leaders, resignations, truncation.
        case raft(RaftEvent)
        /// A controller decision, reported once its records are committed.
        case controller(ControllerEvent)
        /// This node became the active controller (its Raft leadership is settled).
        case controllerActivated(epoch: Int32)
        /// This node stopped being the active controller.
        case controllerDeactivated(epoch: Int32)
        /// The broker on this node registered with the controller (epoch = its broker epoch).
        case brokerRegistered(brokerEpoch: Int64)
        /// The node's process started (restarted), was killed, or began a clean shutdown.
        case nodeStarted
        case nodeKilled
        case nodeStopped
        /// A disk write of the metadata log or quorum state failed: the node stops taking part.
        case metadataStorageFailed(String)
        /// Something this broker's replicas did (a follower cutting a diverged tail).
        case replication(ReplicationEvent)
        /// A client at `peer` sent a request at a version this broker does not serve
        /// (`trace.versionsServed`), and the broker closed its connection, as Kafka 4 does: an
        /// old client library otherwise sees only a bare disconnect.
        case requestRefused(RequestTrace, peer: String)
    }

    public init(at: Instant, wallClockMs: Int64, node: NodeID, kind: Kind) {
        self.at = at
        self.wallClockMs = wallClockMs
        self.node = node
        self.kind = kind
    }
}

/// Where a controller-listener reply goes: back on the connection its request came in on.
public struct PeerReplyTo: Hashable, Sendable {
    /// The requesting node, when known (Raft and broker requests name their sender).
    public var peer: NodeID?
    /// The connection the request arrived on (an id of the world's choosing).
    public var connection: Int

    public init(peer: NodeID?, connection: Int) {
        self.peer = peer
        self.connection = connection
    }
}

/// What a node asks its world to do after an input: send frames, answer clients, report
/// events. Durable writes already happened inside the node (through its FileSystem), so the
/// world may send at once.
public struct NodeEffects: Sendable {
    /// Request frames (size prefix included) for other nodes' CONTROLLER listeners.
    public var peerRequests: [(to: NodeID, frame: ByteBuffer)] = []
    /// Replica Fetch frames for other nodes' broker (PLAINTEXT) listeners; the answers come
    /// back through `handlePeerResponse`.
    public var replicaRequests: [(to: NodeID, frame: ByteBuffer)] = []
    /// Response frames for requests that arrived on this node's CONTROLLER listener.
    public var peerResponses: [(to: PeerReplyTo, frame: ByteBuffer)] = []
    /// Answers to client requests that waited (forwarded to the controller, long polls...).
    public var clientReplies: [DeferredReply] = []
    public var events: [ClusterEvent] = []
    /// Lines for the learner from the broker (recovery cuts, retention deletions).
    public var notices: [String] = []

    public init() {}

    public var isEmpty: Bool {
        peerRequests.isEmpty && replicaRequests.isEmpty && peerResponses.isEmpty && clientReplies.isEmpty && events.isEmpty && notices.isEmpty
    }
}
