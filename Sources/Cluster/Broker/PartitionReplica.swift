// Broker room: one partition as this broker hosts it (Kafka's `Partition`): leader or follower,
// its epochs and ISR from the metadata image, and on the leader what each follower has, the
// high watermark and the ISR changes to ask the controller for. Pure; no log, no sockets.

/// How far a follower has come, as its leader sees it (Kafka's `Replica` state).
struct FollowerProgress: Equatable, Sendable {
    /// -1 until the follower's first fetch in this leader epoch.
    var logEndOffset: Int64 = -1
    /// The last time the follower had everything the leader had (`replica.lag.time.max.ms`
    /// counts from here).
    var lastCaughtUpTime: Instant
    var lastFetchTime: Instant?
    var lastFetchLeaderLogEndOffset: Int64 = -1
}

/// An ISR change this leader asked the controller for (AlterPartition), not yet answered.
struct PendingIsrChange: Equatable, Sendable {
    var isr: [NodeID]
    var sentAt: Instant
}

/// What a partition replica asks of its owner after an input.
enum ReplicaEffect: Equatable, Sendable {
    case highWatermarkAdvanced(to: Int64)
    /// Send AlterPartition with this ISR at these epochs.
    case proposeIsr([NodeID], leaderEpoch: Int32, partitionEpoch: Int32)
}

struct PartitionReplica: Sendable {
    let topicPartition: TopicPartition
    let localId: NodeID
    private(set) var leaderId: NodeID?
    private(set) var leaderEpoch: Int32 = -1
    private(set) var partitionEpoch: Int32 = -1
    private(set) var replicas: [NodeID] = []
    /// The ISR as last committed by the controller.
    private(set) var isr: [NodeID] = []
    private(set) var pendingIsr: PendingIsrChange?
    private(set) var highWatermark: Int64
    /// Leader only: the first offset written in this leader epoch. A follower is in sync only
    /// once it has reached it (it holds nothing of an older, possibly diverged, history).
    private(set) var leaderEpochStartOffset: Int64 = 0
    private(set) var followers: [NodeID: FollowerProgress] = [:]

    init(_ topicPartition: TopicPartition, localId: NodeID, highWatermark: Int64) {
        self.topicPartition = topicPartition
        self.localId = localId
        self.highWatermark = highWatermark
    }

    var isLeader: Bool { leaderId == localId }

    /// Kafka's "maximal ISR": while an expansion is pending the new member already counts for
    /// the high watermark (it may be acknowledged), while a shrink is pending the old members
    /// still do (the shrink may be refused).
    var maximalIsr: [NodeID] {
        guard let pending = pendingIsr else { return isr }
        return isr + pending.isr.filter { !isr.contains($0) }
    }

    // MARK: - From the metadata image

    /// Takes the partition's registration. Returns whether this broker's role or the leader
    /// epoch changed (the owner then restarts fetching or re-initialises leadership).
    mutating func update(
        from registration: PartitionRegistration, logEndOffset: Int64, now: Instant
    ) -> (roleChanged: Bool, effects: [ReplicaEffect]) {
        let wasLeader = isLeader
        let epochChanged = registration.leaderEpoch != leaderEpoch || registration.leader != leaderId
        leaderId = registration.leader
        leaderEpoch = registration.leaderEpoch
        replicas = registration.replicas
        if registration.partitionEpoch != partitionEpoch {
            partitionEpoch = registration.partitionEpoch
            isr = registration.isr
            // A committed change answers (or overtakes) whatever was pending.
            pendingIsr = nil
        }
        guard isLeader else {
            followers = [:]
            return (epochChanged, [])
        }
        if !wasLeader || epochChanged {
            leaderEpochStartOffset = logEndOffset
            // A new leader knows nothing of its followers yet; Kafka starts each one as caught
            // up "now" so that none is shrunk out before it had the chance to fetch.
            followers = [:]
            for replica in replicas where replica != localId {
                followers[replica] = FollowerProgress(lastCaughtUpTime: now)
            }
        }
        for replica in replicas where replica != localId && followers[replica] == nil {
            followers[replica] = FollowerProgress(lastCaughtUpTime: now)
        }
        for gone in followers.keys where !replicas.contains(gone) { followers[gone] = nil }
        return (epochChanged || !wasLeader, advanceHighWatermark(logEndOffset: logEndOffset))
    }

    // MARK: - Leader

