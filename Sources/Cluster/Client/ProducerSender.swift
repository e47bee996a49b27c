// Client room: the producer's background sender. Wakes on new batches, timers and answers;
// drains ready batches per leader, pipelines Produce requests, and settles their answers.

import NIOCore

/// The producer's I/O loop, as Kafka's `Sender` thread: one task that drains the accumulator
/// and child tasks for each request in flight, InitProducerId and metadata refreshes.
///
/// It holds no state of its own beyond the shared `ProducerState`; a wake-up is a value on
/// an `AsyncStream` that keeps only the newest, so any number of wakes coalesce into one
/// pass. Timers for `linger.ms`, retry backoffs and delivery timeouts are NIO scheduled
/// tasks that wake it.
struct ProducerSender: Sendable {
    let client: KafkaClient
    let config: ProducerConfig
    let state: Locked<ProducerState>
    let loop: any EventLoop
    private let wakeups: AsyncStream<Void>
    private let continuation: AsyncStream<Void>.Continuation

    init(client: KafkaClient, config: ProducerConfig, state: Locked<ProducerState>) {
        self.client = client
        self.config = config
        self.state = state
        self.loop = client.group.next()
        (wakeups, continuation) = AsyncStream.makeStream(
            of: Void.self, bufferingPolicy: .bufferingNewest(1))
    }

    var idempotent: Bool { config.enableIdempotence }

    func wake() { continuation.yield() }

    /// Runs until the producer is closed and everything has its answer.
    func run() async {
        await withDiscardingTaskGroup { group in
            wake()
            for await _ in wakeups {
                if pass(&group) { break }
            }
        }
        continuation.finish()
    }

    // MARK: - One pass

    private struct Plan {
        var requests: [RecordAccumulator.Drained] = []
        var expired: [ProducerBatch] = []
        var refreshMetadata = false
        var initProducerId = false
        var wakeAt: Instant?
        var stop = false
    }

    /// Decides under the lock, then starts requests outside it. Returns true to stop.
    private func pass(_ group: inout DiscardingTaskGroup) -> Bool {
        let now = client.clock.now()
        let metadata = client.metadata
        let plan = state.withLock { state -> Plan in self.plan(&state, now: now, metadata: metadata)
        }
        for batch in plan.expired {
            let error = KafkaClientError.timedOut(
                "\(batch.recordCount) record(s) for \(batch.topicPartition) expired: "
                    + "delivery.timeout.ms (\(config.deliveryTimeout.milliseconds) ms) passed "
                    + "since the batch was created"
                    + (batch.lastError.map { "; last error: \($0)" } ?? ""))
            finish(batch, .failure(error))
        }
        for request in plan.requests {
            group.addTask { await send(request) }
        }
        if plan.refreshMetadata {
            group.addTask { await refreshMetadata() }
        }
        if plan.initProducerId {
            group.addTask { await initProducerId() }
        }
        if let wakeAt = plan.wakeAt {
            loop.scheduleTask(in: .nanoseconds(max(0, (wakeAt - now).nanosecondsClamped))) {
                state.withLock { state in
                    if state.wakeArmedAt == wakeAt { state.wakeArmedAt = nil }
                }
                wake()
            }
        }
        return plan.stop
    }

