// Broker room: an acks=all Produce waiting for its records to be on every ISR member (Kafka's
// `DelayedProduce`). A value with a deadline; the high watermark moving or time passing
// completes it.

/// One partition of a waiting Produce: where its answer sits and the offset the high
/// watermark must pass.
struct ProduceWait: Sendable {
    var topicPartition: TopicPartition
    var topicIndex: Int
    var partitionIndex: Int
    var requiredOffset: Int64
}

struct DelayedProduce: Sendable {
    var connection: ConnectionID
    var header: RequestHeader
    var requestBytes: Int
    var deadline: Instant
    var response: ProduceResponse
    var waiting: [ProduceWait]

    /// Whether any of its partitions is `tp` (a high watermark move there may complete it).
    func waits(on tp: TopicPartition) -> Bool { waiting.contains { $0.topicPartition == tp } }
}

extension Broker {
    /// Parks a Produce whose acks=all partitions are not yet committed.
    mutating func parkProduce(_ delayed: DelayedProduce) { delayedProduces.append(delayed) }

    /// Answers waiting Produce requests that are complete: every partition's records committed
    /// (or failed), or the deadline passed (REQUEST_TIMED_OUT for what is still waiting).
    /// Only requests that wait on `touched` partitions are looked at, unless time ran out.
    mutating func completeDelayedProduces(touched: Set<TopicPartition>, now: Instant) {
        guard !delayedProduces.isEmpty else { return }
        var kept: [DelayedProduce] = []
        for var delayed in delayedProduces {
            let expired = now >= delayed.deadline
            guard expired || touched.contains(where: delayed.waits(on:)) || leadershipLost(delayed) else {
                kept.append(delayed)
                continue
            }
            delayed.waiting.removeAll { wait in
                guard let code = settle(wait) else { return false }
                delayed.response.responses[wait.topicIndex].partitionResponses[wait.partitionIndex].errorCode = code
                return true
            }
            if expired {
                for wait in delayed.waiting {
                    delayed.response.responses[wait.topicIndex].partitionResponses[wait.partitionIndex].errorCode = .requestTimedOut
                }
                delayed.waiting = []
            }
            guard delayed.waiting.isEmpty else {
                kept.append(delayed)
                continue
            }
            deferred.append(frameProduce(delayed))
        }
        delayedProduces = kept
    }

    private func leadershipLost(_ delayed: DelayedProduce) -> Bool {
        delayed.waiting.contains { partitionReplicas[$0.topicPartition]?.isLeader != true }
    }

    /// A waiting partition's outcome once it has one: NONE when committed with enough
    /// replicas, NOT_ENOUGH_REPLICAS_AFTER_APPEND when committed by a shrunken ISR, or
    /// NOT_LEADER_OR_FOLLOWER when this broker no longer leads.
    private func settle(_ wait: ProduceWait) -> ErrorCode? {
        guard let replica = partitionReplicas[wait.topicPartition], replica.isLeader else { return .notLeaderOrFollower }
        guard replica.highWatermark >= wait.requiredOffset else { return nil }
        return replica.isr.count < minInsyncReplicas(wait.topicPartition.topic) ? .notEnoughReplicasAfterAppend : ErrorCode.none
    }

    private func frameProduce(_ delayed: DelayedProduce) -> DeferredReply {
        let frame = RequestFraming.responseFrame(
            ProduceRequest.self, version: delayed.header.apiVersion, correlationId: delayed.header.correlationId,
            body: delayed.response)
        let error = delayed.response.responses.flatMap(\.partitionResponses).first { $0.errorCode != .none }?.errorCode ?? .none
        return DeferredReply(connection: delayed.connection, frame: frame, trace: RequestTrace(
            apiKey: .produce, apiVersion: delayed.header.apiVersion, correlationId: delayed.header.correlationId,
            clientId: delayed.header.clientId, requestBytes: delayed.requestBytes, responseBytes: frame.readableBytes,
            errorCode: error))
    }

    /// `min.insync.replicas` for a topic: its override, else the broker default (1, as Kafka's).
    func minInsyncReplicas(_ topic: String) -> Int {
        image.topic(topic)?.configs["min.insync.replicas"].flatMap { Int($0) } ?? 1
    }
}
