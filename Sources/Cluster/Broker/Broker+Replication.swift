// Broker room: this broker's replicas (Kafka's `ReplicaManager` for RF > 1). The image says who
// leads each partition at which epoch; a leader tracks its followers' fetches, moves the high
// watermark and asks the controller for ISR changes; a follower fetches from its leader, keeps
// the leader's batches byte for byte and cuts a diverged tail by leader epoch.

import NIOCore

/// An ISR change for the node to send to the controller as AlterPartition.
public struct IsrProposal: Equatable, Sendable {
    public var topicPartition: TopicPartition
    public var topicId: Uuid
    public var isr: [NodeID]
    public var leaderEpoch: Int32
    public var partitionEpoch: Int32
}

extension Broker {
    // MARK: - Roles from the image

    /// Brings every hosted partition's role in line with the image: a new leader records its
    /// epoch's start and starts counting its followers; a follower (re)starts fetching from its
    /// leader at its own log end. Called after the logs follow the image.
    mutating func applyReplicaRoles(now: Instant) {
        var hosted: Set<TopicPartition> = []
        // As Kafka's broker, take part in replication only once registered: until then an old
        // registration may still name this broker leader of logs it lost in a crash.
        guard isRegistered else {
            for tp in partitionReplicas.keys.sorted() { stopFetching(tp) }
            partitionReplicas = [:]
            return
        }
        for name in image.topicNames {
            guard let topic = image.topic(name) else { continue }
            for registration in topic.partitions where registration.replicas.contains(identity.nodeID) {
                let tp = TopicPartition(topic: name, partition: registration.partition)
                guard let log = logs[tp] else { continue }
                hosted.insert(tp)
                var replica = partitionReplicas[tp] ?? PartitionReplica(tp, localId: identity.nodeID, highWatermark: log.highWatermark)
                let (roleChanged, effects) = replica.update(from: registration, logEndOffset: log.logEndOffset, now: now)
                partitionReplicas[tp] = replica
                if roleChanged { changeRole(tp, replica: replica, topicId: topic.id, now: now) }
                apply(effects, to: tp)
            }
        }
        for tp in partitionReplicas.keys where !hosted.contains(tp) {
            partitionReplicas[tp] = nil
            stopFetching(tp)
        }
    }

    private mutating func changeRole(_ tp: TopicPartition, replica: PartitionReplica, topicId: Uuid, now: Instant) {
        stopFetching(tp)
        if replica.isLeader {
            // Kafka's makeLeader: the epoch starts at the log end, so a follower asking where
            // an older epoch ended learns it even before anything is written in this one.
            let end = logs[tp]?.logEndOffset ?? 0
            try? logs[tp]?.maybeAssignEpochStartOffset(leaderEpoch: replica.leaderEpoch, startOffset: end)
        } else if let leader = replica.leaderId, let log = logs[tp] {
            fetchers[leader, default: ReplicaFetcher(leader: leader)].follow(
                tp, FetchState(topicId: topicId, fetchOffset: log.logEndOffset, currentLeaderEpoch: replica.leaderEpoch))
        }
    }

    private mutating func stopFetching(_ tp: TopicPartition) {
        for leader in fetchers.keys.sorted() {
            fetchers[leader]?.unfollow(tp)
            if fetchers[leader]?.isEmpty == true && fetchers[leader]?.inflight == false { fetchers[leader] = nil }
        }
    }

    // MARK: - Effects

    /// Carries a partition's decisions out: a new high watermark goes to the log and wakes what
    /// waited for it; an ISR proposal waits for the node to send it.
    mutating func apply(_ effects: [ReplicaEffect], to tp: TopicPartition) {
        for effect in effects {
            switch effect {
            case .highWatermarkAdvanced(let offset):
                logs[tp]?.updateHighWatermark(offset)
                touch(tp)
            case .proposeIsr(let isr, let leaderEpoch, let partitionEpoch):
                guard let topicId = image.topic(tp.topic)?.id else { continue }
                isrProposals.append(IsrProposal(
                    topicPartition: tp, topicId: topicId, isr: isr, leaderEpoch: leaderEpoch, partitionEpoch: partitionEpoch))
            }
        }
    }

