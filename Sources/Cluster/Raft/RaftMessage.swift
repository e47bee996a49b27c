// Raft room: the KRaft RPCs as the Raft machine reads and writes them. Each maps one-to-one to a
// Kafka message (Vote, BeginQuorumEpoch, EndQuorumEpoch, Fetch of __cluster_metadata-0) that the
// node's codec layer puts on the wire; field names are Kafka's.

/// One message between two quorum members. Requests carry a correlation id the machine chose;
/// a response carries the id of the request it answers, so a stale answer can be ignored.
public struct RaftEnvelope: Equatable, Sendable {
    public var from: NodeID
    public var to: NodeID
    public var correlationId: Int32
    public var message: RaftMessage

    public init(from: NodeID, to: NodeID, correlationId: Int32, message: RaftMessage) {
        self.from = from
        self.to = to
        self.correlationId = correlationId
        self.message = message
    }
}

public enum RaftMessage: Equatable, Sendable {
    case vote(VoteData)
    case voteResponse(VoteResponseData)
    case beginQuorumEpoch(BeginQuorumEpochData)
    case beginQuorumEpochResponse(QuorumResponseData)
    case endQuorumEpoch(EndQuorumEpochData)
    case endQuorumEpochResponse(QuorumResponseData)
    case fetch(RaftFetchData)
    case fetchResponse(RaftFetchResponseData)

    public var isRequest: Bool {
        switch self {
        case .vote, .beginQuorumEpoch, .endQuorumEpoch, .fetch: return true
        default: return false
        }
    }

    /// Kafka's RPC name, for traces and the step-through view.
    public var name: String {
        switch self {
        case .vote: return "Vote"
        case .voteResponse: return "VoteResponse"
        case .beginQuorumEpoch: return "BeginQuorumEpoch"
        case .beginQuorumEpochResponse: return "BeginQuorumEpochResponse"
        case .endQuorumEpoch: return "EndQuorumEpoch"
        case .endQuorumEpochResponse: return "EndQuorumEpochResponse"
        case .fetch: return "Fetch"
        case .fetchResponse: return "FetchResponse"
        }
    }
}

/// `VoteRequest`: a candidate asks for a vote in `candidateEpoch`.
public struct VoteData: Equatable, Sendable {
    public var candidateEpoch: Int32
    public var candidateId: NodeID
    /// The epoch of the candidate's last batch and its log end offset: "how up to date am I".
    public var lastOffsetEpoch: Int32
    public var lastOffset: Int64
    /// KIP-996 (Vote v2): only asking whether a vote would be granted; nobody changes epoch.
    public var preVote: Bool = false
}

public struct VoteResponseData: Equatable, Sendable {
    public var errorCode: ErrorCode
    public var leaderId: NodeID?
    public var leaderEpoch: Int32
    public var voteGranted: Bool
}

/// `BeginQuorumEpochRequest`: a new leader tells the voters it won `leaderEpoch`.
public struct BeginQuorumEpochData: Equatable, Sendable {
    public var leaderId: NodeID
    public var leaderEpoch: Int32
}

/// `EndQuorumEpochRequest`: a leader that is shutting down hands over early.
public struct EndQuorumEpochData: Equatable, Sendable {
    public var leaderId: NodeID
    public var leaderEpoch: Int32
    /// Voters best placed to win next, most up to date first.
    public var preferredSuccessors: [NodeID]
}

/// The answer shape of BeginQuorumEpoch and EndQuorumEpoch.
public struct QuorumResponseData: Equatable, Sendable {
    public var errorCode: ErrorCode
    public var leaderId: NodeID?
    public var leaderEpoch: Int32
}

/// A Fetch of `__cluster_metadata-0` by a follower or observer (KIP-595 pull replication).
public struct RaftFetchData: Equatable, Sendable {
    public var replicaId: NodeID
    public var currentLeaderEpoch: Int32
    public var fetchOffset: Int64
    public var lastFetchedEpoch: Int32
    /// How long the leader may park the request when it has nothing new.
    public var maxWaitMs: Int32
}

public struct RaftFetchResponseData: Equatable, Sendable {
    public var errorCode: ErrorCode
    public var highWatermark: Int64
    public var batches: [MetadataBatch]
    /// Set when the follower's log diverged from the leader's: truncate to `offset`.
    public var divergingEpoch: OffsetAndEpoch?
    public var leaderId: NodeID?
    public var leaderEpoch: Int32
}
