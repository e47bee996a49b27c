// Client room: the group consumer's background driver: join and sync (revoking first),
// fetch committed offsets, then heartbeat and auto-commit until stopped. Every wait is
// bounded; cancelling the driver's task stops it at its next await.

extension GroupConsumer {
    func startDriver() {
        guard driver == nil, !stopped else { return }
        driver = Task { [weak self] in await self?.run() }
    }

    /// Steps until stopped, retrying what may succeed later with exponential backoff
    /// (`retry.backoff.ms` to `retry.backoff.max.ms`) and stopping on what will not.
    func run() async {
        var attempt = 1
        while !stopped && !Task.isCancelled {
            do {
                try await step()
                attempt = 1
            } catch is CancellationError {
                return
            } catch let error as KafkaClientError {
                guard !stopped else { return }
                guard Self.driverRetries(error) else {
                    fail(error)
                    return
                }
                if case .broker(let code, _, _) = error, code == .notCoordinator
                    || code == .coordinatorNotAvailable
                {
                    coordinatorUnknown()
                }
                do {
                    try await Task.sleep(for: client.config.backoff(attempt: attempt))
                } catch {
                    return
                }
                attempt += 1
            } catch {
                guard !stopped else { return }
                fail(.network(broker: membership.coordinator ?? -1, "\(error)"))
                return
            }
        }
    }

    /// Whether the driver tries again after `error`.
    static func driverRetries(_ error: KafkaClientError) -> Bool {
        switch error {
        case .timedOut, .network, .brokersUnreachable, .unknownBroker: return true
        default: return error.isRetriable
        }
    }

    func fail(_ error: KafkaClientError) {
        failure = error
        emit(.failed(error.description))
    }

    /// One step of the membership: rejoin, set positions, or heartbeat and idle.
    func step() async throws {
        if pollIntervalExceeded {
            try await Task.sleep(for: Self.idleStep)
            return
        }
        if membership.state != .stable {
            try await rebalance()
            return
        }
        if !positionsReady {
            try await setPositions()
            return
        }
        let now = client.clock.now()
        if now - lastPoll > config.maxPollInterval {
            try await leaveForPollTimeout()
            return
        }
        if config.enableAutoCommit && now >= nextAutoCommit {
            nextAutoCommit = now + config.autoCommitInterval
            try await autoCommit()
        }
        try await heartbeat()
        var until = now + config.heartbeatInterval
        if config.enableAutoCommit { until = min(until, nextAutoCommit) }
        try await idle(until: until)
    }

    /// The longest single sleep of the driver while idle.
    static let idleStep: Duration = .milliseconds(50)

    /// Sleeps until `deadline`, waking early when a rejoin is wanted or the consumer stops.
    func idle(until deadline: Instant) async throws {
        let clock = client.clock
        while !stopped && membership.state == .stable {
            let left = deadline - clock.now()
            if left <= .zero { return }
            try await Task.sleep(for: min(left, Self.idleStep))
        }
    }

    // MARK: - Rebalance

    /// Revokes (committing first, with auto-commit), joins, and syncs. Returns early when the
    /// answer says to join again; the next step does.
    func rebalance() async throws {
        try await revoke()
        let request = membership.joinRequest(
            topics: topics, sessionTimeout: config.sessionTimeout,
            rebalanceTimeout: config.maxPollInterval)
        // The coordinator parks JoinGroup until the generation closes, up to the rebalance
        // timeout, so the request may take that much longer than request.timeout.ms.
        let joined = try await sendToCoordinator(request, extraTimeout: config.maxPollInterval)
        guard !stopped else { return }
        switch membership.handleJoin(joined) {
        case .rejoin:
            return
        case .retryAfterBackoff:
            try await Task.sleep(for: client.config.retryBackoff)
            return
        case .findCoordinator:
            coordinatorUnknown()
            return
        case .fatal(let code):
            throw KafkaClientError.broker(code, context: "JoinGroup", message: nil)
        case .synchronize(let leader):
            try await synchronize(joined, leader: leader)
        }
    }

    /// Gives up the current partitions before a rejoin: waits for a fetch in flight, commits
    /// positions (auto-commit), and reports the revocation. Mirrors `onJoinPrepare`.
    func revoke() async throws {
        positionsReady = false
        guard !membership.assignment.isEmpty else { return }
        rebalancing = true
        defer { rebalancing = false }
        try await waitForFetch()
        if config.enableAutoCommit && membership.generationId >= 0 {
            // A failed commit does not stop the rebalance; Kafka logs it and goes on.
            _ = try? await commitPositions(onlyChanged: true)
        }
        let revoked = membership.revokeAll()
        await fetcher.assign([])
        emit(.revoked(revoked))
    }

