// Client room: the consumer's poll: hand out buffered records, otherwise keep one Fetch
// outstanding per partition leader (each long-polled on its own) and buffer what comes back.

import DequeModule

extension Consumer {
    /// Returns up to `maxRecords` (default `max.poll.records`) records, waiting up to
    /// `timeout` for some to arrive; an empty array when none did. Throws
    /// `KafkaClientError` for what retrying cannot fix (OFFSET_OUT_OF_RANGE with
    /// `auto.offset.reset=none`, corrupt records, a non-retriable broker error).
    public func poll(timeout: Duration, maxRecords: Int? = nil) async throws -> [ConsumedRecord] {
        guard !closed else { throw KafkaClientError.closed }
        guard !assigned.isEmpty else { throw KafkaClientError.noAssignment }
        let limit = max(1, maxRecords ?? config.maxPollRecords)
        let clock = client.clock
        let deadline = clock.now() + timeout
        while true {
            let ready = takeBuffered(limit)
            if !ready.isEmpty { return ready }
            try await resetPositions(assigned)
            try applyArrived()
            if hasBuffered { continue }
            let remaining = max(.zero, deadline - clock.now())
            // While the first answers are still coming in, the leaders that already answered
            // are not asked again: their answers wait, unapplied, for the others.
            let sent =
                awaitingFirstAnswers && !arrivedAnswers.isEmpty
                ? false : try await sendFetches(maxWait: min(config.fetchMaxWait, remaining))
            while !fetchesInFlight.isEmpty && (arrivedAnswers.isEmpty || awaitingFirstAnswers) {
                let left = deadline - clock.now()
                guard left > .zero else { break }
                await waitForArrival(since: arrivals, timeout: left)
            }
            if fetchesInFlight.isEmpty { awaitingFirstAnswers = false }
            // Until the first answers are all in, none is applied (they wait in arrivedAnswers).
            if awaitingFirstAnswers && !fetchesInFlight.isEmpty { return [] }
            try applyArrived()
            if hasBuffered { continue }
            let after = deadline - clock.now()
            if after <= .zero { return [] }
            // Nothing could be asked (no leader, no connection): back off before trying again.
            if !sent && fetchesInFlight.isEmpty && arrivedAnswers.isEmpty {
                try await Task.sleep(for: min(config.retryBackoff, after))
            }
        }
    }

    private var hasBuffered: Bool {
        assigned.contains { !(partitions[$0]?.buffered.isEmpty ?? true) }
    }

    /// Takes buffered records, partition by partition starting at `cursor`, advancing each
    /// partition's position past what it hands out.
    private func takeBuffered(_ limit: Int) -> [ConsumedRecord] {
        var out: [ConsumedRecord] = []
        let count = assigned.count
        guard count > 0 else { return out }
        for step in 0..<count where out.count < limit {
            let tp = assigned[(cursor + step) % count]
            guard var state = partitions[tp], !state.buffered.isEmpty else { continue }
            while out.count < limit, let record = state.buffered.popFirst() {
                out.append(record)
                // Offsets come from the broker; FetchedRecords bounds them, but never trap.
                let (next, overflow) = record.offset.addingReportingOverflow(1)
                if !overflow { state.position = next }
            }
            if state.buffered.isEmpty, let upTo = state.fetchedUpTo {
                state.position = max(state.position ?? upTo, upTo)
                state.fetchedUpTo = nil
            }
            partitions[tp] = state
        }
        cursor = (cursor + 1) % count
        return out
    }

    // MARK: - Fetching

    struct FetchAnswer: Sendable {
        var leader: Int32
        var asked: [TopicPartition: Int64]
        var response: FetchResponse?
        var version: Int16
        var names: [Uuid: String]
        /// Why there is no response, when retrying cannot help (no shared Fetch version).
        var fatal: KafkaClientError?
    }

    /// Sends one Fetch to each leader of a partition that has a position and nothing
    /// buffered, unless that leader already has one outstanding or is backing off. Answers
    /// arrive in `arrivedAnswers`. Returns whether any Fetch was sent.
    private func sendFetches(maxWait: Duration) async throws -> Bool {
        let fetchable = assigned.filter {
            guard let state = partitions[$0] else { return false }
            return state.position != nil && state.buffered.isEmpty
        }
        guard !fetchable.isEmpty else { return false }
        let metadata: MetadataCache
        do {
            metadata = try await client.metadataOnce(for: Set(fetchable.map(\.topic)).sorted())
        } catch let error as KafkaClientError where error.isRetriable {
            return false
        }
        let now = client.clock.now()
        var byLeader: [Int32: [(TopicPartition, Int64)]] = [:]
        for tp in fetchable {
            guard let position = partitions[tp]?.position, partitions[tp]?.buffered.isEmpty == true
            else { continue }
            if metadata.topic(tp.topic) == nil {
                throw KafkaClientError.unknownTopic(tp.topic)
            }
            guard let leader = metadata.leader(for: tp) else {
                client.requestMetadataUpdate()
                continue
            }
            if fetchesInFlight.contains(leader) { continue }
            if let until = fetchBackoff[leader], until > now { continue }
            byLeader[leader, default: []].append((tp, position))
        }
        let client = self.client
        let config = self.config
        for leader in byLeader.keys.sorted() {
            let asked = byLeader[leader] ?? []
            fetchesInFlight.insert(leader)
            Task {
                let answer = await Self.fetch(
                    from: leader, asked, metadata: metadata, client: client, config: config,
                    maxWait: maxWait)
                self.receive(answer)
            }
        }
        return !byLeader.isEmpty
    }

