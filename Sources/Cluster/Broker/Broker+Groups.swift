// Broker room: the group coordinator hosted by this broker. Decodes group requests for it,
// writes its records to __consumer_offsets before answering, and loads or unloads it as this
// broker gains or loses leadership of that topic's partitions. No sockets here.

import NIOCore

extension Broker {
    /// Kafka's internal topic for group metadata and committed offsets.
    public static let offsetsTopicName = "__consumer_offsets"
    /// `offsets.topic.replication.factor` as Kafka's (3); a cluster of fewer brokers uses
    /// them all (`Broker.offsetsTopicReplicationFactor` is set per node).
    public static let defaultOffsetsTopicReplicationFactor: Int16 = 3

    /// The coordinator settings with learning defaults: `offsets.topic.num.partitions` is 5
    /// (Kafka: 50) so `topic describe __consumer_offsets` stays readable, and
    /// `group.initial.rebalance.delay.ms` is 300 ms (Kafka: 3000); session bounds as Kafka's.
    public static let groupConfig = GroupConfig(
        initialRebalanceDelay: .milliseconds(300), offsetsTopicNumPartitions: 5)

    // MARK: - Group requests

    /// Decodes a group request, steps the coordinator and answers now, or parks the request
    /// when the coordinator answers it later (JoinGroup, SyncGroup).
    mutating func handleGroupFrame(
        _ request: inout RequestFrame, connection: ConnectionID, clientHost: String, now: Instant,
        wallClockMs: Int64
    ) -> BrokerReply {
        let header = request.header
        let decoded: GroupRequest?
        do {
            decoded = try GroupRequest.decode(
                header: header, body: &request.body, clientHost: clientHost)
        } catch {
            return .close(reason: "\(header.apiKey.name) v\(header.apiVersion): \(error)", nil)
        }
        guard let decoded else { return .close(reason: "no handler for \(header.apiKey.name)", nil) }
        let id = RequestID(connection: connection, correlationId: header.correlationId)
        groupRequests[id] = PendingGroupRequest(
            apiVersion: header.apiVersion, clientId: header.clientId, requestBytes: request.size)
        let effects = groups.step(decoded, from: connection, now: now)
        guard let reply = applyGroupEffects(effects, answering: id, now: now, wallClockMs: wallClockMs) else {
            return .parked
        }
        return .respond(reply.frame, reply.trace)
    }

    /// Carries out coordinator effects in order: records to their `__consumer_offsets`
    /// partitions first, then the responses, once those records are committed (at once when
    /// this broker is the only replica in the ISR; else they wait for the followers, as a
    /// Kafka coordinator's acks=all append does). The answer to `current` is returned when it
    /// can go now; other answers go to `deferred`, and answers for closed connections are
    /// dropped.
    @discardableResult
    mutating func applyGroupEffects(
        _ effects: GroupEffects, answering current: RequestID? = nil, now: Instant, wallClockMs: Int64
    ) -> DeferredReply? {
        var uncommitted: [(topicPartition: TopicPartition, offset: Int64)] = []
        for (partition, records) in effects.recordsByPartition(groups.config) {
            if let end = appendGroupRecords(records, partition: partition, wallClockMs: wallClockMs),
                let replica = partitionReplicas[end.topicPartition], replica.highWatermark < end.offset
            {
                uncommitted.append(end)
            }
        }
        for event in effects.events { notices.append("broker \(identity.nodeID): \(event)") }
        guard uncommitted.isEmpty else {
            park(.groupWrite(DelayedGroupWrite(
                requiredOffsets: uncommitted, answers: effects.responses, deadline: now + Self.offsetsCommitTimeout)),
                 watching: uncommitted.map(\.topicPartition))
            return nil
        }
        var immediate: DeferredReply? = nil
        for (id, response) in effects.responses {
            guard let reply = frameGroupAnswer(id, response) else { continue }
            if id == current { immediate = reply } else { deferred.append(reply) }
        }
        return immediate
    }

    /// Frames a group answer at its request's version; nil when its connection closed.
    mutating func frameGroupAnswer(_ id: RequestID, _ response: GroupResponse) -> DeferredReply? {
        guard let pending = groupRequests.removeValue(forKey: id) else { return nil }
        let frame = response.responseFrame(version: pending.apiVersion, correlationId: id.correlationId)
        let trace = RequestTrace(
            apiKey: response.apiKey, apiVersion: pending.apiVersion,
            correlationId: id.correlationId, clientId: pending.clientId,
            requestBytes: pending.requestBytes, responseBytes: frame.readableBytes,
            errorCode: response.firstErrorCode)
        return DeferredReply(connection: id.connection, frame: frame, trace: trace)
    }

