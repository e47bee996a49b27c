// Raft room: one KRaft quorum member (voter or observer) as a pure state machine. Messages,
// ticks and proposals go in; quorum state, log changes, messages and commits come out. No
// sockets, files, clocks or tasks here: the host carries the effects out.

/// A quorum member's role (Kafka's `EpochState` subclasses). "Voted" is an unattached voter
/// that has granted its vote in this epoch; `RaftNode.roleName` shows it.
public enum RaftRole: Equatable, Sendable {
    case unattached
    /// A voter asking whether it could win before it disturbs anyone with a new epoch
    /// (KIP-996 pre-vote, Kafka 4.0's `ProspectiveState`).
    case prospective
    case candidate
    case leader
    case follower
    /// A leader that stopped leading (shutting down, lost its majority, or restarted) and
    /// waits for the next epoch; it keeps its vote so it can never help elect a second leader
    /// in its own epoch.
    case resigned
}

/// One member of the KRaft quorum, mirroring Kafka's `KafkaRaftClient` (KIP-595): epochs, votes,
/// pull-based replication of `__cluster_metadata-0` and a high watermark set by a majority.
public struct RaftNode: Sendable {
    public let id: NodeID
    public internal(set) var config: RaftConfig
    public internal(set) var log: RaftLog
    public internal(set) var epoch: Int32
    public internal(set) var role: RaftRole
    /// The leader of `epoch`, when known.
    public internal(set) var leaderId: NodeID?
    /// Whom this node voted for in `epoch`.
    public internal(set) var votedId: NodeID?
    /// Records below this offset are committed: a majority of voters has them.
    public internal(set) var highWatermark: Int64 = 0

    var entropy: SplitMix64
    var nextCorrelationId: Int32 = 1
    /// Voters in unattached, candidate or resigned: when to stand (again).
    var electionDeadline: Instant?
    // Candidate.
    var votesGranted: Set<NodeID> = []
    var votesRejected: Set<NodeID> = []
    // Follower and observer.
    var fetchDeadline: Instant?
    var inflightFetch: (correlationId: Int32, sentAt: Instant)?
    var nextFetchAt: Instant?
    var observerTarget = 0
    /// When this node last heard from its leader (a Fetch answered, or BeginQuorumEpoch).
    var lastLeaderContact: Instant?
    // Leader.
    var leader = LeaderProgress()

    public var isVoter: Bool { config.voters.contains(id) }
    public var isLeader: Bool { role == .leader }

    /// Kafka's name for the role, as `kafka-metadata-quorum.sh` and the REPL show it.
    public var roleName: String {
        switch role {
        case .unattached: return votedId == nil ? "unattached" : "voted"
        case .prospective: return "prospective"
        case .candidate: return "candidate"
        case .leader: return "leader"
        case .follower: return isVoter ? "follower" : "observer"
        case .resigned: return "resigned"
        }
    }

    /// Restores a member from its log and `quorum-state` (both may be empty for a new node).
    public init(id: NodeID, config: RaftConfig, log: RaftLog, quorumState: QuorumStateData, seed: UInt64, now: Instant) {
        self.id = id
        self.config = config
        self.log = log
        self.entropy = SplitMix64(seed: seed)
        self.epoch = quorumState.leaderEpoch
        self.votedId = quorumState.votedId
        self.leaderId = quorumState.leaderId
        if quorumState.leaderId == id {
            // A restarted leader cannot pick its epoch up again (its followers' progress is
            // gone); like Kafka it resigns and lets the next election happen.
            role = .resigned
            leaderId = nil
            votedId = id
            electionDeadline = now + config.electionBackoffMax
        } else if let leader = quorumState.leaderId {
            role = .follower
            leaderId = leader
            fetchDeadline = now + config.fetchTimeout
            nextFetchAt = now
        } else {
            role = .unattached
            if isVoter {
                // A process that starts without a known leader stands soon: if a leader
                // exists, pre-vote keeps this from disturbing it, and a cluster starting as
                // a whole elects its controller in a fraction of the election timeout.
                electionDeadline = now + startupElectionDelay()
            } else {
                nextFetchAt = now
                fetchDeadline = now + config.fetchTimeout
            }
        }
    }

    public var quorumState: QuorumStateData {
        QuorumStateData(leaderEpoch: epoch, leaderId: leaderId, votedId: votedId)
    }

    // MARK: - Inputs

    /// Handles one message from a peer.
    public mutating func step(_ envelope: RaftEnvelope, now: Instant) -> RaftEffects {
        var effects = RaftEffects()
        switch envelope.message {
        case .vote(let request):
            handleVote(request, from: envelope, now: now, &effects)
        case .voteResponse(let response):
            handleVoteResponse(response, from: envelope.from, now: now, &effects)
        case .beginQuorumEpoch(let request):
            handleBeginQuorumEpoch(request, from: envelope, now: now, &effects)
        case .endQuorumEpoch(let request):
            handleEndQuorumEpoch(request, from: envelope, now: now, &effects)
        case .beginQuorumEpochResponse(let response), .endQuorumEpochResponse(let response):
            maybeTransition(toEpoch: response.leaderEpoch, leader: response.leaderId, now: now, &effects)
        case .fetch(let request):
            handleFetch(request, from: envelope, now: now, &effects)
        case .fetchResponse(let response):
            handleFetchResponse(response, from: envelope, now: now, &effects)
        }
        return effects
    }