    /// Whether this broker leads `tp` now (the image says so and it has taken the role).
    func isLeader(_ tp: TopicPartition) -> Bool { partitionReplicas[tp]?.isLeader == true }

    /// The node registered (or lost its registration): roles follow.
    public mutating func setRegistered(_ registered: Bool, now: Instant, wallClockMs: Int64) {
        guard registered != isRegistered else { return }
        isRegistered = registered
        applyReplicaRoles(now: now)
        // Group coordinators follow leadership of `__consumer_offsets`, which starts only now.
        followOffsetsPartitions(now: now, wallClockMs: wallClockMs)
        completeDelayedOperations(now: now, everything: true)
    }

    /// After a leader wrote to `tp` (produce, group records): the high watermark may move.
    mutating func leaderAppended(_ tp: TopicPartition) {
        // Followers' long polls on `tp` have data now.
        touch(tp)
        guard let end = logs[tp]?.logEndOffset, var replica = partitionReplicas[tp] else { return }
        let effects = replica.leaderAppended(logEndOffset: end)
        partitionReplicas[tp] = replica
        apply(effects, to: tp)
    }

    /// The high watermark a reader may see: consumers read only committed records.
    func highWatermark(_ tp: TopicPartition) -> Int64 {
        logs[tp]?.highWatermark ?? 0
    }

    // MARK: - Leader: followers' fetches

    /// A follower's Fetch names the offset it fetches from: everything before is on its log.
    mutating func noteFollowerFetch(_ request: FetchRequest, version: Int16, now: Instant) {
        let follower = NodeID(request.replicaId)
        for fetchTopic in request.topics {
            let name = version >= 13 ? image.topic(id: fetchTopic.topicId)?.name : fetchTopic.topic
            guard let name else { continue }
            for p in fetchTopic.partitions {
                let tp = TopicPartition(topic: name, partition: p.partition)
                guard var replica = partitionReplicas[tp], replica.isLeader, let log = logs[tp],
                    p.currentLeaderEpoch < 0 || p.currentLeaderEpoch == replica.leaderEpoch
                else { continue }
                // A follower whose log diverged is not at `fetchOffset` yet: it truncates first.
                if p.lastFetchedEpoch >= 0, diverging(log, p) != nil { continue }
                let eligible = image.brokers[follower].map { !$0.fenced && !$0.inControlledShutdown } ?? false
                let effects = replica.followerFetched(
                    follower, fetchOffset: p.fetchOffset, logEndOffset: log.logEndOffset, now: now, isEligible: eligible)
                partitionReplicas[tp] = replica
                for case .proposeIsr(let isr, _, _) in effects where isr.contains(follower) && !replica.isr.contains(follower) {
                    replicationEvents.append(.followerCaughtUp(tp, follower: follower, offset: p.fetchOffset))
                }
                apply(effects, to: tp)
            }
        }
    }

    /// Kafka's divergence check (KIP-595's Fetch `last_fetched_epoch`): where the follower's
    /// last epoch ends on the leader, when that is before what the follower holds.
    func diverging(_ log: PartitionLog, _ p: FetchRequest.FetchPartition) -> FetchResponse.EpochEndOffset? {
        let end = log.endOffsetForEpoch(p.lastFetchedEpoch)
        // An epoch older than all this leader knows: the plain offset check decides instead
        // (OFFSET_OUT_OF_RANGE when the follower is past our end).
        guard !end.isUndefined else { return nil }
        guard end.leaderEpoch != p.lastFetchedEpoch || end.endOffset < p.fetchOffset else { return nil }
        return FetchResponse.EpochEndOffset(epoch: end.leaderEpoch, endOffset: end.endOffset)
    }

    // MARK: - Follower: fetching from leaders

