// Client room: the consumer's poll: hand out buffered records, otherwise send one Fetch per
// partition leader (concurrently, long-polled) and buffer what comes back.

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
            let remaining = max(.zero, deadline - clock.now())
            let answered = try await fetchRound(maxWait: min(config.fetchMaxWait, remaining))
            if assigned.contains(where: { !(partitions[$0]?.buffered.isEmpty ?? true) }) {
                continue
            }
            let left = deadline - clock.now()
            if left <= .zero { return [] }
            // Nothing could be asked (no leader, no connection): back off before trying again.
            if !answered { try await Task.sleep(for: min(config.retryBackoff, left)) }
        }
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

    private struct Answer: Sendable {
        var leader: Int32
        var asked: [TopicPartition: Int64]
        var response: FetchResponse?
        var version: Int16
        var names: [Uuid: String]
        /// Why there is no response, when retrying cannot help (no shared Fetch version).
        var fatal: KafkaClientError?
    }

    /// One Fetch per leader for every partition with a position and nothing buffered.
    /// Returns whether any broker answered.
    private func fetchRound(maxWait: Duration) async throws -> Bool {
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
        var byLeader: [Int32: [(TopicPartition, Int64)]] = [:]
        for tp in fetchable {
            guard let position = partitions[tp]?.position else { continue }
            if metadata.topic(tp.topic) == nil {
                throw KafkaClientError.unknownTopic(tp.topic)
            }
            guard let leader = metadata.leader(for: tp) else {
                client.requestMetadataUpdate()
                continue
            }
            byLeader[leader, default: []].append((tp, position))
        }
        guard !byLeader.isEmpty else { return false }
        let client = self.client
        let config = self.config
        let answers = await withTaskGroup(of: Answer.self) { group in
            for leader in byLeader.keys.sorted() {
                let asked = byLeader[leader] ?? []
                group.addTask {
                    await Self.fetch(
                        from: leader, asked, metadata: metadata, client: client, config: config,
                        maxWait: maxWait)
                }
            }
            var answers: [Answer] = []
            for await answer in group { answers.append(answer) }
            return answers.sorted { $0.leader < $1.leader }
        }
        var answered = false
        for answer in answers {
            if let fatal = answer.fatal { throw fatal }
            guard let response = answer.response else { continue }
            answered = true
            try apply(response, answer)
        }
        return answered
    }

    /// Sends one Fetch (by topic id from v13, by name below, capped at v12 when an id is
    /// unknown). A failed request yields no response; the client has already dropped the
    /// connection and marked the metadata stale.
    private static func fetch(
        from leader: Int32, _ asked: [(TopicPartition, Int64)], metadata: MetadataCache,
        client: KafkaClient, config: ConsumerConfig, maxWait: Duration
    ) async -> Answer {
        var names: [Uuid: String] = [:]
        var idsKnown = true
        for (tp, _) in asked {
            let id = metadata.topic(tp.topic)?.topicId ?? .zero
            if id == .zero { idsKnown = false } else { names[id] = tp.topic }
        }
        var answer = Answer(
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
    private func apply(_ response: FetchResponse, _ answer: Answer) throws {
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
