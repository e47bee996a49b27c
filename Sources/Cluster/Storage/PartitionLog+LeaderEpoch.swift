// Storage room: the log's leader-epoch cache as the replication logic sees it: which epoch
// the log is in, where an epoch ended, and the entry a new leader records on taking over.

extension PartitionLog {
    /// The epoch of the newest entry in the leader-epoch cache (what a follower sends as
    /// `last_fetched_epoch`); nil when no batch or leader has recorded one. Kafka's
    /// `UnifiedLog.latestEpoch`.
    public var latestEpoch: Int32? { leaderEpochCache.latestEpoch }

    /// Where `leaderEpoch` ended in this log, with OffsetForLeaderEpoch's rules (see
    /// `LeaderEpochFileCache.endOffset(for:logEndOffset:)`): the latest epoch ends at the log
    /// end offset, an older one where the next starts, an unknown one is `.undefined`.
    /// Kafka's `UnifiedLog.endOffsetForEpoch`.
    public func endOffsetForEpoch(_ leaderEpoch: Int32) -> EpochEndOffset {
        leaderEpochCache.endOffset(for: leaderEpoch, logEndOffset: logEndOffset)
    }

    /// Records that `leaderEpoch` starts at `startOffset` (a new leader passes its log end
    /// offset, so followers asking about an older epoch learn where it ended even before the
    /// leader writes anything). A negative epoch is ignored. The checkpoint is written before
    /// this returns. Kafka's `UnifiedLog.maybeAssignEpochStartOffset`, called from
    /// `Partition.makeLeader`.
    public mutating func maybeAssignEpochStartOffset(leaderEpoch: Int32, startOffset: Int64)
        throws(StorageError)
    {
        try checkOpen()
        guard leaderEpoch >= 0, startOffset >= 0 else { return }
        try updateLeaderEpochCache { $0.assign(epoch: leaderEpoch, startOffset: startOffset) }
    }

    /// Applies `change` to the leader-epoch cache and, when it changed anything, writes the
    /// checkpoint (temp file and rename). If the write fails the cache stays as it was, so
    /// memory never claims what the file may not hold.
    mutating func updateLeaderEpochCache(_ change: (inout LeaderEpochFileCache) -> Bool)
        throws(StorageError)
    {
        var cache = leaderEpochCache
        guard change(&cache) else { return }
        try LeaderEpochCheckpointFile.write(cache.entries, in: directory, fs: fs)
        leaderEpochCache = cache
    }

    /// Assigns the epoch of every batch that carries one (0 and above), with the cache's rules:
    /// a batch of the latest epoch changes nothing, a new epoch starts at its batch's base
    /// offset. Done before the batches are written, as Kafka's append does, so the checkpoint
    /// may run ahead of the log after a crash (open trims that) but never behind it.
    mutating func assignEpochs(of headers: [RecordBatchHeader]) throws(StorageError) {
        try updateLeaderEpochCache { cache in
            var changed = false
            for header in headers where header.partitionLeaderEpoch >= 0 {
                if cache.assign(epoch: header.partitionLeaderEpoch, startOffset: header.baseOffset)
                {
                    changed = true
                }
            }
            return changed
        }
    }
}
