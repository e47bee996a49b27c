// Storage room: a follower's append: the leader's batches exactly as fetched (offsets, epochs,
// timestamps and producer fields kept), checked to continue the log, written in segment-sized runs.

import NIOCore

extension PartitionLog {
    /// Appends batches copied from the leader (the `records` of a Fetch response) without
    /// changing a byte: base offsets, partition leader epochs, timestamps (also LogAppendTime
    /// ones) and producer fields stay the leader's.
    ///
    /// Each batch must be RecordBatch v2 (magic 2) with a valid CRC (`invalidRecords`), and
    /// the batches must continue the log: the first starting at `logEndOffset`, each next one
    /// right after the previous (`unexpectedAppendOffset`, which names the offset expected, so
    /// the fetcher can fetch again from there or truncate). Nothing is written then.
    ///
    /// The epochs enter the leader-epoch cache first (a new epoch starts at its first batch).
    /// The batches are written in runs that fit the active segment, rolling between runs by
    /// the leader's rules; a single batch larger than `segment.bytes` gets a segment to itself,
    /// since refusing what the leader accepted would stall the follower for good. Indexes and
    /// flushing are as on the leader path. If a write fails, the batches before it stay
    /// appended (`logEndOffset` says how far) and the error is thrown.
    ///
    /// Kafka's `UnifiedLog.appendAsFollower` (no record size check, offsets taken as given).
    public mutating func appendAsFollower(_ records: ByteBuffer, wallClockMs: Int64)
        throws(StorageError) -> AppendInfo
    {
        try checkOpen()
        // The leader already accepted each batch under the topic's `max.message.bytes`; the
        // only bound left is the response they came in.
        let found: [(index: Int, header: RecordBatchHeader)]
        switch RecordBatchView.batches(in: records, batchBytesMax: Limits.frameBytesMax) {
        case .success(let list): found = list
        case .failure(let error): throw .invalidRecords(error)
        }
        lastAppendWallClockMs = wallClockMs
        guard !found.isEmpty else { return emptyAppend() }
        let lastOffsets = try checkContinues(found.map(\.header))

        let cacheBefore = leaderEpochCache
        try assignEpochs(of: found.map(\.header))
        var rolled = false
        do {
            rolled = try writeRuns(
                found, lastOffsets: lastOffsets, in: records, wallClockMs: wallClockMs)
        } catch {
            restoreEpochCache(cacheBefore, after: found.map(\.header))
            throw error
        }
        let flushed = try maybeFlush(wallClockMs: wallClockMs)
        let headers = found.map(\.header)
        return AppendInfo(
            firstOffset: headers[0].baseOffset, lastOffset: lastOffsets[lastOffsets.count - 1],
            logAppendTime: -1, maxTimestamp: headers.map(\.maxTimestamp).max() ?? -1,
            batchCount: headers.count, recordCount: headers.reduce(0) { $0 + Int($1.recordsCount) },
            sizeInBytes: records.readableBytes, rolled: rolled, flushed: flushed,
            lastLeaderEpoch: headers[headers.count - 1].partitionLeaderEpoch,
            producerBatches: headers.filter { $0.producerId >= 0 })
    }

    /// The last offset of each batch, once the batches are known to follow on from the log
    /// end without a gap or an overlap and to fit a segment's offsets.
    private func checkContinues(_ headers: [RecordBatchHeader]) throws(StorageError) -> [Int64] {
        var expected = logEndOffset
        var lastOffsets: [Int64] = []
        for header in headers {
            guard header.baseOffset == expected else {
                throw .unexpectedAppendOffset(expected: expected, found: header.baseOffset)
            }
            guard let last = header.checkedLastOffset, last < LogSegment.baseOffsetMax else {
                throw .invalidRecords(.badLength(header.batchLength))
            }
            lastOffsets.append(last)
            expected = last + 1
        }
        return lastOffsets
    }

    /// Writes the batches as few runs as the active segment allows: a run grows while the
    /// segment would not roll for it; then it is written, and the log rolls if the next batch
    /// alone still calls for it. The first batch of an empty segment is written alone, since
    /// the roll rules judge new bytes against what the segment already holds (an empty one
    /// never rolls). Returns whether the log rolled.
    private mutating func writeRuns(
        _ found: [(index: Int, header: RecordBatchHeader)], lastOffsets: [Int64],
        in records: ByteBuffer, wallClockMs: Int64
    ) throws(StorageError) -> Bool {
        var rolled = false
        var runStart = 0
        var runMaxTimestamp = TimeIndex.noTimestamp
        var next = 0
        while next < found.count {
            let header = found[next].header
            let runBytes = found[next].index + header.totalSize - found[runStart].index
            let runMax = max(runMaxTimestamp, header.maxTimestamp)
            if shouldRoll(
                size: runBytes, maxTimestamp: runMax, lastOffset: lastOffsets[next],
                wallClockMs: wallClockMs)
            {
                if next > runStart {
                    try writeRun(found[runStart..<next], lastOffsets: lastOffsets, in: records)
                    runStart = next
                    runMaxTimestamp = TimeIndex.noTimestamp
                    continue
                }
                try roll(wallClockMs: wallClockMs)
                rolled = true
            }
            if next == runStart, segmentList[segmentList.count - 1].size == 0 {
                try writeRun(found[next...next], lastOffsets: lastOffsets, in: records)
                next += 1
                runStart = next
                runMaxTimestamp = TimeIndex.noTimestamp
                continue
            }
            runMaxTimestamp = runMax
            next += 1
        }
        try writeRun(found[runStart...], lastOffsets: lastOffsets, in: records)
        return rolled
    }

    /// Writes consecutive batches as they are, with one write of their bytes.
    private mutating func writeRun(
        _ run: ArraySlice<(index: Int, header: RecordBatchHeader)>, lastOffsets: [Int64],
        in records: ByteBuffer
    ) throws(StorageError) {
        guard let first = run.first, let last = run.last else { return }
        let length = last.index + last.header.totalSize - first.index
        guard let bytes = records.getSlice(at: first.index, length: length) else {
            throw .invalidRecords(.badLength(first.header.batchLength))
        }
        var stamped = StampedBatches()
        for at in run.indices {
            let (index, header) = run[at]
            stamped.batches.append((index - first.index, header, lastOffsets[at]))
            stamped.maxTimestamp = max(stamped.maxTimestamp, header.maxTimestamp)
            stamped.recordCount += Int(header.recordsCount)
        }
        stamped.parts = [bytes]
        try write(stamped)
    }

    /// After a failed write: the cache as before the append plus the epochs of the batches
    /// that did reach the log, written back best-effort (if this fails too, open trims the
    /// entries past the log end).
    private mutating func restoreEpochCache(
        _ before: LeaderEpochFileCache, after headers: [RecordBatchHeader]
    ) {
        var cache = before
        for header in headers where header.partitionLeaderEpoch >= 0 {
            guard header.baseOffset < logEndOffset else { break }
            cache.assign(epoch: header.partitionLeaderEpoch, startOffset: header.baseOffset)
        }
        guard cache != leaderEpochCache else { return }
        if (try? LeaderEpochCheckpointFile.write(cache.entries, in: directory, fs: fs)) != nil {
            leaderEpochCache = cache
        }
    }
}
