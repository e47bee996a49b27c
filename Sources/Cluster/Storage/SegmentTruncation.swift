// Storage room: cutting one segment at a batch boundary for a log truncation: the index files
// first, then the log file, each fsynced, so a crash in between leaves a consistent prefix.

import NIOCore

/// One segment after `PartitionLog.truncate(to:)` cut it. Kafka's `LogSegment.truncateTo`.
struct SegmentTruncation {
    /// A segment's indexes as known in memory, and how many entries of each its files hold.
    struct Indexes {
        var offsetIndex: OffsetIndex
        var timeIndex: TimeIndex
        var offsetEntriesOnFile: Int
        var timeEntriesOnFile: Int
    }

    var segment: LogSegment
    var offsetIndex: OffsetIndex
    var timeIndex: TimeIndex
    var bytesSinceLastIndexEntry: Int

    /// Removes from the segment every batch whose last offset is `target` or more (a batch
    /// holding `target` goes whole, so the segment then ends at a batch boundary at or below
    /// `target`). No file of the segment may be open for writing.
    ///
    /// With `indexes` known, their entries from `target` on are dropped and both index files
    /// cut to the rest (fsynced), then the log file is cut (fsynced), then the segment's
    /// figures are taken from the indexes and the batches after the last index entry. A crash
    /// after the index cut leaves sparser indexes over the old log (valid); after the log cut,
    /// the cut log with matching indexes. Without indexes (a closed segment whose index files
    /// fail their checks) the log is cut and `SegmentRecovery` rebuilds them.
    static func run(
        directory: String, segment: LogSegment, indexes: Indexes?, to target: Int64,
        config: LogConfig, fs: any FileSystem, wallClockMs: Int64
    ) throws(StorageError) -> SegmentTruncation {
        let logPath = StoragePath.join(directory, segment.logFileName)
        let file = try fs.open(logPath)
        defer { fs.close(file) }
        var scanner = LogScanner(fs: fs, file: file, fileSize: segment.size)
        let cut = try findCut(
            &scanner, segment: segment, index: indexes?.offsetIndex, target: target,
            path: logPath)

        guard var indexes else {
            try fs.truncate(file, to: Int64(cut.position))
            try fs.fsync(file)
            let recovered = try SegmentRecovery.run(
                directory: directory, baseOffset: segment.baseOffset, config: config, fs: fs,
                wallClockMs: wallClockMs)
            var kept = recovered.segment
            kept.createdWallClockMs = segment.createdWallClockMs
            return SegmentTruncation(
                segment: kept, offsetIndex: recovered.offsetIndex,
                timeIndex: recovered.timeIndex,
                bytesSinceLastIndexEntry: recovered.bytesSinceLastIndexEntry)
        }
        indexes.offsetIndex.truncate(to: target)
        indexes.timeIndex.truncate(to: target)
        try cutIndexFile(
            StoragePath.join(directory, segment.indexFileName),
            keeping: indexes.offsetIndex.count, onFile: indexes.offsetEntriesOnFile,
            entrySize: OffsetIndex.entrySize,
            encoded: { indexes.offsetIndex.encoded(from: $0) }, fs: fs)
        try cutIndexFile(
            StoragePath.join(directory, segment.timeIndexFileName),
            keeping: indexes.timeIndex.count, onFile: indexes.timeEntriesOnFile,
            entrySize: TimeIndex.entrySize,
            encoded: { indexes.timeIndex.encoded(from: $0) }, fs: fs)
        try fs.truncate(file, to: Int64(cut.position))
        try fs.fsync(file)

        let lastEntry = indexes.offsetIndex.entry(indexes.offsetIndex.count - 1)
        let kept = try figures(
            of: segment, cut: cut, timeIndex: indexes.timeIndex,
            from: lastEntry?.position ?? 0, file: file, fs: fs)
        return SegmentTruncation(
            segment: kept, offsetIndex: indexes.offsetIndex, timeIndex: indexes.timeIndex,
            bytesSinceLastIndexEntry: cut.position - (lastEntry?.position ?? 0))
    }

    /// The cut segment's size, offsets and timestamps: the largest timestamp is the time
    /// index's last entry or that of a batch after `position` (the last offset-index entry's
    /// batch; later batches have no time-index entry yet), as the loader works it out.
    private static func figures(
        of segment: LogSegment, cut: (position: Int, nextOffset: Int64), timeIndex: TimeIndex,
        from position: Int, file: OpenFile, fs: any FileSystem
    ) throws(StorageError) -> LogSegment {
        var kept = LogSegment(
            baseOffset: segment.baseOffset, createdWallClockMs: segment.createdWallClockMs)
        kept.size = cut.position
        kept.nextOffset = cut.nextOffset
        kept.firstBatchTimestamp = cut.position > 0 ? segment.firstBatchTimestamp : nil
        if !timeIndex.isEmpty {
            kept.largestTimestamp = timeIndex.lastEntry.timestamp
            kept.offsetOfLargestTimestamp = timeIndex.lastEntry.offset
        }
        var at = position
        var tail = LogScanner(fs: fs, file: file, fileSize: cut.position)
        while case .success(let header)? = try tail.header(at: at) {
            if header.maxTimestamp > kept.largestTimestamp {
                kept.largestTimestamp = header.maxTimestamp
                kept.offsetOfLargestTimestamp = header.checkedLastOffset ?? header.baseOffset
            }
            at += header.totalSize
        }
        return kept
    }

    /// The position and base offset of the first batch whose last offset reaches `target`
    /// (the segment's size and next offset when none does). The walk starts at the index
    /// entry below `target` when that entry matches the batch it points at, else at 0.
    private static func findCut(
        _ scanner: inout LogScanner, segment: LogSegment, index: OffsetIndex?, target: Int64,
        path: String
    ) throws(StorageError) -> (position: Int, nextOffset: Int64) {
        var position = 0
        if let index, target > segment.baseOffset {
            let hint = index.lookup(target - 1)
            if hint.position > 0,
                case .success(let header)? = try scanner.header(at: hint.position),
                header.checkedLastOffset == hint.offset
            {
                position = hint.position
            }
        }
        while let result = try scanner.header(at: position) {
            guard case .success(let header) = result, let last = header.checkedLastOffset else {
                throw .malformedFile(path: path, reason: "no valid batch at position \(position)")
            }
            if last >= target { return (position, header.baseOffset) }
            position += header.totalSize
        }
        return (segment.size, segment.nextOffset)
    }

    /// Makes an index file hold exactly its first `keeping` entries: cut to those of them it
    /// already holds, append the rest from memory, fsync.
    private static func cutIndexFile(
        _ path: String, keeping: Int, onFile: Int, entrySize: Int,
        encoded: (Int) -> ByteBuffer, fs: any FileSystem
    ) throws(StorageError) {
        let file = fs.exists(path) ? try fs.open(path) : try fs.create(path)
        defer { fs.close(file) }
        let kept = min(keeping, onFile)
        try fs.truncate(file, to: Int64(kept * entrySize))
        if keeping > kept { try fs.append(file, encoded(kept)) }
        try fs.fsync(file)
    }
}
