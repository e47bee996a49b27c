// Storage room: the high watermark the log keeps for its owner: set or advanced by the
// replication logic, always inside [log start, log end], checkpointed by the node.

extension PartitionLog {
    /// Sets the high watermark to `offset` clamped to `[logStartOffset, logEndOffset]` and
    /// returns the value set. For initialising it (from `replication-offset-checkpoint`, or a
    /// follower taking the leader's); it may move backwards. Kafka's
    /// `UnifiedLog.updateHighWatermark`.
    @discardableResult
    public mutating func updateHighWatermark(_ offset: Int64) -> Int64 {
        highWatermark = min(max(offset, logStartOffset), logEndOffset)
        return highWatermark
    }

    /// Moves the high watermark forward to `offset` (at most the log end offset); never
    /// backwards. Returns whether it moved. What a leader calls once every in-sync replica
    /// has reached `offset`. Kafka's `UnifiedLog.maybeIncrementHighWatermark`.
    @discardableResult
    public mutating func maybeIncrementHighWatermark(_ offset: Int64) -> Bool {
        let target = min(offset, logEndOffset)
        guard target > highWatermark else { return false }
        highWatermark = target
        return true
    }
}