    /// Waits (bounded by one fetch's longest time) for `poll`'s fetch in flight to end.
    func waitForFetch() async throws {
        let clock = client.clock
        let deadline =
            clock.now() + config.heartbeatInterval + config.fetch.fetchMaxWait
            + client.config.requestTimeout
        while fetching && clock.now() < deadline {
            try await Task.sleep(for: Self.waitStep)
        }
    }

    /// SyncGroup (the leader with everyone's assignment), then the new assignment.
    func synchronize(_ joined: JoinGroupResponse, leader: Bool) async throws {
        var partitionsPerTopic: [String: Int32] = [:]
        if leader {
            partitionsPerTopic = try await partitionCounts(joined.members)
        }
        let request: SyncGroupRequest
        do {
            request = try membership.syncRequest(
                joined: joined, partitionsPerTopic: partitionsPerTopic)
        } catch {
            throw KafkaClientError.protocolError(
                broker: membership.coordinator ?? -1, "a member's subscription: \(error)")
        }
        let synced = try await sendToCoordinator(request)
        guard !stopped else { return }
        switch membership.handleSync(synced) {
        case .assigned(let partitions):
            offsets.retain(partitions)
            await fetcher.assign(partitions)
            emit(
                .joined(
                    generation: membership.generationId, memberId: membership.memberId,
                    leader: leader, protocolName: membership.protocolName,
                    assignment: partitions))
            try await setPositions()
        case .rejoin:
            return
        case .findCoordinator:
            coordinatorUnknown()
        case .fatal(let code):
            throw KafkaClientError.broker(code, context: "SyncGroup", message: nil)
        }
    }

    /// Partition counts of every topic any member subscribes to, from fresh metadata;
    /// topics that do not exist are left out (the assignor skips them).
    func partitionCounts(_ members: [JoinGroupResponse.Member]) async throws -> [String: Int32] {
        var wanted: Set<String> = []
        for member in members {
            if let topics = try? ConsumerProtocolSubscription.topics(in: member.metadata) {
                wanted.formUnion(topics)
            }
        }
        let metadata = try await client.refreshMetadata(topics: wanted.sorted())
        var counts: [String: Int32] = [:]
        for topic in wanted.sorted() {
            guard let partitions = metadata.topic(topic)?.partitions, !partitions.isEmpty else {
                continue
            }
            counts[topic] = Int32(clamping: partitions.count)
        }
        return counts
    }

    /// OffsetFetch for the assignment: committed offsets become positions; the rest are
    /// left to `auto.offset.reset` at the first fetch.
    func setPositions() async throws {
        let assigned = membership.assignment
        let generation = membership.generationId
        guard !assigned.isEmpty else {
            positionsReady = true
            return
        }
        let request = GroupOffsets.fetchRequest(assigned, groupId: config.groupId)
        let response = try await sendToCoordinator(request)
        guard !stopped, membership.generationId == generation, membership.state == .stable
        else { return }
        let (starts, _) = try offsets.applyFetched(response, for: assigned)
        for tp in starts.keys.sorted() {
            if let offset = starts[tp] { try await fetcher.seek(tp, to: .offset(offset)) }
        }
        positionsReady = true
    }

    // MARK: - Heartbeat

    /// One Heartbeat; its answer may start a rejoin or mark the partitions lost.
    func heartbeat() async throws {
        let request = membership.heartbeatRequest()
        let response = try await sendToCoordinator(request)
        guard !stopped, request.generationId == membership.generationId else { return }
        try await handleGroupError(response.errorCode, context: "Heartbeat")
    }

    /// Acts on a Heartbeat's or OffsetCommit's group-level error code.
    func handleGroupError(_ code: ErrorCode, context: String) async throws {
        let owned = membership.assignment
        switch membership.handleHeartbeat(code) {
        case .ok, .rejoin:
            return
        case .lost:
            try await dropLost(owned, reason: "\(context) answered \(code.name)")
        case .findCoordinator:
            coordinatorUnknown()
        case .fatal(let fatal):
            throw KafkaClientError.broker(fatal, context: context, message: nil)
        }
    }

    /// Partitions the coordinator no longer counts as ours: stop fetching them, no commit.
    func dropLost(_ lost: [TopicPartition], reason: String) async throws {
        positionsReady = false
        rebalancing = true
        defer { rebalancing = false }
        try await waitForFetch()
        await fetcher.assign([])
        offsets.retain([])
        emit(.lost(lost, reason: reason))
    }

    /// max.poll.interval.ms passed without a poll: leave the group so the others get our
    /// partitions (Kafka's heartbeat thread does this); the next `poll` rejoins.
    func leaveForPollTimeout() async throws {
        let owned = membership.assignment
        _ = try? await sendLeaveGroup(reason: "max.poll.interval.ms passed without a poll")
        membership.resetMember()
        pollIntervalExceeded = true
        try await dropLost(owned, reason: "max.poll.interval.ms passed without a poll")
    }
}
