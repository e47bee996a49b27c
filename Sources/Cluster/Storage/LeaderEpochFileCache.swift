// Storage room: the leader-epoch cache of one partition replica: where each leader epoch
// starts in the log, so a follower can find where its log and a new leader's part ways.

/// The `(leader epoch → start offset)` history of one partition's log, as a value.
///
/// Kafka's `LeaderEpochFileCache`. A leader that takes over with a new epoch writes its first
/// batch (or, on becoming leader, its log end offset) under that epoch; a follower learns the
/// same entries from the batches it copies. After a leader change a follower asks the new
/// leader where its own latest epoch ended (OffsetForLeaderEpoch, or Fetch's
/// `diverging_epoch`) and truncates there: that is how divergent tails disappear.
///
/// Entries grow in both epoch and start offset. This type holds the rules only; the
/// `PartitionLog` owns one, keeps it in step with its appends and truncations, and persists
/// it as `leader-epoch-checkpoint` (`LeaderEpochCheckpointFile`) after every change.
public struct LeaderEpochFileCache: Equatable, Sendable {
    /// Ascending by epoch and by start offset.
    public private(set) var entries: [EpochEntry] = []

    public init() {}

    /// A cache holding `entries`, taken one by one through `assign` as Kafka loads its
    /// checkpoint, so a file whose lines do not grow still yields a monotonic cache.
    public init(entries: [EpochEntry]) {
        for entry in entries { assign(epoch: entry.epoch, startOffset: entry.startOffset) }
    }

    public var isEmpty: Bool { entries.isEmpty }
    public var latestEntry: EpochEntry? { entries.last }
    public var earliestEntry: EpochEntry? { entries.first }
    /// The epoch of the newest entry: the epoch the log's latest data was written in (or
    /// that this replica, as leader, will write in next).
    public var latestEpoch: Int32? { entries.last?.epoch }

    /// Records that `epoch` starts at `startOffset`, with Kafka's rules: an epoch already
    /// latest keeps its first start offset (later batches of the same epoch change nothing);
    /// otherwise every entry that would break monotonicity (an epoch at or above `epoch`, or a
    /// start offset at or above `startOffset`) is dropped first. Returns whether the cache
    /// changed, so the caller knows to write the checkpoint.
    ///
    /// Kafka's `LeaderEpochFileCache.assign`. The log calls it only for epochs of 0 and above.
    @discardableResult
    public mutating func assign(epoch: Int32, startOffset: Int64) -> Bool {
        precondition(
            epoch >= 0 && startOffset >= 0,
            "leader epoch \(epoch) at offset \(startOffset) is not a valid epoch entry")
        if let latest = entries.last, latest.epoch == epoch, startOffset >= latest.startOffset {
            return false
        }
        while let last = entries.last, last.epoch >= epoch || last.startOffset >= startOffset {
            entries.removeLast()
        }
        entries.append(EpochEntry(epoch: epoch, startOffset: startOffset))
        return true
    }

    /// Where `requestedEpoch` ended in this log, as the OffsetForLeaderEpoch API answers:
    /// - the latest epoch ends at `logEndOffset` (it is still being written);
    /// - an older epoch ends where the next larger epoch starts, and the answer names the
    ///   largest epoch at or below the one asked about (the requested epoch itself when it is
    ///   older than every entry: its data is gone, so the follower restarts from the first
    ///   entry's start);
    /// - a negative epoch, an epoch above the latest, or an empty cache: `.undefined`.
    ///
    /// Kafka's `LeaderEpochFileCache.endOffsetFor`.
    public func endOffset(for requestedEpoch: Int32, logEndOffset: Int64) -> EpochEndOffset {
        guard requestedEpoch >= 0, let latest = entries.last else { return .undefined }
        if latest.epoch == requestedEpoch {
            return EpochEndOffset(leaderEpoch: requestedEpoch, endOffset: logEndOffset)
        }
        guard let higher = entries.firstIndex(where: { $0.epoch > requestedEpoch }) else {
            return .undefined
        }
        let next = entries[higher]
        guard higher > 0 else {
            return EpochEndOffset(leaderEpoch: requestedEpoch, endOffset: next.startOffset)
        }
        return EpochEndOffset(leaderEpoch: entries[higher - 1].epoch, endOffset: next.startOffset)
    }

    /// The epoch the record at `offset` was written in: that of the last entry starting at
    /// or before it; nil before the first entry. Kafka's `epochForOffset`.
    public func epoch(forOffset offset: Int64) -> Int32? {
        entries.last { $0.startOffset <= offset }?.epoch
    }

    /// Drops every entry starting at or after `endOffset`: the log was truncated there.
    /// A negative offset changes nothing. Kafka's `truncateFromEnd`.
    @discardableResult
    public mutating func truncateFromEnd(endOffset: Int64) -> Bool {
        guard endOffset >= 0, let latest = entries.last, latest.startOffset >= endOffset else {
            return false
        }
        while let last = entries.last, last.startOffset >= endOffset { entries.removeLast() }
        return true
    }

    /// Drops the entries wholly before `startOffset` (retention or DeleteRecords moved the
    /// log start there), keeping the last of them with its start moved up to `startOffset`,
    /// since the records from `startOffset` on still belong to that epoch. Exclusive: an
    /// entry starting exactly at `startOffset` stays as it is. A negative offset changes
    /// nothing. Kafka's `truncateFromStart`.
    @discardableResult
    public mutating func truncateFromStart(startOffset: Int64) -> Bool {
        guard startOffset >= 0 else { return false }
        let removed = entries.prefix { $0.startOffset <= startOffset }
        guard let lastRemoved = removed.last else { return false }
        let before = entries
        entries.removeFirst(removed.count)
        entries.insert(EpochEntry(epoch: lastRemoved.epoch, startOffset: startOffset), at: 0)
        return entries != before
    }

    /// Forgets every entry (the log was emptied and restarted at a new offset).
    @discardableResult
    public mutating func clear() -> Bool {
        defer { entries.removeAll() }
        return !entries.isEmpty
    }
}
