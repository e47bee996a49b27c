// Storage room: appending produced batches: assign offsets by stamping each batch, roll a
// new segment when the active one is full or old, write the bytes, add index entries.

import NIOCore

extension PartitionLog {
    /// Appends one or more validated batches (concatenated) and gives them offsets from
    /// `logEndOffset` on.
    ///
    /// Each batch's base offset and partition leader epoch are stamped (fields the CRC does
    /// not cover; see `StampedBatches` for how without copying the batches); under
    /// `message.timestamp.type=LogAppendTime` its max timestamp is set to `wallClockMs` and
    /// the CRC recomputed. The log rolls first when these bytes would push the active segment
    /// past `segment.bytes`, when it spans more than `segment.ms`, or when an index is full.
    /// A write that fails leaves the log as it was. `leaderEpoch` (the partition's current
    /// leader epoch, 0 or above) also enters the leader-epoch cache at the first new offset
    /// when it is new there, before the write (so a failed write may leave that entry at the
    /// log end offset, which is what a new leader records anyway). Kafka's
    /// `UnifiedLog.appendAsLeader`, minus producer-state and transaction checks.
    public mutating func append(
        _ batches: ByteBuffer, leaderEpoch: Int32, wallClockMs: Int64
    ) throws(StorageError) -> AppendInfo {
        let found: [(index: Int, header: RecordBatchHeader)]
        switch RecordBatchView.batches(in: batches, batchBytesMax: config.maxMessageBytes) {
        case .success(let list): found = list
        case .failure(let error): throw .invalidRecords(error)
        }
        return try append(validated: found, in: batches, leaderEpoch: leaderEpoch, wallClockMs: wallClockMs)
    }

    /// `append` for batches the caller has just validated with `RecordBatchView.batches` (the
    /// produce path does, to check sequences first), so their CRCs are not computed twice.
    public mutating func append(
        validated found: [(index: Int, header: RecordBatchHeader)], in batches: ByteBuffer,
        leaderEpoch: Int32, wallClockMs: Int64
    ) throws(StorageError) -> AppendInfo {
        try checkOpen()
        let size = batches.readableBytes
        guard size <= config.segmentBytes else {
            throw .recordBatchTooLarge(size: size, segmentBytes: config.segmentBytes)
        }
        lastAppendWallClockMs = wallClockMs
        guard !found.isEmpty else { return emptyAppend() }

        let stamped = try stamp(
            batches, found: found, leaderEpoch: leaderEpoch, wallClockMs: wallClockMs)
        let lastOffset = stamped.batches[stamped.batches.count - 1].lastOffset
        try assignEpochs(of: [stamped.batches[0].header])
        let rolled = shouldRoll(
            size: size, maxTimestamp: stamped.maxTimestamp, lastOffset: lastOffset,
            wallClockMs: wallClockMs)
        if rolled { try roll(wallClockMs: wallClockMs) }
        try write(stamped)

        let flushed = try maybeFlush(wallClockMs: wallClockMs)
        return AppendInfo(
            firstOffset: stamped.batches[0].header.baseOffset, lastOffset: lastOffset,
            logAppendTime: config.messageTimestampType == .logAppendTime ? wallClockMs : -1,
            maxTimestamp: stamped.maxTimestamp, batchCount: stamped.batches.count,
            recordCount: stamped.recordCount, sizeInBytes: size, rolled: rolled,
            flushed: flushed, lastLeaderEpoch: leaderEpoch,
            producerBatches: stamped.batches.map(\.header).filter { $0.producerId >= 0 })
    }

    /// fsyncs when `flush.messages` records are unflushed or the last flush is `flush.ms`
    /// old, as Kafka's append does after writing; returns whether it did.
    mutating func maybeFlush(wallClockMs: Int64) throws(StorageError) -> Bool {
        let (sinceFlush, overflow) = wallClockMs.subtractingReportingOverflow(lastFlushWallClockMs)
        let flushed =
            logEndOffset > recoveryPoint
            && (logEndOffset - recoveryPoint >= config.flushMessages
                || (!overflow && sinceFlush >= config.flushMs))
        if flushed { try flush() }
        return flushed
    }

    /// Gives the validated batches offsets from `logEndOffset` on. Up to
    /// `Limits.gatheredAppendBatchesMax` batches get stamped header copies and keep their
    /// bytes; more, or under LogAppendTime (whose CRC covers the whole batch), are stamped in
    /// one copy of all the bytes.
    private func stamp(
        _ batches: ByteBuffer, found: [(index: Int, header: RecordBatchHeader)],
        leaderEpoch: Int32, wallClockMs: Int64
    ) throws(StorageError) -> StampedBatches {
        let stampTime = config.messageTimestampType == .logAppendTime
        let inPlace = stampTime || found.count > Limits.gatheredAppendBatchesMax
        var records = batches
        var result = StampedBatches()
        var next = logEndOffset
        for (index, original) in found {
            let header: RecordBatchHeader?
            if inPlace {
                RecordBatchView.stamp(
                    &records, at: index, baseOffset: next, partitionLeaderEpoch: leaderEpoch)
                if stampTime {
                    RecordBatchView.stampLogAppendTime(&records, at: index, timestamp: wallClockMs)
                }
                header = RecordBatchHeader(records, at: index)
            } else {
                let headerSize = RecordBatchHeader.size
                guard let head = batches.getSlice(at: index, length: headerSize),
                    let rest = batches.getSlice(
                        at: index + headerSize, length: original.totalSize - headerSize)
                else { throw .invalidRecords(.badLength(original.batchLength)) }
                // A buffer of its own, so stamping it leaves the caller's bytes alone.
                var copy = ByteBufferAllocator().buffer(capacity: headerSize)
                copy.writeImmutableBuffer(head)
                RecordBatchView.stamp(
                    &copy, at: copy.readerIndex, baseOffset: next,
                    partitionLeaderEpoch: leaderEpoch)
                header = RecordBatchHeader(copy, at: copy.readerIndex)
                result.parts.append(copy)
                result.parts.append(rest)
            }
            guard let header, let last = header.checkedLastOffset, last < LogSegment.baseOffsetMax
            else { throw .invalidRecords(.badLength(original.batchLength)) }
            result.batches.append((index - batches.readerIndex, header, last))
            result.maxTimestamp = max(result.maxTimestamp, header.maxTimestamp)
            result.recordCount += Int(header.recordsCount)
            next = last + 1
        }
        if inPlace { result.parts = [records] }
        return result
    }