    private func plan(_ state: inout ProducerState, now: Instant, metadata: MetadataCache) -> Plan {
        var plan = Plan()
        var deadline: Instant?
        if idempotent && state.fatalError == nil && state.sequences.needsProducerId
            && !state.initializingProducerId && state.totalInFlight == 0
            && !(state.closed && state.accumulator.isEmpty)
        {
            let after = state.lastInitAttempt.map { $0 + config.retryBackoff } ?? now
            if after <= now {
                state.initializingProducerId = true
                state.lastInitAttempt = now
                plan.initProducerId = true
            } else {
                deadline = after
            }
        }
        var unknownLeader = false
        let maxInFlight = config.maxInFlightRequestsPerConnection
        while true {
            var sequences = state.sequences
            let inFlight = state.inFlight
            let idempotent = self.idempotent
            let generation = state.metadataGeneration
            let result = state.accumulator.drain(
                now: now, leader: { metadata.leader(for: $0) },
                nodeReady: { inFlight[$0, default: 0] < maxInFlight },
                mayDrain: { batch in
                    if let failed = batch.failedUnderMetadata, failed >= generation { return false }
                    return idempotent ? sequences.mayDrain(batch) : true
                },
                prepare: { batch in
                    batch.failedUnderMetadata = nil
                    if idempotent { sequences.prepare(&batch) }
                })
            state.sequences = sequences
            plan.expired += result.expired
            unknownLeader = unknownLeader || result.unknownLeader
            if let next = result.nextDeadline { deadline = min(deadline ?? next, next) }
            if result.requests.isEmpty { break }
            for request in result.requests { state.inFlight[request.node, default: 0] += 1 }
            plan.requests += result.requests
        }
        for batch in plan.expired where idempotent { state.sequences.abandoned(batch) }
        // Metadata is also refreshed every metadata.max.age.ms, to see new partitions.
        if !state.routes.isEmpty, let updated = metadata.updatedAt {
            let due = updated + client.config.metadataMaxAge
            if due <= now || metadata.isStale {
                state.metadataWanted = true
            } else {
                deadline = min(deadline ?? due, due)
            }
        }
        // Metadata: when a leader is unknown or an answer said so, at most once per backoff.
        if (unknownLeader || state.metadataWanted) && !state.refreshingMetadata {
            let after = state.lastMetadataRefresh.map { $0 + config.retryBackoff } ?? now
            if after <= now {
                state.refreshingMetadata = true
                state.metadataWanted = false
                state.lastMetadataRefresh = now
                plan.refreshMetadata = true
            } else {
                deadline = min(deadline ?? after, after)
            }
        }
        if let deadline, state.wakeArmedAt.map({ deadline < $0 }) ?? true {
            state.wakeArmedAt = deadline
            plan.wakeAt = deadline
        }
        plan.stop =
            state.closed && state.accumulator.isEmpty && state.totalInFlight == 0
            && !state.refreshingMetadata && !state.initializingProducerId
        return plan
    }

    // MARK: - Produce

    /// Sends one Produce request and settles each of its batches.
    private func send(_ request: RecordAccumulator.Drained) async {
        var batches = request.batches
        var ready: [ProducerBatch] = []
        for var batch in batches {
            do {
                _ = try batch.seal()
                ready.append(batch)
            } catch {
                settleFailure(
                    batch, error: nil, .invalidRecord(error.description), retriable: false)
            }
        }
        batches = ready
        defer {
            state.withLock { $0.inFlight[request.node, default: 1] -= 1 }
            wake()
        }
        guard !batches.isEmpty else { return }
        let produce = Self.produceRequest(
            batches, acks: config.acks, timeout: config.requestTimeout)
        do {
            let connection = try await client.connection(to: request.node)
            if config.acks == 0 {
                try await connection.sendWithoutResponse { _ in produce }
                for batch in batches { settleSuccess(batch, baseOffset: -1, logAppendTime: -1) }
                return
            }
            let (response, _) = try await client.send(on: connection) { _ in produce }
            settle(batches, response: response)
        } catch {
            let clientError =
                error as? KafkaClientError ?? .network(broker: request.node, "\(error)")
            state.withLock { $0.metadataWanted = true }
            for batch in batches {
                settleFailure(batch, error: nil, clientError, retriable: clientError.isRetriable)
            }
        }
    }

    static func produceRequest(_ batches: [ProducerBatch], acks: Int16, timeout: Duration)
        -> ProduceRequest
    {
        var topics: [ProduceRequest.TopicData] = []
        var index: [String: Int] = [:]
        for batch in batches {
            let tp = batch.topicPartition
            let data = ProduceRequest.PartitionData(index: tp.partition, records: batch.bytes)
            if let at = index[tp.topic] {
                topics[at].partitionData.append(data)
            } else {
                index[tp.topic] = topics.count
                topics.append(ProduceRequest.TopicData(name: tp.topic, partitionData: [data]))
            }
        }
        return ProduceRequest(
            acks: acks, timeoutMs: Int32(clamping: timeout.milliseconds), topicData: topics)
    }

