// Client room: the group consumer's commits: OffsetCommit of positions under the member's
// generation, by hand (commit) or every auto.commit.interval.ms and before a revocation.

extension GroupConsumer {
    /// Commits the position of every assigned partition and waits for the answer (Kafka's
    /// `commitSync()`). Throws the coordinator's error; REBALANCE_IN_PROGRESS,
    /// UNKNOWN_MEMBER_ID and ILLEGAL_GENERATION mean the partitions may belong to another
    /// member now (Kafka's `CommitFailedException`).
    @discardableResult
    public func commit() async throws -> [TopicPartition: Int64] {
        try checkUsable()
        try checkStable()
        return try await commitPositions(onlyChanged: false)
    }

    /// Commits `offsets` (each the offset of the next record to read) for partitions this
    /// member owns (Kafka's `commitSync(Map)`).
    public func commit(offsets explicit: [TopicPartition: Int64]) async throws {
        try checkUsable()
        try checkStable()
        for (tp, offset) in explicit.sorted(by: { $0.key < $1.key }) {
            guard offset >= 0 else {
                throw KafkaClientError.invalidConfig("commit offset \(offset) for \(tp) is negative")
            }
        }
        try await send(commit: explicit)
    }

    /// A commit by hand needs a stable generation (Kafka's `RebalanceInProgressException`).
    func checkStable() throws(KafkaClientError) {
        guard membership.state == .stable, !rebalancing else {
            throw .broker(
                .rebalanceInProgress, context: "OffsetCommit",
                message: "the group is rebalancing; poll until this member has joined")
        }
    }

    /// Commits current positions, all or only those that moved since the last commit.
    @discardableResult
    func commitPositions(onlyChanged: Bool) async throws -> [TopicPartition: Int64] {
        let owned = Set(membership.assignment)
        let positions = await fetcher.knownPositions().filter { owned.contains($0.key) }
        let toCommit = onlyChanged ? offsets.uncommitted(positions) : positions
        guard !toCommit.isEmpty else { return [:] }
        try await send(commit: toCommit)
        return toCommit
    }

    /// The auto-commit of a stable member: failures are reported through the group's error
    /// handling (a rebalance, a lost generation) and retried at the next interval.
    func autoCommit() async throws {
        do {
            try await commitPositions(onlyChanged: true)
        } catch let error as KafkaClientError where Self.driverRetries(error) {
            return
        } catch KafkaClientError.broker(let code, _, _)
            where code == .rebalanceInProgress || code == .unknownMemberId
            || code == .illegalGeneration
        {
            return
        }
    }

    /// One OffsetCommit; per-partition errors after it are thrown, group-level ones first
    /// handled like a Heartbeat's (start a rejoin, mark partitions lost, find the coordinator).
    func send(commit toCommit: [TopicPartition: Int64]) async throws {
        guard membership.generationId >= 0, !membership.memberId.isEmpty else {
            throw KafkaClientError.broker(
                .rebalanceInProgress, context: "OffsetCommit",
                message: "the member has no generation yet; poll until it joins")
        }
        let request = GroupOffsets.commitRequest(toCommit, membership: membership)
        let response = try await sendToCoordinator(request)
        let failed = offsets.apply(response, asked: toCommit)
        let accepted = toCommit.filter { tp, _ in !failed.contains { $0.0 == tp } }
        if !accepted.isEmpty { emit(.committed(accepted)) }
        guard let (tp, code) = failed.first else { return }
        if request.generationIdOrMemberEpoch == membership.generationId {
            try await handleGroupError(code, context: "OffsetCommit")
        }
        throw KafkaClientError.broker(code, context: "OffsetCommit for \(tp)", message: nil)
    }
}