    /// The replica Fetches due now, one per leader with partitions to follow.
    public mutating func replicaFetchRequests(brokerEpoch: Int64, now: Instant) -> [(leader: NodeID, request: FetchRequest)] {
        var out: [(NodeID, FetchRequest)] = []
        for leader in fetchers.keys.sorted() {
            guard var fetcher = fetchers[leader] else { continue }
            let logs = self.logs
            if let request = fetcher.makeRequest(
                replicaId: identity.nodeID, brokerEpoch: brokerEpoch, config: replicaFetchConfig, now: now,
                lastFetchedEpoch: { logs[$0]?.latestEpoch ?? -1 })
            {
                out.append((leader, request))
            }
            fetchers[leader] = fetcher
        }
        return out
    }

    /// When the next replica Fetch is due.
    var nextReplicaFetch: Instant? { fetchers.values.compactMap(\.nextDeadline).min() }

    /// A replica Fetch was lost (timeout, connection refused): try again after the backoff.
    public mutating func replicaFetchFailed(from leader: NodeID, now: Instant) {
        fetchers[leader]?.answered(now: now, backoff: replicaFetchConfig.backoff)
        if fetchers[leader]?.isEmpty == true { fetchers[leader] = nil }
    }

    /// The leader's answer: append what came (as the leader wrote it), learn the high
    /// watermark, or truncate where the logs diverged and fetch again from there.
    public mutating func handleReplicaFetchResponse(_ response: FetchResponse, from leader: NodeID, now: Instant, wallClockMs: Int64) {
        guard var fetcher = fetchers[leader] else { return }
        var failed = false
        for topic in response.responses {
            let name = image.topic(id: topic.topicId)?.name ?? topic.topic
            for data in topic.partitions {
                let tp = TopicPartition(topic: name, partition: data.partitionIndex)
                guard fetcher.partitions[tp] != nil, partitionReplicas[tp]?.isLeader == false else { continue }
                if !followerReceived(tp, data, wallClockMs: wallClockMs, now: now) { failed = true }
                if let end = logs[tp]?.logEndOffset { fetcher.setFetchOffset(tp, end) }
            }
        }
        fetcher.answered(now: now, backoff: failed ? replicaFetchConfig.backoff : nil)
        fetchers[leader] = fetcher.isEmpty ? nil : fetcher
    }

    /// One partition of a replica Fetch answer. Returns false on an error worth a backoff.
    private mutating func followerReceived(
        _ tp: TopicPartition, _ data: FetchResponse.PartitionData, wallClockMs: Int64, now: Instant
    ) -> Bool {
        switch data.errorCode {
        case .none:
            break
        case .offsetOutOfRange:
            guard let log = logs[tp] else { return false }
            if data.logStartOffset > log.logEndOffset {
                // Below the leader's log start (retention ran there): start over at its start.
                try? logs[tp]?.truncateFullyAndStartAt(data.logStartOffset, wallClockMs: wallClockMs)
                producerStates[tp] = ProducerStateTable()
                notices.append("broker \(identity.nodeID): \(tp) restarts at the leader's log start offset \(data.logStartOffset)")
            } else if data.highWatermark >= 0, data.highWatermark < log.logEndOffset {
                // Past the leader's end: its log is shorter than ours, which only an unclean
                // history leaves (Kafka's handleOutOfRangeError truncates to the leader's end).
                truncateDiverged(tp, toOffset: data.highWatermark)
            }
            return false
        default:
            // NOT_LEADER_OR_FOLLOWER, FENCED_LEADER_EPOCH...: the next image says who leads.
            return false
        }
        if data.divergingEpoch.epoch >= 0 || data.divergingEpoch.endOffset >= 0, let log = logs[tp] {
            // Kafka's getOffsetTruncationState: where does *our* history of the epoch the
            // leader named end? If we know that epoch, cut at the earlier of the two ends; if
            // not, cut where our largest epoch below it ends and ask again from there.
            let leader = data.divergingEpoch
            let ours = log.endOffsetForEpoch(leader.epoch)
            let target: Int64
            if ours.isUndefined {
                target = log.highWatermark
            } else if ours.leaderEpoch == leader.epoch {
                target = min(ours.endOffset, leader.endOffset)
            } else {
                target = ours.endOffset
            }
            truncateDiverged(tp, toOffset: target)
            return true
        }
        if let records = data.records, records.readableBytes > 0 {
            do {
                guard try logs[tp]?.appendAsFollower(records, wallClockMs: wallClockMs) != nil else { return false }
                recordFollowerProducers(tp, records)
            } catch {
                notices.append("broker \(identity.nodeID): could not append \(tp) as follower: \(error)")
                return false
            }
        }
        guard var replica = partitionReplicas[tp], let end = logs[tp]?.logEndOffset else { return true }
        let effects = replica.followerLearned(leaderHighWatermark: data.highWatermark, logEndOffset: end)
        partitionReplicas[tp] = replica
        apply(effects, to: tp)
        return true
    }

