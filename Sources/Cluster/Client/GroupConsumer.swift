// Client room: a consumer in a classic consumer group: subscribe, poll records from the
// partitions the group gives it, commit, leave. Membership runs in a background driver
// (GroupConsumer+Driver); fetching is the assign-mode `Consumer`'s.

/// A Kafka consumer that subscribes to topics and lets its group share out the partitions.
///
/// `subscribe` starts a background driver that finds the coordinator, joins (JoinGroup and
/// SyncGroup, the leader running the assignor), fetches committed offsets, heartbeats every
/// `heartbeat.interval.ms` and, with `enable.auto.commit`, commits positions every
/// `auto.commit.interval.ms` and before giving partitions up. `poll` waits for an assignment
/// and then fetches through an assign-mode `Consumer`. `leave()` sends LeaveGroup; `kill()`
/// just stops, so the coordinator expires the member after `session.timeout.ms`. Unlike
/// Kafka's consumer, joining starts at `subscribe`, not at the first `poll`, so a learner
/// sees the member in the group at once. Mirrors `KafkaConsumer` with its
/// `ConsumerCoordinator` (eager protocol) and heartbeat thread.
public actor GroupConsumer {
    public nonisolated let client: KafkaClient
    public nonisolated let config: GroupConsumerConfig
    /// Membership changes, newest kept when nobody reads (at most `eventsBufferedMax`).
    public nonisolated let events: AsyncStream<GroupConsumerEvent>
    let eventSink: AsyncStream<GroupConsumerEvent>.Continuation
    /// Events buffered for a reader that is not keeping up; older ones are dropped.
    public static let eventsBufferedMax = 1_000

    let fetcher: Consumer
    var membership: GroupMembership
    var offsets = GroupOffsets()
    var topics: [String] = []
    var driver: Task<Void, Never>?
    var stopped = false
    /// Set during `leave()`, whose commit and LeaveGroup still go out after `stopped`.
    var leaving = false
    var failure: KafkaClientError?
    /// The coordinator's address and our own connection to it (Kafka also keeps the
    /// coordinator's connection apart, so a parked JoinGroup never delays a fetch).
    var coordinatorAddress: (host: String, port: Int)?
    var coordinatorConnection: BrokerConnection?
    /// Set while the driver revokes and reassigns; `poll` does not fetch meanwhile.
    var rebalancing = false
    /// Set while `poll` is inside a fetch; the driver waits for it before revoking.
    var fetching = false
    /// Committed offsets are fetched and positions set for the current generation.
    var positionsReady = false
    /// max.poll.interval.ms passed: the member left; the next `poll` rejoins.
    var pollIntervalExceeded = false
    var lastPoll: Instant
    var nextAutoCommit: Instant

    public init(client: KafkaClient, config: GroupConsumerConfig) throws(KafkaClientError) {
        try config.validate()
        self.client = client
        self.config = config
        self.fetcher = Consumer(client: client, config: config.fetch)
        self.membership = GroupMembership(
            groupId: config.groupId, groupInstanceId: config.groupInstanceId,
            strategies: config.assignmentStrategies)
        let (stream, sink) = AsyncStream<GroupConsumerEvent>.makeStream(
            bufferingPolicy: .bufferingNewest(Self.eventsBufferedMax))
        self.events = stream
        self.eventSink = sink
        let now = client.clock.now()
        self.lastPoll = now
        self.nextAutoCommit = now + config.autoCommitInterval
    }

    // MARK: - What the REPL shows

    /// The partitions of the current generation (empty while rebalancing).
    public var assignment: [TopicPartition] { membership.assignment }
    public var generation: Int32 { membership.generationId }
    public var memberId: String { membership.memberId }
    public var isLeader: Bool { membership.isLeader }
    public var state: GroupMemberState { membership.state }
    public var subscription: [String] { topics }
    /// The coordinator's node id, when known.
    public var coordinator: Int32? { membership.coordinator }
    /// The offsets this member knows are committed, per assigned partition.
    public var committed: [TopicPartition: Int64] { offsets.committed }

    /// The position (next offset to return) of every assigned partition that has one.
    public func positions() async -> [TopicPartition: Int64] {
        await fetcher.knownPositions()
    }

    func emit(_ event: GroupConsumerEvent) { eventSink.yield(event) }

    // MARK: - Subscribe and poll

    /// Subscribes to `topics` (replacing any earlier subscription) and starts joining.
    public func subscribe(_ topics: [String]) throws(KafkaClientError) {
        guard !stopped else { throw .closed }
        let wanted = Array(Set(topics)).sorted()
        guard !wanted.isEmpty else {
            throw .invalidConfig("subscribe needs at least one topic")
        }
        if wanted != self.topics {
            self.topics = wanted
            membership.requestRejoin()
        }
        lastPoll = client.clock.now()
        startDriver()
    }

    /// Returns up to `maxRecords` records from the assigned partitions, waiting up to
    /// `timeout` (also for a join to finish); an empty array when none came. Throws what
    /// stopped the consumer, `.closed` after `leave`/`kill`, `.noAssignment` before
    /// `subscribe`.
    public func poll(timeout: Duration, maxRecords: Int? = nil) async throws -> [ConsumedRecord] {
        try checkUsable()
        guard !topics.isEmpty else { throw KafkaClientError.noAssignment }
        let clock = client.clock
        let deadline = clock.now() + timeout
        while true {
            try Task.checkCancellation()
            try checkUsable()
            lastPoll = clock.now()
            // The driver left the group after max.poll.interval.ms; this poll rejoins.
            pollIntervalExceeded = false
            let left = deadline - clock.now()
            if ready {
                fetching = true
                // Short slices keep a rebalance from waiting on a long fetch.
                let slice = max(.zero, min(left, config.heartbeatInterval))
                let records: [ConsumedRecord]
                do {
                    records = try await fetcher.poll(timeout: slice, maxRecords: maxRecords)
                    fetching = false
                } catch KafkaClientError.noAssignment {
                    fetching = false
                    records = []
                } catch {
                    fetching = false
                    throw error
                }
                if !records.isEmpty { return records }
            } else if left > .zero {
                try await Task.sleep(for: min(left, Self.waitStep))
            }
            if clock.now() >= deadline { return [] }
        }
    }

    /// How long `poll` and the driver wait between looks at a condition.
    static let waitStep: Duration = .milliseconds(10)

    /// Assigned, positioned, not rebalancing, with something to fetch.
    var ready: Bool {
        membership.state == .stable && positionsReady && !rebalancing
            && !membership.assignment.isEmpty
    }

    func checkUsable() throws(KafkaClientError) {
        if let failure { throw failure }
        guard !stopped else { throw .closed }
    }

    // MARK: - Stop

    /// Commits (with auto-commit), sends LeaveGroup so the group rebalances at once, and
    /// stops. Later calls fail with `.closed`.
    public func leave() async {
        guard !stopped else { return }
        stopDriver()
        leaving = true
        // Only a stable member commits here: during a rebalance the revocation already did,
        // and a parked JoinGroup would hold the commit back.
        if config.enableAutoCommit, membership.state == .stable {
            _ = try? await commitPositions(onlyChanged: true)
        }
        var sent = false
        if !membership.memberId.isEmpty {
            sent = (try? await sendLeaveGroup(reason: "the consumer is leaving")) ?? false
        }
        _ = membership.revokeAll()
        membership.resetMember()
        leaving = false
        await finish(sentLeaveGroup: sent)
    }

    /// A crash: stops heartbeating and fetching at once, without LeaveGroup or commit, and
    /// drops the coordinator connection. The coordinator notices only when
    /// `session.timeout.ms` passes without a heartbeat.
    public func kill() async {
        guard !stopped else { return }
        stopDriver()
        await finish(sentLeaveGroup: false)
    }

    private func stopDriver() {
        stopped = true
        driver?.cancel()
        driver = nil
    }

    private func finish(sentLeaveGroup: Bool) async {
        let connection = coordinatorConnection
        coordinatorConnection = nil
        await connection?.close()
        await fetcher.close()
        positionsReady = false
        emit(.left(sentLeaveGroup: sentLeaveGroup))
        eventSink.finish()
    }
}
