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
}

extension Broker {
    /// The answer once every partition's records are committed (or failed), or the deadline
    /// passed (REQUEST_TIMED_OUT for what is still waiting). Nil: still waiting.
    mutating func tryComplete(_ delayed: inout DelayedProduce, now: Instant) -> DeferredReply? {
        delayed.waiting.removeAll { wait in
            guard let code = settle(wait) else { return false }
            delayed.response.responses[wait.topicIndex].partitionResponses[wait.partitionIndex].errorCode = code
            return true
        }
        if now >= delayed.deadline {
            for wait in delayed.waiting {
                delayed.response.responses[wait.topicIndex].partitionResponses[wait.partitionIndex].errorCode = .requestTimedOut
            }
            delayed.waiting = []
        }
        return delayed.waiting.isEmpty ? frameProduce(delayed) : nil
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
        image.topic(topic)?.configs["min.insync.replicas"].flatMap { Int32(LogConfigKey.javaTrimmed($0)).map(Int.init) } ?? 1
    }
}