    /// Handles the passing of time: elections, fetch timeouts, parked fetches.
    public mutating func tick(now: Instant) -> RaftEffects {
        var effects = RaftEffects()
        switch role {
        case .unattached, .resigned, .candidate, .prospective:
            if isVoter, let deadline = electionDeadline, now >= deadline {
                if role == .prospective, let lost = leaderId {
                    // The pre-vote failed: the others still hear this epoch's leader, so try it
                    // again (KIP-996's prospective → follower).
                    becomeFollower(of: lost, epoch: epoch, now: now, &effects)
                } else {
                    becomeProspective(now: now, &effects)
                }
            } else if !isVoter {
                observerTick(now: now, &effects)
            }
        case .follower:
            if let deadline = fetchDeadline, now >= deadline {
                if isVoter {
                    becomeProspective(now: now, &effects)
                } else {
                    becomeUnattached(epoch: epoch, now: now, &effects)
                    observerTarget += 1
                }
            } else {
                maybeSendFetch(now: now, &effects)
            }
        case .leader:
            leaderTick(now: now, &effects)
        }
        return effects
    }

    /// When `tick` next has something to do.
    public var nextDeadline: Instant {
        var deadlines: [Instant] = []
        switch role {
        case .unattached, .resigned, .candidate, .prospective:
            if isVoter { electionDeadline.map { deadlines.append($0) } } else { observerDeadlines(&deadlines) }
        case .follower:
            observerDeadlines(&deadlines)
        case .leader:
            deadlines += leader.deadlines(config: config)
        }
        return deadlines.min() ?? Instant(nanoseconds: .max)
    }

    private func observerDeadlines(_ deadlines: inout [Instant]) {
        fetchDeadline.map { deadlines.append($0) }
        if let inflight = inflightFetch {
            deadlines.append(inflight.sentAt + config.requestTimeout)
        } else if let next = nextFetchAt {
            deadlines.append(next)
        }
    }

    // MARK: - Transitions

    mutating func randomElectionTimeout() -> Duration {
        let spread = max(1, config.electionTimeout.nanosecondsClamped)
        return config.electionTimeout + .nanoseconds(Int64(entropy.next() % UInt64(spread)))
    }

    mutating func startupElectionDelay() -> Duration {
        let base = config.electionTimeout / 10
        let spread = max(1, (config.electionTimeout / 5).nanosecondsClamped)
        return base + .nanoseconds(Int64(entropy.next() % UInt64(spread)))
    }

    mutating func randomBackoff() -> Duration {
        let spread = max(1, config.electionBackoffMax.nanosecondsClamped)
        return .nanoseconds(Int64(entropy.next() % UInt64(spread)))
    }

    mutating func newCorrelationId() -> Int32 {
        defer { nextCorrelationId = nextCorrelationId == .max ? 1 : nextCorrelationId + 1 }
        return nextCorrelationId
    }

    mutating func persist(_ effects: inout RaftEffects) { effects.quorumState = quorumState }

    mutating func leaveRole() {
        lastLeaderContact = nil
        votesGranted = []
        votesRejected = []
        inflightFetch = nil
        nextFetchAt = nil
        fetchDeadline = nil
        electionDeadline = nil
        leader = LeaderProgress()
    }

    /// A new epoch with no known leader and no vote yet.
    mutating func becomeUnattached(epoch newEpoch: Int32, now: Instant, _ effects: inout RaftEffects) {
        let wasLeader = role == .leader
        if newEpoch > epoch { votedId = nil }
        leaveRole()
        epoch = newEpoch
        role = .unattached
        leaderId = nil
        if isVoter {
            electionDeadline = now + randomElectionTimeout()
        } else {
            nextFetchAt = now
            fetchDeadline = now + config.fetchTimeout
        }
        if wasLeader { effects.events.append(.resigned(epoch: epoch, reason: "a higher epoch exists")) }
        effects.events.append(.leaderUnknown(epoch: epoch))
        persist(&effects)
    }

    mutating func becomeFollower(of leaderNode: NodeID, epoch newEpoch: Int32, now: Instant, _ effects: inout RaftEffects) {
        precondition(newEpoch > epoch || leaderId == nil || leaderId == leaderNode, "two leaders in epoch \(newEpoch)")
        precondition(leaderNode != id, "following itself")
        let wasLeader = role == .leader
        if newEpoch > epoch { votedId = nil }
        leaveRole()
        epoch = newEpoch
        role = .follower
        leaderId = leaderNode
        fetchDeadline = now + config.fetchTimeout
        nextFetchAt = now
        if wasLeader { effects.events.append(.resigned(epoch: epoch, reason: "node \(leaderNode) leads a newer epoch")) }
        effects.events.append(.followingLeader(leaderNode, epoch: epoch))
        persist(&effects)
        maybeSendFetch(now: now, &effects)
    }

    /// Reacts to an epoch seen in any message: a newer epoch ends whatever this node was doing.
    /// Returns true when the message belongs to an older epoch and should be ignored.
    @discardableResult
    mutating func maybeTransition(toEpoch seen: Int32, leader seenLeader: NodeID?, now: Instant, _ effects: inout RaftEffects) -> Bool {
        if seen > epoch {
            if let l = seenLeader, l != id {
                becomeFollower(of: l, epoch: seen, now: now, &effects)
            } else {
                becomeUnattached(epoch: seen, now: now, &effects)
            }
        } else if seen == epoch, let l = seenLeader, l != id, leaderId == nil, role != .leader {
            becomeFollower(of: l, epoch: seen, now: now, &effects)
        }
        return seen < epoch
    }
}