    /// A follower fetched from `fetchOffset`: everything before it is on its log. Kafka's
    /// `updateFollowerFetchState` then `maybeExpandIsr` and `maybeIncrementLeaderHW`.
    mutating func followerFetched(
        _ follower: NodeID, fetchOffset: Int64, logEndOffset: Int64, now: Instant, isEligible: Bool
    ) -> [ReplicaEffect] {
        guard isLeader, var progress = followers[follower] else { return [] }
        if fetchOffset >= logEndOffset {
            progress.lastCaughtUpTime = now
        } else if fetchOffset >= progress.lastFetchLeaderLogEndOffset, let last = progress.lastFetchTime {
            progress.lastCaughtUpTime = max(progress.lastCaughtUpTime, last)
        }
        progress.logEndOffset = fetchOffset
        progress.lastFetchLeaderLogEndOffset = logEndOffset
        progress.lastFetchTime = now
        followers[follower] = progress
        var effects: [ReplicaEffect] = []
        if pendingIsr == nil, !isr.contains(follower), isEligible,
            fetchOffset >= highWatermark, fetchOffset >= leaderEpochStartOffset
        {
            effects += propose(isr + [follower], now: now)
        }
        return effects + advanceHighWatermark(logEndOffset: logEndOffset)
    }

    /// The leader's own log grew (or was loaded).
    mutating func leaderAppended(logEndOffset: Int64) -> [ReplicaEffect] {
        advanceHighWatermark(logEndOffset: logEndOffset)
    }

    /// Every ISR member out of sync for longer than `lagTimeMax` leaves the ISR (Kafka's
    /// `maybeShrinkIsr`, run every half lag time).
    mutating func shrinkIsrIfNeeded(logEndOffset: Int64, now: Instant, lagTimeMax: Duration) -> [ReplicaEffect] {
        guard isLeader, pendingIsr == nil else { return [] }
        let outOfSync = isr.filter { member in
            guard member != localId, let progress = followers[member] else { return false }
            return progress.logEndOffset < logEndOffset && now - progress.lastCaughtUpTime > lagTimeMax
        }
        guard !outOfSync.isEmpty else { return [] }
        return propose(isr.filter { !outOfSync.contains($0) }, now: now)
    }

    /// The controller's answer to AlterPartition. A refusal clears the pending change, so the
    /// next fetch or check may ask again with the epochs the next image brings.
    mutating func isrChangeAnswered(isr newIsr: [NodeID]?, leaderEpoch: Int32, partitionEpoch: Int32, logEndOffset: Int64)
        -> [ReplicaEffect]
    {
        pendingIsr = nil
        guard let newIsr, leaderEpoch == self.leaderEpoch, partitionEpoch > self.partitionEpoch else { return [] }
        isr = newIsr
        self.partitionEpoch = partitionEpoch
        return advanceHighWatermark(logEndOffset: logEndOffset)
    }

    /// An AlterPartition nobody answered: forget it so it is asked again.
    mutating func isrChangeLost() { pendingIsr = nil }

    private mutating func propose(_ newIsr: [NodeID], now: Instant) -> [ReplicaEffect] {
        pendingIsr = PendingIsrChange(isr: newIsr, sentAt: now)
        return [.proposeIsr(newIsr, leaderEpoch: leaderEpoch, partitionEpoch: partitionEpoch)]
    }

    /// The high watermark is the smallest log end offset among the leader and the maximal ISR;
    /// it never moves backwards on a leader.
    private mutating func advanceHighWatermark(logEndOffset: Int64) -> [ReplicaEffect] {
        guard isLeader else { return [] }
        var candidate = logEndOffset
        for member in maximalIsr where member != localId {
            candidate = min(candidate, followers[member]?.logEndOffset ?? -1)
        }
        guard candidate > highWatermark else { return [] }
        highWatermark = candidate
        return [.highWatermarkAdvanced(to: candidate)]
    }

    // MARK: - Follower

    /// A follower learns the high watermark from its leader's fetch answers, capped by what it holds.
    mutating func followerLearned(leaderHighWatermark: Int64, logEndOffset: Int64) -> [ReplicaEffect] {
        guard !isLeader else { return [] }
        let candidate = min(leaderHighWatermark, logEndOffset)
        guard candidate != highWatermark else { return [] }
        highWatermark = candidate
        return [.highWatermarkAdvanced(to: candidate)]
    }

    /// The follower's log was cut back: its high watermark cannot be past the end.
    mutating func truncated(to logEndOffset: Int64) { highWatermark = min(highWatermark, logEndOffset) }
}
