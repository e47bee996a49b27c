// Storage room: removing a log's tail (a follower whose log diverged from a new leader's) or
// all of it (a follower too far behind): segments, indexes, epoch cache and offsets together.

extension PartitionLog {
    /// Removes every record at or after `offset`: later segments are deleted (newest first),
    /// the segment holding `offset` is cut at the start of the batch holding it (so a target
    /// inside a batch removes that whole batch and the log then ends below `offset`), and it
    /// becomes the active segment. The leader-epoch cache drops the epochs starting at or
    /// after the new log end; the recovery point and high watermark come down to it. Returns
    /// whether anything was removed; with `offset` at or past the log end only the epoch
    /// cache is trimmed (a leader that recorded an epoch and then wrote nothing).
    ///
    /// Never below the log start offset: such an offset is `offsetOutOfRange` (use
    /// `truncateFullyAndStartAt` for a follower whose log lies wholly outside the leader's).
    /// Crash-safe: after a crash at any point the log reopens as a prefix of what it was, and
    /// the epoch checkpoint (written after the log is cut) is trimmed to it at open. If the
    /// disk fails halfway the log closes itself (`logClosed` afterwards); reopening recovers.
    ///
    /// Kafka's `UnifiedLog.truncateTo` over `LocalLog.truncateTo`. Producer state is the
    /// caller's to rebuild.
    @discardableResult
    public mutating func truncate(to offset: Int64) throws(StorageError) -> Bool {
        try checkOpen()
        guard offset >= logStartOffset else {
            throw .offsetOutOfRange(
                offset: offset, logStartOffset: logStartOffset, logEndOffset: logEndOffset)
        }
        guard offset < logEndOffset else {
            try updateLeaderEpochCache { [end = logEndOffset] in
                $0.truncateFromEnd(endOffset: end)
            }
            return false
        }
        try truncateSegments(to: offset)
        recoveryPoint = min(recoveryPoint, logEndOffset)
        // A target inside the batch holding the log start leaves the log ending before it.
        logStartOffset = min(logStartOffset, logEndOffset)
        highWatermark = min(max(highWatermark, logStartOffset), logEndOffset)
        try updateLeaderEpochCache { [end = logEndOffset] in $0.truncateFromEnd(endOffset: end) }
        return true
    }

    /// Deletes every segment and starts an empty log at `newOffset`, which becomes the log
    /// start, log end, recovery point and high watermark; the leader-epoch cache is cleared.
    /// For a follower whose fetch offset the leader no longer has (OFFSET_OUT_OF_RANGE), or
    /// whose log lies wholly before the leader's log start.
    ///
    /// Crash-safe: the cleared epoch checkpoint is written first, then segments are deleted
    /// newest first, then the new segment is created; a crash leaves a prefix of the old log
    /// (whose epochs open rebuilds from its batches) or the new empty one. Kafka's
    /// `UnifiedLog.truncateFullyAndStartAt`.
    public mutating func truncateFullyAndStartAt(_ newOffset: Int64, wallClockMs: Int64)
        throws(StorageError)
    {
        try checkOpen()
        guard newOffset >= 0, newOffset <= LogSegment.baseOffsetMax else {
            throw .offsetOutOfRange(
                offset: newOffset, logStartOffset: logStartOffset, logEndOffset: logEndOffset)
        }
        try updateLeaderEpochCache { $0.clear() }
        readers.closeAll()
        active.close(fs)
        var fresh: ActiveSegment?
        do {
            for segment in segmentList.reversed() { try deleteSegmentFiles(segment) }
            fresh = try ActiveSegment.create(
                directory: directory, baseOffset: newOffset, config: config, fs: fs)
            try fs.fsyncDirectory(directory)
        } catch {
            fresh?.close(fs)
            // The old active segment's files are closed already; closing them again could
            // close descriptors the system has reused.
            isClosed = true
            throw error
        }
        guard let fresh else { preconditionFailure("the new segment was created above") }
        active = fresh
        segmentList = [LogSegment(baseOffset: newOffset, createdWallClockMs: wallClockMs)]
        logStartOffset = newOffset
        logEndOffset = newOffset
        recoveryPoint = newOffset
        highWatermark = newOffset
        lastFlushWallClockMs = wallClockMs
    }

    /// Deletes the segments after the one holding `offset`, newest first, so that a crash
    /// leaves a contiguous prefix; then cuts that one and opens it for appends.
    private mutating func truncateSegments(to offset: Int64) throws(StorageError) {
        let at = segmentIndex(containing: offset)
        let wasActive = at == segmentList.count - 1
        let indexes = wasActive ? activeIndexes() : closedIndexes(of: segmentList[at])
        readers.closeAll()
        active.close(fs)
        do {
            while segmentList.count - 1 > at {
                try deleteSegmentFiles(segmentList[segmentList.count - 1])
                segmentList.removeLast()
            }
            try fs.fsyncDirectory(directory)
            let cut = try SegmentTruncation.run(
                directory: directory, segment: segmentList[at], indexes: indexes, to: offset,
                config: config, fs: fs, wallClockMs: lastAppendWallClockMs)
            active = try ActiveSegment.open(
                directory: directory, baseOffset: cut.segment.baseOffset,
                offsetIndex: cut.offsetIndex, timeIndex: cut.timeIndex,
                bytesSinceLastIndexEntry: cut.bytesSinceLastIndexEntry, fs: fs)
            segmentList[at] = cut.segment
            logEndOffset = cut.segment.nextOffset
        } catch {
            // As in truncateFullyAndStartAt: the old handles are closed already.
            isClosed = true
            throw error
        }
    }

    private func activeIndexes() -> SegmentTruncation.Indexes {
        SegmentTruncation.Indexes(
            offsetIndex: active.offsetIndex, timeIndex: active.timeIndex,
            offsetEntriesOnFile: active.offsetIndexEntriesOnFile,
            timeEntriesOnFile: active.timeIndexEntriesOnFile)
    }

    /// A closed segment's indexes read back from its files; nil when either fails its checks
    /// (the truncation then rebuilds them from the log).
    private func closedIndexes(of segment: LogSegment) -> SegmentTruncation.Indexes? {
        let limit = max(config.segmentIndexBytes, TimeIndex.entrySize) + TimeIndex.entrySize
        guard
            let offsetBytes = try? fs.readWholeFile(path(segment.indexFileName), limit: limit),
            let offsetIndex = OffsetIndex.decode(
                offsetBytes, baseOffset: segment.baseOffset,
                maxEntries: config.offsetIndexEntriesMax, logSize: segment.size),
            let timeBytes = try? fs.readWholeFile(path(segment.timeIndexFileName), limit: limit),
            let timeIndex = TimeIndex.decode(
                timeBytes, baseOffset: segment.baseOffset, maxEntries: config.timeIndexEntriesMax)
        else { return nil }
        return SegmentTruncation.Indexes(
            offsetIndex: offsetIndex, timeIndex: timeIndex,
            offsetEntriesOnFile: offsetIndex.count, timeEntriesOnFile: timeIndex.count)
    }
}
