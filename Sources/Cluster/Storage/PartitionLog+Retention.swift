// Storage room: deleting old data: DeleteRecords moves the log start offset; retention
// deletes whole closed segments by age (retention.ms) and size (retention.bytes).

extension PartitionLog {
    /// Moves the log start offset up to `offset` (the DeleteRecords API) and deletes the
    /// closed segments wholly below it. Returns the new log start offset (the low watermark).
    ///
    /// The caller checks `offset` against the high watermark, as Kafka's `ReplicaManager`
    /// does; an offset past the log end is `OFFSET_OUT_OF_RANGE`. Moving backwards does
    /// nothing. Kafka deletes the segments later, in its retention task; we do it at once.
    @discardableResult
    public mutating func deleteRecords(before offset: Int64) throws(StorageError) -> Int64 {
        try checkOpen()
        guard offset >= 0, offset <= logEndOffset else {
            throw .offsetOutOfRange(
                offset: offset, logStartOffset: logStartOffset, logEndOffset: logEndOffset)
        }
        if offset > logStartOffset { logStartOffset = offset }
        let doomed = deletableSegments(upTo: logEndOffset) { segment, _ in
            segment.nextOffset <= logStartOffset
        }
        try deleteSegments(doomed)
        try logStartOffsetMoved()
        return logStartOffset
    }

    /// Deletes closed segments as Kafka's `UnifiedLog.deleteOldSegments` does, oldest first
    /// and only while the rule holds: those whose largest timestamp is more than
    /// `retention.ms` before `nowWallClockMs`, then those that keep the partition over
    /// `retention.bytes`, then those wholly below the log start offset. The active segment
    /// stays, and so does any segment reaching `highWatermark` (data not yet committed).
    /// The log start offset moves to the first remaining segment. A segment without
    /// timestamps is never old (Kafka falls back to the file's mtime; we have none).
    public mutating func applyRetention(
        nowWallClockMs: Int64, highWatermark: Int64 = .max
    ) throws(StorageError) -> RetentionResult {
        try checkOpen()
        let bound = min(highWatermark, logEndOffset)
        var result = RetentionResult(deleted: [], logStartOffset: logStartOffset)

        if config.retentionMs >= 0 {
            let doomed = deletableSegments(upTo: bound) { segment, _ in
                let (age, overflow) = nowWallClockMs.subtractingReportingOverflow(
                    segment.largestTimestamp)
                return segment.largestTimestamp >= 0 && !overflow && age > config.retentionMs
            }
            result.deleted += doomed.map { .init(segment: $0, reason: .retentionMs) }
            try deleteSegments(doomed)
        }
        if config.retentionBytes >= 0 {
            var excess = Int64(sizeInBytes) - config.retentionBytes
            let doomed = deletableSegments(upTo: bound) { segment, _ in
                guard excess - Int64(segment.size) >= 0 else { return false }
                excess -= Int64(segment.size)
                return true
            }
            result.deleted += doomed.map { .init(segment: $0, reason: .retentionBytes) }
            try deleteSegments(doomed)
        }
        let start = logStartOffset
        let doomed = deletableSegments(upTo: bound) { segment, _ in segment.nextOffset <= start }
        result.deleted += doomed.map { .init(segment: $0, reason: .logStartOffset) }
        try deleteSegments(doomed)
        result.logStartOffset = logStartOffset
        return result
    }

    /// The oldest closed segments, in order, for which `rule` holds, stopping at the first
    /// for which it does not or that reaches `bound`.
    private func deletableSegments(
        upTo bound: Int64, while rule: (LogSegment, Int) -> Bool
    ) -> [SegmentInfo] {
        var doomed: [SegmentInfo] = []
        for (at, segment) in segmentList.enumerated().dropLast() {
            guard segment.nextOffset <= bound, rule(segment, at) else { break }
            doomed.append(SegmentInfo(segment, isActive: false))
        }
        return doomed
    }

    /// Deletes the given oldest segments and moves the log start offset past them (see
    /// `deleteSegmentFiles` for the order that survives a crash).
    private mutating func deleteSegments(_ doomed: [SegmentInfo]) throws(StorageError) {
        guard !doomed.isEmpty else { return }
        for info in doomed {
            precondition(
                segmentList[0].baseOffset == info.baseOffset, "retention deletes oldest first")
            let segment = segmentList.removeFirst()
            try deleteSegmentFiles(segment)
        }
        logStartOffset = max(logStartOffset, segmentList[0].baseOffset)
        try fs.fsyncDirectory(directory)
        try logStartOffsetMoved()
    }

    /// Keeps what refers to offsets in step with a log start offset that moved up: the
    /// high watermark is never below it, and the leader-epoch cache starts there (Kafka's
    /// `maybeIncrementLogStartOffset` calls `truncateFromStart`). The checkpoint is written
    /// after the log start moved, so a crash between leaves entries that open trims.
    private mutating func logStartOffsetMoved() throws(StorageError) {
        highWatermark = max(highWatermark, logStartOffset)
        try updateLeaderEpochCache { [start = logStartOffset] in
            $0.truncateFromStart(startOffset: start)
        }
    }
}
