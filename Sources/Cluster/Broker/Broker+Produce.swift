// Broker room: leader-side Produce (key 0). Validates each partition's batch (length, magic,
// CRC, count), checks idempotent sequences and min.insync.replicas, appends the bytes as
// received, and says which acks=all partitions must wait for their high watermark.

import NIOCore

extension Broker {
    /// Appends each partition's batch; returns the answer so far and, for acks=all, the
    /// partitions whose records are not yet on every ISR member.
    mutating func handleProduce(_ request: ProduceRequest, header: RequestHeader, now: Instant, wallClockMs: Int64)
        -> (ProduceResponse, ErrorCode, [ProduceWait])
    {
        var topics: [ProduceResponse.TopicResponse] = []
        var waits: [ProduceWait] = []
        for (ti, topicData) in request.topicData.enumerated() {
            var partitions: [ProduceResponse.PartitionResponse] = []
            for (pi, data) in topicData.partitionData.enumerated() {
                let answer = producePartition(topicData.name, data, request: request, now: now, wallClockMs: wallClockMs)
                let tp = TopicPartition(topic: topicData.name, partition: data.index)
                if request.acks == -1, answer.errorCode == .none, let replica = partitionReplicas[tp],
                    let end = logs[tp]?.logEndOffset, replica.highWatermark < end
                {
                    waits.append(ProduceWait(topicPartition: tp, topicIndex: ti, partitionIndex: pi, requiredOffset: end))
                }
                partitions.append(answer)
            }
            topics.append(.init(name: topicData.name, partitionResponses: partitions))
        }
        let error = topics.flatMap(\.partitionResponses).first { $0.errorCode != .none }?.errorCode ?? .none
        return (ProduceResponse(responses: topics), error, waits)
    }

    private mutating func producePartition(
        _ topic: String, _ data: ProduceRequest.PartitionData, request: ProduceRequest, now: Instant, wallClockMs: Int64
    ) -> ProduceResponse.PartitionResponse {
        func fail(_ code: ErrorCode, _ message: String? = nil) -> ProduceResponse.PartitionResponse {
            .init(index: data.index, errorCode: code, errorMessage: message)
        }
        guard [-1, 0, 1].contains(request.acks) else { return fail(.invalidRequiredAcks) }
        guard let registration = image.partition(topic, data.index) else { return fail(.unknownTopicOrPartition) }
        let tp = TopicPartition(topic: topic, partition: data.index)
        guard registration.leader == identity.nodeID, isLeader(tp) else { return fail(.notLeaderOrFollower) }
        guard let maxMessageBytes = logs[tp]?.config.maxMessageBytes else { return fail(.notLeaderOrFollower) }
        guard let records = data.records, records.readableBytes > 0 else {
            return fail(.invalidRecord, "The produce request carries no record batch.")
        }
        let batches: [(index: Int, header: RecordBatchHeader)]
        switch RecordBatchView.batches(in: records, batchBytesMax: maxMessageBytes) {
        case .failure(let error): return fail(error.errorCode, error.description)
        case .success(let found): batches = found
        }
        // Kafka: produce v3+ carries exactly one batch per partition.
        guard batches.count == 1, let batch = batches.first?.header else {
            return fail(.invalidRecord, "Produce requests with version 3 and above must carry exactly one record batch per partition.")
        }
        if batch.isTransactional || request.transactionalId != nil {
            return fail(.invalidTxnState, "Transactions are not supported by this cluster yet.")
        }
        // Kafka checks the ISR before appending: with fewer in sync than min.insync.replicas an
        // acks=all write could not be made durable as asked.
        if request.acks == -1, let isr = partitionReplicas[tp]?.isr.count, isr < minInsyncReplicas(topic) {
            // Kafka's own wording.
            let members = partitionReplicas[tp]?.isr.map(\.description).joined(separator: ",") ?? ""
            return fail(.notEnoughReplicas,
                        "The size of the current ISR [\(members)] is insufficient to satisfy the min.isr requirement of \(minInsyncReplicas(topic)) for partition \(tp)")
        }
        var producers = producerStates[tp] ?? ProducerStateTable()
        switch producers.check(batch, logEndOffset: logs[tp]?.logEndOffset ?? 0) {
        case .error(let code, let message): return fail(code, message)
        case .duplicate(let first, _):
            return .init(index: data.index, errorCode: .none, baseOffset: first, logStartOffset: logs[tp]?.logStartOffset ?? -1)
        case .append: break
        }
        do {
            // Appended in place through the dictionary: binding the log to a `var` first would
            // copy its index arrays on every produce (copy-on-write with two owners).
            guard let info = try logs[tp]?.append(
                validated: batches, in: records, leaderEpoch: registration.leaderEpoch, wallClockMs: wallClockMs)
            else { return fail(.notLeaderOrFollower) }
            producers.record(batch, firstOffset: info.firstOffset, lastOffset: info.lastOffset)
            producerStates[tp] = producers
            leaderAppended(tp)
            return .init(index: data.index, errorCode: .none, baseOffset: info.firstOffset,
                         logAppendTimeMs: info.logAppendTime, logStartOffset: logs[tp]?.logStartOffset ?? -1)
        } catch {
            return fail(error.errorCode, error.description)
        }
    }
}