    private func receive(_ answer: FetchAnswer) {
        fetchesInFlight.remove(answer.leader)
        guard !closed else { return }
        if answer.response == nil && answer.fatal == nil {
            fetchBackoff[answer.leader] = client.clock.now() + config.retryBackoff
        }
        arrivedAnswers.append(answer)
        arrivals += 1
        wakeArrivalWaiter(nil)
    }

    private func applyArrived() throws {
        let answers = arrivedAnswers
        arrivedAnswers = []
        for answer in answers {
            if let fatal = answer.fatal { throw fatal }
            guard let response = answer.response else { continue }
            try apply(response, answer)
        }
    }

    /// Waits until an answer arrives after the `since`th or `timeout` passes.
    private func waitForArrival(since: Int, timeout: Duration) async {
        guard arrivals == since else { return }
        arrivalWaiterTokens += 1
        let token = arrivalWaiterTokens
        wakeArrivalWaiter(nil)
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let timer = Task { [weak self] in
                try? await Task.sleep(for: timeout)
                await self?.wakeArrivalWaiter(token)
            }
            arrivalWaiter = (token, continuation, timer)
        }
    }

    /// Resumes the waiting poll (only the wait `token` names, when given).
    func wakeArrivalWaiter(_ token: Int?) {
        guard let waiter = arrivalWaiter, token == nil || waiter.token == token else { return }
        arrivalWaiter = nil
        waiter.timer.cancel()
        waiter.continuation.resume()
    }

    /// Sends one Fetch (by topic id from v13, by name below, capped at v12 when an id is
    /// unknown). A failed request yields no response; the client has already dropped the
    /// connection and marked the metadata stale.
    private static func fetch(
        from leader: Int32, _ asked: [(TopicPartition, Int64)], metadata: MetadataCache,
        client: KafkaClient, config: ConsumerConfig, maxWait: Duration
    ) async -> FetchAnswer {
        var names: [Uuid: String] = [:]
        var idsKnown = true
        for (tp, _) in asked {
            let id = metadata.topic(tp.topic)?.topicId ?? .zero
            if id == .zero { idsKnown = false } else { names[id] = tp.topic }
        }
        var answer = FetchAnswer(
            leader: leader, asked: Dictionary(asked, uniquingKeysWith: { first, _ in first }),
            response: nil, version: 0, names: names, fatal: nil)
        do {
            let (response, version) = try await client.send(
                to: leader, cap: idsKnown ? nil : 12, extraTimeout: maxWait
            ) { version in
                Self.fetchRequest(
                    asked, version: version, metadata: metadata, config: config, maxWait: maxWait)
            }
            answer.response = response
            answer.version = version
        } catch let error as KafkaClientError where !error.isRetriable {
            answer.fatal = error
        } catch {
            client.requestMetadataUpdate()
        }
        return answer
    }

    private static func fetchRequest(
        _ asked: [(TopicPartition, Int64)], version: Int16, metadata: MetadataCache,
        config: ConsumerConfig, maxWait: Duration
    ) -> FetchRequest {
        var topics: [FetchRequest.FetchTopic] = []
        for (tp, offset) in asked {
            let partition = FetchRequest.FetchPartition(
                partition: tp.partition, currentLeaderEpoch: metadata.leaderEpoch(for: tp),
                fetchOffset: offset, partitionMaxBytes: config.maxPartitionFetchBytes)
            if let index = topics.firstIndex(where: { $0.topic == tp.topic }) {
                topics[index].partitions.append(partition)
            } else {
                let id = metadata.topic(tp.topic)?.topicId ?? .zero
                topics.append(
                    FetchRequest.FetchTopic(topic: tp.topic, topicId: id, partitions: [partition]))
            }
        }
        // Session id 0 with epoch -1 (FINAL_EPOCH) is a full fetch outside any fetch
        // session (KIP-227), so each request stands alone.
        return FetchRequest(
            replicaId: -1, maxWaitMs: Int32(clamping: maxWait.milliseconds),
            minBytes: config.fetchMinBytes, maxBytes: config.fetchMaxBytes, isolationLevel: 0,
            sessionId: 0, sessionEpoch: -1, topics: topics, rackId: config.clientRack)
    }

    /// Buffers each partition's records, if its position is still the one fetched from (a
    /// seek during the fetch wins), and handles its error code as Kafka's `Fetcher` does.
    private func apply(_ response: FetchResponse, _ answer: FetchAnswer) throws {
        for topic in response.responses {
            let name = answer.version >= 13 ? answer.names[topic.topicId] : topic.topic
            guard let name else { continue }
            for data in topic.partitions {
                let tp = TopicPartition(name, data.partitionIndex)
                guard let fetchOffset = answer.asked[tp], var state = partitions[tp],
                    state.position == fetchOffset, state.buffered.isEmpty
                else { continue }
                switch data.errorCode {
                case .none:
                    let fetched = try FetchedRecords.decode(
                        data.records, from: tp, fetchOffset: fetchOffset)
                    if fetched.records.isEmpty {
                        state.position = fetched.nextFetchOffset
                    } else {
                        state.buffered = Deque(fetched.records)
                        state.fetchedUpTo = fetched.nextFetchOffset
                    }
                case .offsetOutOfRange:
                    guard config.autoOffsetReset != .none else {
                        throw KafkaClientError.offsetOutOfRange(tp, offset: fetchOffset)
                    }
                    state.position = nil
                case let code
                where ProducerSender.invalidatesMetadata(code)
                    || code == .replicaNotAvailable || code == .inconsistentTopicId:
                    client.requestMetadataUpdate()
                case let code where code.isRetriable:
                    break
                case let code:
                    throw KafkaClientError.broker(code, context: "Fetch from \(tp)", message: nil)
                }
                partitions[tp] = state
            }
        }
    }
}
