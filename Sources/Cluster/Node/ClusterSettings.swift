// Node room: the timeouts and intervals a learner may look at and change while the cluster
// runs, under Kafka's config names, each beside Kafka's default. Smaller values than Kafka's
// make a failover take seconds; changing one shows what it governs.

/// The changeable timings of every node of a cluster: the quorum's, the controller's and the
/// replica fetchers'.
public struct ClusterSettings: Equatable, Sendable {
    public var raft: RaftConfig
    public var controller: QuorumControllerConfig
    public var replicaFetch: ReplicaFetchConfig

    public init(raft: RaftConfig, controller: QuorumControllerConfig, replicaFetch: ReplicaFetchConfig) {
        self.raft = raft
        self.controller = controller
        self.replicaFetch = replicaFetch
    }

    /// One setting as `cluster config` shows it.
    public struct Setting: Equatable, Sendable {
        public var name: String
        public var value: String
        public var kafkaDefault: String
        /// What it governs, in a few words.
        public var governs: String
    }

    /// Why a change was refused.
    public struct Refusal: Error, Equatable, Sendable {
        public var message: String
    }

    private struct Knob {
        var name: String
        var kafkaDefault: String
        var governs: String
        var unit: Unit
        var get: @Sendable (ClusterSettings) -> Duration
        var set: @Sendable (inout ClusterSettings, Duration) -> Void
        /// Smallest and largest values that keep the cluster working (and a learner's test short).
        var range: ClosedRange<Int64>
    }

    private enum Unit { case milliseconds, seconds }

    private static let knobs: [Knob] = [
        Knob(name: "broker.session.timeout.ms", kafkaDefault: "9000",
             governs: "a broker without a heartbeat this long is fenced", unit: .milliseconds,
             get: { $0.controller.brokerSessionTimeout }, set: { $0.controller.brokerSessionTimeout = $1 },
             range: 200...120_000),
        Knob(name: "broker.heartbeat.interval.ms", kafkaDefault: "2000",
             governs: "how often each broker heartbeats to the controller", unit: .milliseconds,
             get: { $0.controller.brokerHeartbeatInterval }, set: { $0.controller.brokerHeartbeatInterval = $1 },
             range: 50...60_000),
        Knob(name: "controller.quorum.election.timeout.ms", kafkaDefault: "1000",
             governs: "a voter without a leader waits this long (to twice it) before it stands", unit: .milliseconds,
             get: { $0.raft.electionTimeout }, set: { $0.raft.electionTimeout = $1 }, range: 100...60_000),
        Knob(name: "controller.quorum.fetch.timeout.ms", kafkaDefault: "2000",
             governs: "a follower that has not heard its leader this long starts an election", unit: .milliseconds,
             get: { $0.raft.fetchTimeout }, set: { $0.raft.fetchTimeout = $1 }, range: 150...60_000),
        Knob(name: "controller.quorum.election.backoff.max.ms", kafkaDefault: "1000",
             governs: "the longest a losing candidate waits before it stands again", unit: .milliseconds,
             get: { $0.raft.electionBackoffMax }, set: { $0.raft.electionBackoffMax = $1 }, range: 10...60_000),
        Knob(name: "controller.quorum.request.timeout.ms", kafkaDefault: "2000",
             governs: "an unanswered quorum request is sent again after this", unit: .milliseconds,
             get: { $0.raft.requestTimeout }, set: { $0.raft.requestTimeout = $1 }, range: 100...60_000),
        Knob(name: "replica.lag.time.max.ms", kafkaDefault: "30000",
             governs: "a follower behind its leader this long leaves the ISR", unit: .milliseconds,
             get: { $0.replicaFetch.lagTimeMax }, set: { $0.replicaFetch.lagTimeMax = $1 }, range: 200...600_000),
        Knob(name: "replica.fetch.wait.max.ms", kafkaDefault: "500",
             governs: "how long a leader holds a follower's fetch that finds nothing new", unit: .milliseconds,
             get: { $0.replicaFetch.waitMax }, set: { $0.replicaFetch.waitMax = $1 }, range: 0...10_000),
        Knob(name: "replica.fetch.backoff.ms", kafkaDefault: "1000",
             governs: "a follower's pause after a failed fetch", unit: .milliseconds,
             get: { $0.replicaFetch.backoff }, set: { $0.replicaFetch.backoff = $1 }, range: 0...60_000),
        Knob(name: "leader.imbalance.check.interval.seconds", kafkaDefault: "300",
             governs: "how often the controller moves leadership back to preferred replicas", unit: .seconds,
             get: { $0.controller.leaderImbalanceCheckInterval },
             set: { $0.controller.leaderImbalanceCheckInterval = $1 }, range: 1...86_400),
    ]

    /// Every setting with its value in use.
    public var settings: [Setting] {
        Self.knobs.map { knob in
            let value = knob.get(self)
            let shown = knob.unit == .seconds ? value.milliseconds / 1_000 : value.milliseconds
            return Setting(name: knob.name, value: String(shown), kafkaDefault: knob.kafkaDefault, governs: knob.governs)
        }
    }

    public static var names: [String] { knobs.map(\.name) }

    /// Sets `name` to `text` (a whole number of the setting's unit), or says why not and
    /// changes nothing.
    public mutating func set(_ name: String, to text: String) throws(Refusal) {
        guard let knob = Self.knobs.first(where: { $0.name == name }) else {
            throw Refusal(message: "No setting '\(name)'. Settings: \(Self.names.joined(separator: ", ")).")
        }
        guard let number = Int64(text), knob.range.contains(number) else {
            let unit = knob.unit == .seconds ? "seconds" : "milliseconds"
            throw Refusal(message: "\(name) takes a whole number of \(unit) from \(knob.range.lowerBound) to \(knob.range.upperBound); got '\(text)'.")
        }
        var changed = self
        knob.set(&changed, knob.unit == .seconds ? .seconds(number) : .milliseconds(number))
        try changed.check()
        self = changed
    }

    /// Kafka's own cross-checks between settings.
    private func check() throws(Refusal) {
        if controller.brokerHeartbeatInterval >= controller.brokerSessionTimeout {
            throw Refusal(message: "broker.heartbeat.interval.ms must be less than broker.session.timeout.ms, or every broker is fenced between two heartbeats.")
        }
    }
}