    /// The leader says our last epoch ended at `offset`: everything after it is a tail no
    /// committed record can be in, so it goes (Kafka's `truncateOnFetchResponse`).
    private mutating func truncateDiverged(_ tp: TopicPartition, toOffset offset: Int64) {
        guard var log = logs[tp] else { return }
        let target = min(max(offset, log.logStartOffset), log.logEndOffset)
        let before = log.logEndOffset
        logs[tp] = nil
        _ = try? log.truncate(to: target)
        logs[tp] = log
        if log.logEndOffset < before {
            producerStates[tp] = rebuildProducerState(log)
            replicationEvents.append(.followerTruncated(tp, from: before, to: log.logEndOffset))
        }
        partitionReplicas[tp]?.truncated(to: log.logEndOffset)
        fetchers.keys.sorted().forEach { fetchers[$0]?.setFetchOffset(tp, log.logEndOffset) }
    }

    /// Followers keep producer state from the replicated batches, so a new leader still
    /// rejects duplicates and out-of-order sequences.
    private mutating func recordFollowerProducers(_ tp: TopicPartition, _ records: ByteBuffer) {
        guard case .success(let batches) = RecordBatchView.batches(in: records, batchBytesMax: Limits.frameBytesMax) else { return }
        var table = producerStates[tp] ?? ProducerStateTable()
        for (_, header) in batches { table.record(header, firstOffset: header.baseOffset, lastOffset: header.lastOffset) }
        producerStates[tp] = table
    }

    public mutating func drainReplicationEvents() -> [ReplicationEvent] {
        defer { replicationEvents = [] }
        return replicationEvents
    }

    // MARK: - ISR changes

    /// Proposals for the node to send (it groups them into one AlterPartition).
    public mutating func takeIsrProposals() -> [IsrProposal] {
        defer { isrProposals = [] }
        return isrProposals
    }

    /// The controller's answer to an AlterPartition (nil: it was lost).
    public mutating func isrChangeAnswered(_ proposals: [IsrProposal], response: AlterPartitionResponse?, now: Instant) {
        for proposal in proposals {
            let tp = proposal.topicPartition
            guard var replica = partitionReplicas[tp], let end = logs[tp]?.logEndOffset else { continue }
            let answer = response?.topics.first { $0.topicId == proposal.topicId }?.partitions
                .first { $0.partitionIndex == tp.partition }
            guard let answer, response?.errorCode == ErrorCode.none, answer.errorCode == .none else {
                replica.isrChangeLost()
                partitionReplicas[tp] = replica
                continue
            }
            let effects = replica.isrChangeAnswered(
                isr: answer.isr.map { NodeID($0) }, leaderEpoch: answer.leaderEpoch, partitionEpoch: answer.partitionEpoch,
                logEndOffset: end)
            partitionReplicas[tp] = replica
            apply(effects, to: tp)
        }
    }

    /// Every half `replica.lag.time.max.ms`, each led partition drops followers that lag.
    mutating func shrinkIsrsIfNeeded(now: Instant) {
        guard now >= nextIsrCheck else { return }
        nextIsrCheck = now + .nanoseconds(replicaFetchConfig.lagTimeMax.nanosecondsClamped / 2)
        for tp in partitionReplicas.keys.sorted() {
            guard var replica = partitionReplicas[tp], replica.isLeader, let end = logs[tp]?.logEndOffset else { continue }
            let effects = replica.shrinkIsrIfNeeded(logEndOffset: end, now: now, lagTimeMax: replicaFetchConfig.lagTimeMax)
            partitionReplicas[tp] = replica
            apply(effects, to: tp)
        }
    }
}