    /// Matches each batch with its partition's answer.
    private func settle(_ batches: [ProducerBatch], response: ProduceResponse) {
        var answers: [TopicPartition: ProduceResponse.PartitionResponse] = [:]
        for topic in response.responses {
            for partition in topic.partitionResponses {
                answers[TopicPartition(topic.name, partition.index)] = partition
            }
        }
        for batch in batches {
            guard let answer = answers[batch.topicPartition] else {
                settleFailure(
                    batch, error: nil,
                    .protocolError(broker: -1, "no answer for \(batch.topicPartition)"),
                    retriable: false)
                continue
            }
            let code = answer.errorCode
            if code == .none {
                settleSuccess(
                    batch, baseOffset: answer.baseOffset, logAppendTime: answer.logAppendTimeMs)
                continue
            }
            if Self.invalidatesMetadata(code) { state.withLock { $0.metadataWanted = true } }
            let detail = answer.errorMessage ?? answer.recordErrors.first?.batchIndexErrorMessage
            let error = KafkaClientError.broker(
                code, context: "Produce to \(batch.topicPartition)", message: detail)
            settleFailure(batch, error: code, error, retriable: code.isRetriable, answer: answer)
        }
    }

    /// Kafka's `InvalidMetadataException` family: the client's routing is out of date.
    static func invalidatesMetadata(_ code: ErrorCode) -> Bool {
        [
            .notLeaderOrFollower, .unknownTopicOrPartition, .leaderNotAvailable,
            .fencedLeaderEpoch, .unknownLeaderEpoch, .kafkaStorageError, .unknownTopicId,
        ].contains(code)
    }

    private func settleSuccess(_ batch: ProducerBatch, baseOffset: Int64, logAppendTime: Int64) {
        state.withLock { state in
            if idempotent { state.sequences.acknowledged(batch) }
        }
        finish(batch, .success(baseOffset: baseOffset, logAppendTime: logAppendTime))
    }

    /// Retries the batch if Kafka would (retriable, `retries` left, delivery timeout not
    /// reached), otherwise fails it. `code` is the broker's, nil for a lost connection.
    private func settleFailure(
        _ batch: ProducerBatch, error code: ErrorCode?, _ error: KafkaClientError,
        retriable: Bool, answer: ProduceResponse.PartitionResponse? = nil
    ) {
        let now = client.clock.now()
        var batch = batch
        enum Outcome { case retry, fail, succeed }
        let outcome = state.withLock { state -> Outcome in
            var action: ProducerSequences.FailureAction = retriable ? .retry : .fail
            if idempotent && batch.hasSequence {
                action = state.sequences.failed(batch, error: code, retriable: retriable)
            }
            if action == .succeed {
                state.sequences.acknowledged(batch)
                return .succeed
            }
            let expired = now >= batch.createdAt + config.deliveryTimeout
            if action == .retry && batch.attempts <= config.retries && !expired
                && state.fatalError == nil
            {
                batch.lastError = error
                if code.map(Self.invalidatesMetadata) ?? true {
                    batch.failedUnderMetadata = state.metadataGeneration
                    state.metadataWanted = true
                }
                batch.retryAfter =
                    now
                    + ClientConfig.backoff(
                        attempt: batch.attempts, base: config.retryBackoff,
                        max: config.retryBackoffMax)
                state.accumulator.reenqueue(batch)
                return .retry
            }
            if idempotent { state.sequences.abandoned(batch) }
            return .fail
        }
        switch outcome {
        case .retry:
            break
        case .succeed:
            finish(
                batch,
                .success(
                    baseOffset: answer?.baseOffset ?? -1,
                    logAppendTime: answer?.logAppendTimeMs ?? -1))
        case .fail:
            finish(batch, .failure(error))
        }
    }

    func finishFailed(_ batch: ProducerBatch, _ error: KafkaClientError) {
        finish(batch, .failure(error))
    }

    /// Completes a batch: its records' futures resolve and its bytes leave `buffer.memory`.
    private func finish(_ batch: ProducerBatch, _ outcome: BatchCompletion.Outcome) {
        state.withLock { state in
            state.accumulator.release(batch)
            state.incomplete[batch.id] = nil
        }
        batch.completion.complete(outcome)
    }
}
