// Raft room: the quorum's timing settings, under Kafka's config names, and the facts about
// who votes. Shorter defaults than Kafka's, so that a learner can watch an election.

/// The KRaft settings one node runs with (Kafka's `QuorumConfig`).
public struct RaftConfig: Equatable, Sendable {
    /// `controller.quorum.voters`: the nodes that vote. Everyone else is an observer.
    public var voters: [NodeID]
    /// `controller.quorum.election.timeout.ms`: how long a voter without a leader waits before
    /// it stands; each wait is drawn from [timeout, 2 × timeout) so voters rarely tie.
    public var electionTimeout: Duration
    /// `controller.quorum.fetch.timeout.ms`: a follower that has not fetched from its leader for
    /// this long gives up on it and stands for election; a leader that has not heard from a
    /// majority for 1.5 × this long resigns.
    public var fetchTimeout: Duration
    /// `controller.quorum.election.backoff.max.ms`: the most a losing candidate waits before it
    /// tries again.
    public var electionBackoffMax: Duration
    /// `controller.quorum.request.timeout.ms`: an unanswered request is sent again after this.
    public var requestTimeout: Duration

    public init(
        voters: [NodeID], electionTimeout: Duration = .milliseconds(1000),
        fetchTimeout: Duration = .milliseconds(1500), electionBackoffMax: Duration = .milliseconds(300),
        requestTimeout: Duration = .milliseconds(1000)
    ) {
        self.voters = voters.sorted()
        self.electionTimeout = electionTimeout
        self.fetchTimeout = fetchTimeout
        self.electionBackoffMax = electionBackoffMax
        self.requestTimeout = requestTimeout
    }

    /// How many voters make a majority.
    public var majority: Int { voters.count / 2 + 1 }

    /// How long a leader parks a follower's Fetch that finds nothing new (KafkaRaftClient uses
    /// a fixed wait well inside the fetch timeout, so an idle follower still hears often).
    public var fetchMaxWait: Duration { min(.milliseconds(500), fetchTimeout / 3) }
}

/// What `quorum-state` holds: enough for a restarted voter never to vote twice in one epoch
/// and to find its leader again (Kafka's `ElectionState`).
public struct QuorumStateData: Equatable, Sendable {
    public var leaderEpoch: Int32
    public var leaderId: NodeID?
    public var votedId: NodeID?

    public init(leaderEpoch: Int32 = 0, leaderId: NodeID? = nil, votedId: NodeID? = nil) {
        self.leaderEpoch = leaderEpoch
        self.leaderId = leaderId
        self.votedId = votedId
    }
}