    /// Appends records as batches (split when one would outgrow `message.max.bytes`) to the
    /// local log of one `__consumer_offsets` partition; returns where the log ends after it.
    /// Kafka fails the request when this append fails; here the coordinator already applied
    /// them, so the learner gets a notice.
    private mutating func appendGroupRecords(
        _ records: [GroupRecord], partition: Int32, wallClockMs: Int64
    ) -> (topicPartition: TopicPartition, offset: Int64)? {
        let tp = TopicPartition(topic: Self.offsetsTopicName, partition: partition)
        // Taken out of the dictionary while appending, so its index arrays are not copied.
        guard var log = logs.removeValue(forKey: tp) else {
            notices.append("broker \(identity.nodeID): no local log for \(tp); group records lost")
            return nil
        }
        let leaderEpoch = image.partition(tp.topic, tp.partition)?.leaderEpoch ?? 0
        var batches: [ByteBuffer] = []
        var builder = RecordBatchBuilder()
        for record in records {
            let entry = RecordBatchBuilder.Entry(
                key: Array(record.keyBytes.readableBytesView),
                value: record.valueBytes.map { Array($0.readableBytesView) }, timestamp: wallClockMs)
            do {
                try builder.append(entry)
            } catch {
                if let batch = try? builder.build() { batches.append(batch) }
                builder = RecordBatchBuilder()
                try? builder.append(entry)
            }
        }
        if let batch = try? builder.build() { batches.append(batch) }
        for batch in batches {
            do {
                _ = try log.append(batch, leaderEpoch: leaderEpoch, wallClockMs: wallClockMs)
            } catch {
                notices.append("broker \(identity.nodeID): cannot append group records to \(tp): \(error)")
            }
        }
        logs[tp] = log
        leaderAppended(tp)
        return (tp, log.logEndOffset)
    }

    // MARK: - Following leadership of __consumer_offsets

    /// Loads the coordinator state of each `__consumer_offsets` partition this broker now
    /// leads (replaying its log) and unloads those it no longer leads. Called after every new
    /// image; Kafka's `GroupCoordinator.onElection` / `onResignation`.
    mutating func followOffsetsPartitions(now: Instant, wallClockMs: Int64) {
        if !groupsClockSet {
            // The coordinator stamps records with wall-clock time; it learns the clock here.
            // The seed mixes in that start time (an input, so a simulation still replays):
            // seeded by the node id alone, a restarted node would hand out the member ids of
            // its previous run again, and those may still sit in a reloaded group snapshot.
            let startedAtMs = wallClockMs &- now.nanoseconds / 1_000_000
            let seed = UInt64(truncatingIfNeeded: identity.nodeID.rawValue) &* 0x9E37_79B9_7F4A_7C15
                ^ UInt64(truncatingIfNeeded: startedAtMs)
            groups = GroupCoordinator(config: Self.groupConfig, seed: seed, wallClockAtZeroMs: startedAtMs)
            groupsClockSet = true
        }
        var led: Set<Int32> = []
        if let topic = image.topic(Self.offsetsTopicName) {
            for p in topic.partitions where p.leader == identity.nodeID {
                let tp = TopicPartition(topic: topic.name, partition: p.partition)
                if logs[tp] != nil && isLeader(tp) { led.insert(p.partition) }
            }
        }
        for partition in groups.partitions.keys.sorted() where !led.contains(partition) {
            applyGroupEffects(groups.unload(offsetsPartition: partition), now: now, wallClockMs: wallClockMs)
        }
        for partition in led.sorted() where groups.partitions[partition] == nil {
            let records = readGroupRecords(partition)
            let effects = groups.load(offsetsPartition: partition, records: records, now: now)
            applyGroupEffects(effects, now: now, wallClockMs: wallClockMs)
        }
    }

    /// Every group record in the local log of one `__consumer_offsets` partition, in order.
    /// Records of kinds this coordinator does not keep, or that do not parse, are skipped.
    private func readGroupRecords(_ partition: Int32) -> [GroupRecord] {
        let tp = TopicPartition(topic: Self.offsetsTopicName, partition: partition)
        guard let log = logs[tp] else { return [] }
        var out: [GroupRecord] = []
        var next = log.logStartOffset
        while next < log.logEndOffset {
            guard let data = try? log.read(from: next, maxBytes: 1_048_576, upTo: log.logEndOffset),
                !data.isEmpty, data.nextFetchOffset > next,
                let (batches, _) = try? RecordBatchDecoder.decodeAll(data.records)
            else { break }
            for batch in batches {
                for record in batch.records where record.offset >= next {
                    guard let key = record.key,
                        let decoded = try? GroupRecord.decode(
                            key: ByteBuffer(bytes: key), value: record.value.map { ByteBuffer(bytes: $0) })
                    else { continue }
                    out.append(decoded)
                }
            }
            next = data.nextFetchOffset
        }
        return out
    }

    /// Forgets the parked group requests of a closed connection (their answers are dropped).
    mutating func forgetGroupRequests(_ connection: ConnectionID) {
        for id in groupRequests.keys where id.connection == connection { groupRequests[id] = nil }
    }
}
