// Client room: what the producer's sender does besides Produce: topic metadata for `send`,
// InitProducerId for idempotence, metadata refreshes, and waiting for buffer.memory.

extension ProducerSender {
    /// The partition count and available partitions of `topic`, fetching metadata (with
    /// auto-creation allowed, as Kafka's producer asks) until the topic has partitions or
    /// `deadline` passes: Kafka's `waitOnMetadata`, bounded by `max.block.ms`.
    func route(for topic: String, deadline: Instant) async throws -> ProducerState.Route {
        if let route = state.withLock({ $0.routes[topic] }) { return route }
        var attempt = 1
        while true {
            var lastError: KafkaClientError?
            do {
                let metadata = try await client.refreshMetadataOnce(
                    topics: [topic], allowAutoTopicCreation: true)
                if let info = metadata.topic(topic), !info.partitions.isEmpty,
                    let count = Int32(exactly: info.partitions.count)
                {
                    let route = ProducerState.Route(
                        partitionCount: count,
                        availablePartitions: metadata.availablePartitions(topic))
                    return state.withLock { state in
                        if let known = state.routes[topic] { return known }
                        state.routes[topic] = route
                        return route
                    }
                }
                if let code = metadata.topicErrors[topic] {
                    let error = KafkaClientError.broker(
                        code, context: "Metadata for topic '\(topic)'", message: nil)
                    guard code.isRetriable else { throw error }
                    lastError = error
                }
            } catch let error as KafkaClientError where error.isRetriable {
                lastError = error
            }
            let wait = ClientConfig.backoff(
                attempt: attempt, base: config.retryBackoff, max: config.retryBackoffMax)
            guard client.clock.now() + wait < deadline else {
                throw KafkaClientError.timedOut(
                    "topic '\(topic)' not present in metadata after "
                        + "\(config.maxBlock.milliseconds) ms (max.block.ms)"
                        + (lastError.map { "; last answer: \($0)" } ?? ""))
            }
            try await Task.sleep(for: wait)
            attempt += 1
        }
    }

    /// Waits while unanswered records fill `buffer.memory`, oldest batch first, until
    /// `deadline` (`max.block.ms`), as Kafka's `BufferPool.allocate`.
    func waitForBufferSpace(deadline: Instant) async throws {
        while true {
            let oldest = state.withLock { state -> BatchCompletion? in
                guard state.accumulator.bufferedBytes >= config.bufferMemory,
                    let first = state.incomplete.keys.min()
                else { return nil }
                return state.incomplete[first]
            }
            guard let oldest else { return }
            let remaining = deadline - client.clock.now()
            guard remaining > .zero else {
                throw KafkaClientError.timedOut(
                    "failed to allocate memory within max.block.ms "
                        + "(\(config.maxBlock.milliseconds) ms): buffer.memory "
                        + "(\(config.bufferMemory) bytes) is full")
            }
            _ = await oldest.wait(timeout: remaining, on: loop)
        }
    }

    /// Refreshes metadata for every topic this producer sends to, then wakes the sender.
    func refreshMetadata() async {
        let topics = state.withLock { $0.routes.keys.sorted() }
        do {
            if !topics.isEmpty {
                let metadata = try await client.refreshMetadataOnce(
                    topics: topics, allowAutoTopicCreation: true)
                state.withLock { $0.updateRoutes(from: metadata) }
            }
            state.withLock { state in
                state.refreshingMetadata = false
                state.metadataGeneration += 1
            }
        } catch {
            state.withLock { state in
                state.refreshingMetadata = false
                state.metadataWanted = true
            }
        }
        wake()
    }

    /// Gets a producer id, or bumps the epoch after a sequence gap (KIP-360). A refusal that
    /// retrying cannot fix ends the producer, failing what is queued.
    func initProducerId() async {
        do {
            let connection = try await client.anyConnection()
            let canBump = connection.versions.usableVersion(.initProducerId, ours: 3...5) != nil
            let fields = state.withLock { $0.sequences.initProducerIdFields(canBump: canBump) }
            let (response, _) = try await client.send(on: connection) { _ in
                InitProducerIdRequest(
                    transactionalId: nil, producerId: fields.producerId,
                    producerEpoch: fields.producerEpoch)
            }
            if response.errorCode == .none {
                state.withLock { state in
                    state.sequences.setProducerIdAndEpoch(
                        id: response.producerId, epoch: response.producerEpoch)
                    state.initializingProducerId = false
                }
            } else {
                let error = KafkaClientError.broker(
                    response.errorCode, context: "InitProducerId (enable.idempotence=true)",
                    message: nil)
                initFailed(error, fatal: !response.errorCode.isRetriable)
            }
        } catch let error as KafkaClientError {
            if case .unsupportedVersion = error {
                initFailed(
                    .invalidConfig(
                        "\(error.description); this broker cannot give producer ids, "
                            + "set enable.idempotence=false"), fatal: true)
            } else {
                initFailed(error, fatal: !error.isRetriable)
            }
        } catch {
            initFailed(.network(broker: -1, "\(error)"), fatal: false)
        }
        wake()
    }

    /// `close(timeout:)` ran out of time: fail what is still queued, retry nothing more.
    func forceClose() {
        let dropped = state.withLock { state -> [ProducerBatch] in
            if state.fatalError == nil { state.fatalError = .closed }
            return state.accumulator.removeAll()
        }
        let error = KafkaClientError.timedOut(
            "the producer was closed before these records were delivered")
        for batch in dropped { finishFailed(batch, error) }
        wake()
    }

    private func initFailed(_ error: KafkaClientError, fatal: Bool) {
        let dropped = state.withLock { state -> [ProducerBatch] in
            state.initializingProducerId = false
            guard fatal else { return [] }
            state.fatalError = error
            return state.accumulator.removeAll()
        }
        for batch in dropped { finishFailed(batch, error) }
    }
}
