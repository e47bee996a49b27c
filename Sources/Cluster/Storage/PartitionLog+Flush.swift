// Storage room: making the log durable: flush (fsync and move the recovery point) and close
// (seal the active segment's indexes, flush, release every file).

extension PartitionLog {
    /// fsyncs the active segment and moves the recovery point to the log end, as Kafka's
    /// `UnifiedLog.flush` does. Closed segments were fsynced when they rolled.
    public mutating func flush() throws(StorageError) {
        try checkOpen()
        guard recoveryPoint < logEndOffset else { return }
        try active.sync(fs)
        recoveryPoint = logEndOffset
        lastFlushWallClockMs = lastAppendWallClockMs
    }

    /// A clean close: the final time-index entry is written, both indexes are trimmed to
    /// their entries, everything is fsynced and every file closed. A restart with the
    /// returned recovery point (`recoveryPoint`) then validates nothing. Closing twice is a
    /// no-op; any other call after close throws `logClosed`.
    public mutating func close() throws(StorageError) {
        guard !isClosed else { return }
        let segment = segmentList[segmentList.count - 1]
        defer {
            readers.closeAll()
            active.close(fs)
            isClosed = true
        }
        try active.seal(
            largestTimestamp: segment.largestTimestamp, offset: segment.offsetOfLargestTimestamp,
            fs: fs)
        recoveryPoint = logEndOffset
    }
}