    func emptyAppend() -> AppendInfo {
        AppendInfo(
            firstOffset: logEndOffset, lastOffset: logEndOffset - 1, logAppendTime: -1,
            maxTimestamp: TimeIndex.noTimestamp, batchCount: 0, recordCount: 0, sizeInBytes: 0,
            rolled: false, flushed: false)
    }

    /// Kafka's `LogSegment.shouldRoll`: a non-empty active segment rolls when the new bytes
    /// would not fit, when it has waited `segment.ms` (from its first batch's timestamp to
    /// the new batches' max timestamp, or by the wall clock when there is no timestamp), when
    /// an index is full, or when the last offset no longer fits the 4-byte relative form.
    func shouldRoll(size: Int, maxTimestamp: Int64, lastOffset: Int64, wallClockMs: Int64) -> Bool {
        let segment = segmentList[segmentList.count - 1]
        guard segment.size > 0 else { return false }
        let waited: Int64
        if let first = segment.firstBatchTimestamp, first >= 0 {
            let (difference, overflow) = maxTimestamp.subtractingReportingOverflow(first)
            waited = overflow ? (maxTimestamp > first ? .max : .min) : difference
        } else {
            let (difference, overflow) = wallClockMs.subtractingReportingOverflow(
                segment.createdWallClockMs)
            waited = overflow ? .max : difference
        }
        return segment.size > config.segmentBytes - size
            || waited > config.segmentMs
            || active.offsetIndex.isFull || active.timeIndex.isFull
            || !active.offsetIndex.canAppend(offset: lastOffset)
    }

    /// Seals the active segment (final time-index entry, trimmed indexes, fsync) and starts a
    /// new one at `logEndOffset`. Everything before it is then durable, so the recovery point
    /// moves there. Kafka flushes the old segment on roll too (asynchronously).
    mutating func roll(wallClockMs: Int64) throws(StorageError) {
        let sealed = segmentList[segmentList.count - 1]
        try active.seal(
            largestTimestamp: sealed.largestTimestamp, offset: sealed.offsetOfLargestTimestamp,
            fs: fs)
        let next = try ActiveSegment.create(
            directory: directory, baseOffset: logEndOffset, config: config, fs: fs)
        active.close(fs)
        active = next
        segmentList.append(LogSegment(baseOffset: logEndOffset, createdWallClockMs: wallClockMs))
        try fs.fsyncDirectory(directory)
        recoveryPoint = logEndOffset
        lastFlushWallClockMs = wallClockMs
    }

    /// Writes stamped batches to the active segment and adds their index entries (written
    /// to the index files a block at a time, see `ActiveSegment`). If a write fails, the
    /// files are cut back and the in-memory state is left as it was.
    ///
    /// The indexes are changed in place and rolled back on failure: copying them first (a
    /// value-type copy of arrays that grow to `segment.index.bytes`) would copy every entry on
    /// every append.
    mutating func write(_ stamped: StampedBatches) throws(StorageError) {
        var segment = segmentList[segmentList.count - 1]
        let offsetEntriesBefore = active.offsetIndex.count
        let timeEntriesBefore = active.timeIndex.count
        let bytesSinceBefore = active.bytesSinceLastIndexEntry
        let start = segment.size
        for batch in stamped.batches {
            let position = start + batch.position
            segment.noteAppended(
                batch.header, lastOffset: batch.lastOffset, size: batch.header.totalSize)
            if active.bytesSinceLastIndexEntry > config.indexIntervalBytes {
                active.offsetIndex.add(offset: batch.lastOffset, position: position)
                active.timeIndex.add(
                    timestamp: segment.largestTimestamp, offset: segment.offsetOfLargestTimestamp)
                active.bytesSinceLastIndexEntry = 0
            }
            active.bytesSinceLastIndexEntry += batch.header.totalSize
        }
        do {
            try fs.append(active.logFile, gathering: stamped.parts)
            if active.hasFullBlockOfUnwrittenEntries { try active.writeIndexEntries(fs) }
        } catch {
            active.offsetIndex.truncate(toEntries: offsetEntriesBefore)
            active.timeIndex.truncate(toEntries: timeEntriesBefore)
            active.bytesSinceLastIndexEntry = bytesSinceBefore
            active.cutIndexFilesToEntriesOnFile(fs)
            try? fs.truncate(active.logFile, to: Int64(start))
            throw error
        }
        segmentList[segmentList.count - 1] = segment
        logEndOffset = segment.nextOffset
    }
}
