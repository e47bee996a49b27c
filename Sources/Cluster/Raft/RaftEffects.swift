// Raft room: what one step or tick of the Raft machine asks the world to do, in field order:
// make the quorum state and log changes durable, then send, then apply what became committed.

/// One change to `__cluster_metadata-0`, in the order the machine made it.
public enum RaftLogChange: Equatable, Sendable {
    case append(MetadataBatch)
    /// Drop every record at or after this offset (a follower's divergent tail).
    case truncate(to: Int64)
}

/// What happened to the quorum, for the event stream and the learner's narration.
public enum RaftEvent: Equatable, Sendable {
    case electionStarted(epoch: Int32)
    case elected(epoch: Int32, votes: [NodeID])
    case followingLeader(NodeID, epoch: Int32)
    case leaderUnknown(epoch: Int32)
    /// This leader stopped leading: `reason` says why ("lost contact with a majority"...).
    case resigned(epoch: Int32, reason: String)
    case truncated(from: Int64, to: Int64)
    case highWatermarkAdvanced(to: Int64)
}

/// The output of `RaftNode.step`, `tick`, `propose` and `resign`.
///
/// Mirrors the contract of etcd's `Ready`: the host persists `quorumState` and `logChanges`
/// (and syncs) before it sends any message, because a vote or an acknowledged fetch offset
/// must never be forgotten by a crash after the peer heard of it.
public struct RaftEffects: Equatable, Sendable {
    public var quorumState: QuorumStateData? = nil
    public var logChanges: [RaftLogChange] = []
    public var messages: [RaftEnvelope] = []
    /// Offsets that became committed in this step (the high watermark moved over them).
    public var committed: Range<Int64>? = nil
    public var events: [RaftEvent] = []

    public init() {}

    public var mustSyncBeforeSend: Bool { quorumState != nil || !logChanges.isEmpty }

    mutating func commit(_ range: Range<Int64>) {
        guard !range.isEmpty else { return }
        committed = committed.map { min($0.lowerBound, range.lowerBound)..<max($0.upperBound, range.upperBound) } ?? range
    }

    public mutating func merge(_ other: RaftEffects) {
        if let q = other.quorumState { quorumState = q }
        logChanges += other.logChanges
        messages += other.messages
        if let c = other.committed { commit(c) }
        events += other.events
    }
}
