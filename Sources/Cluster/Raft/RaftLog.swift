// Raft room: the replicated metadata log as the Raft machine sees it: batches in offset order
// and the leader-epoch cache over them. Pure and in memory; the host mirrors every change to
// `__cluster_metadata-0` on disk through the effects it is handed.

/// An epoch and the offset just past its last record (Kafka's `OffsetAndEpoch` as returned by
/// `endOffsetForEpoch`).
public struct OffsetAndEpoch: Equatable, Sendable, Comparable {
    public var offset: Int64
    public var epoch: Int32
    public init(offset: Int64, epoch: Int32) {
        self.offset = offset
        self.epoch = epoch
    }
    /// Raft's "at least as up to date": a later epoch wins, then a longer log.
    public static func < (a: OffsetAndEpoch, b: OffsetAndEpoch) -> Bool {
        a.epoch != b.epoch ? a.epoch < b.epoch : a.offset < b.offset
    }
}

/// The metadata log's content: every batch from offset 0 (snapshots do not exist yet, so the
/// log is never trimmed from the front).
///
/// Mirrors the parts of Kafka's `ReplicatedLog` the Raft client needs: the end offset, the
/// last fetched epoch, `endOffsetForEpoch` from the leader-epoch cache, append and truncate.
public struct RaftLog: Equatable, Sendable {
    public private(set) var batches: [MetadataBatch] = []

    public init(batches: [MetadataBatch] = []) {
        for batch in batches { append(batch) }
    }

    /// The offset the next record will get (Kafka's log end offset).
    public var endOffset: Int64 { batches.last.map { $0.lastOffset + 1 } ?? 0 }

    /// The leader epoch of the last batch, 0 for an empty log.
    public var lastEpoch: Int32 { batches.last?.leaderEpoch ?? 0 }

    public var endOffsetAndEpoch: OffsetAndEpoch { OffsetAndEpoch(offset: endOffset, epoch: lastEpoch) }

    /// Appends a batch that starts exactly at the log end, in an epoch no older than the last.
    public mutating func append(_ batch: MetadataBatch) {
        precondition(batch.baseOffset == endOffset, "metadata log append at \(batch.baseOffset), end is \(endOffset)")
        precondition(batch.leaderEpoch >= lastEpoch, "metadata log epoch went backwards")
        precondition(batch.count > 0, "empty metadata batch")
        batches.append(batch)
    }

    /// Removes every batch at or after `offset` (a batch is never split: offsets are batch
    /// bounds because leaders and followers agree on batch bounds).
    public mutating func truncate(to offset: Int64) {
        while let last = batches.last, last.lastOffset >= offset { batches.removeLast() }
    }

    /// The largest epoch not above `epoch`, and the offset where it ends (exclusive): what a
    /// leader answers a follower that last fetched in `epoch`. An epoch older than the log
    /// gives (0, 0), i.e. "truncate everything".
    public func endOffsetForEpoch(_ epoch: Int32) -> OffsetAndEpoch {
        var result = OffsetAndEpoch(offset: 0, epoch: 0)
        for batch in batches {
            if batch.leaderEpoch > epoch { break }
            result = OffsetAndEpoch(offset: batch.lastOffset + 1, epoch: batch.leaderEpoch)
        }
        return result
    }

    /// The batches that begin at or after `offset`, up to about `maxRecords` records (at least
    /// one batch when any exists). `offset` must be a batch bound.
    public func read(from offset: Int64, maxRecords: Int = 4096) -> [MetadataBatch] {
        guard let start = batches.firstIndex(where: { $0.baseOffset >= offset }) else { return [] }
        var out: [MetadataBatch] = []
        var count = 0
        for batch in batches[start...] {
            if !out.isEmpty && count + batch.count > maxRecords { break }
            out.append(batch)
            count += batch.count
        }
        return out
    }

    /// The batch holding `offset`, if any.
    public func batch(containing offset: Int64) -> MetadataBatch? {
        batches.first { $0.baseOffset <= offset && offset <= $0.lastOffset }
    }

    /// Whether `offset` starts a batch or is the log end, i.e. a place a follower may fetch from.
    public func isBatchBound(_ offset: Int64) -> Bool {
        offset == endOffset || batches.contains { $0.baseOffset == offset }
    }
}
