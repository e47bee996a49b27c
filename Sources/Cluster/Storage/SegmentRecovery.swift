// Storage room: recovering one segment after an unclean shutdown: validate every batch
// (length, magic, CRC, offsets), cut the file at the first invalid byte, rebuild indexes.

import NIOCore

/// What recovering one segment found. Kafka's `LogSegment.recover`.
struct SegmentRecovery {
    var segment: LogSegment
    var offsetIndex: OffsetIndex
    var timeIndex: TimeIndex
    var bytesSinceLastIndexEntry: Int
    /// Bytes of valid batches kept.
    var validBytes: Int
    var truncatedBytes: Int
    var truncatedBatches: Int
    /// Why the walk stopped before the end of the file, when it did.
    var problem: String?
    /// Each batch kept whose partition leader epoch (0 or above) differs from the batch
    /// before it, with its base offset: what the leader-epoch cache learns from this segment.
    var epochStarts: [EpochEntry] = []
    /// The partition leader epoch of the last batch kept; nil when none was kept.
    var lastBatchLeaderEpoch: Int32?

    /// Validates every batch of the segment at `baseOffset` from its first byte: each must
    /// have a plausible length inside the file, magic 2, a matching CRC and record count, and
    /// the base offset that follows the previous batch (the first one the segment's base).
    /// The file is cut at the first batch that fails, and both index files are rewritten
    /// from the batches kept, by the same spacing rule appends use. Never fails on bad bytes;
    /// only a failing disk makes it throw.
    static func run(
        directory: String, baseOffset: Int64, config: LogConfig, fs: any FileSystem,
        wallClockMs: Int64
    ) throws(StorageError) -> SegmentRecovery {
        var segment = LogSegment(baseOffset: baseOffset, createdWallClockMs: wallClockMs)
        let file = try fs.open(StoragePath.join(directory, segment.logFileName))
        defer { fs.close(file) }
        let size = Int(clamping: try fs.size(file))
        var scanner = LogScanner(fs: fs, file: file, fileSize: size)
        var offsetIndex = OffsetIndex(
            baseOffset: baseOffset, maxEntries: config.offsetIndexEntriesMax)
        var timeIndex = TimeIndex(baseOffset: baseOffset, maxEntries: config.timeIndexEntriesMax)
        var valid = 0
        var lastIndexed = 0
        var problem: LogScanner.Problem?
        var epochStarts: [EpochEntry] = []
        var lastEpoch: Int32?

        walk: while valid < size {
            let header: RecordBatchHeader
            switch try scanner.header(at: valid) {
            case nil: break walk
            case .failure(let found)?:
                problem = found
                break walk
            case .success(let read)?: header = read
            }
            guard header.baseOffset == segment.nextOffset else {
                problem = .unexpectedOffset(found: header.baseOffset, expected: segment.nextOffset)
                break
            }
            guard let last = header.checkedLastOffset, offsetIndex.canAppend(offset: last) else {
                problem = .offsetOverflow(lastOffset: header.checkedLastOffset)
                break
            }
            if let found = try scanner.validate(at: valid, header: header) {
                problem = found
                break
            }
            segment.noteAppended(header, lastOffset: last, size: header.totalSize)
            if header.partitionLeaderEpoch >= 0, header.partitionLeaderEpoch != lastEpoch {
                epochStarts.append(
                    EpochEntry(epoch: header.partitionLeaderEpoch, startOffset: header.baseOffset))
            }
            lastEpoch = header.partitionLeaderEpoch
            if valid - lastIndexed > config.indexIntervalBytes {
                offsetIndex.add(offset: last, position: valid)
                timeIndex.add(
                    timestamp: segment.largestTimestamp, offset: segment.offsetOfLargestTimestamp)
                lastIndexed = valid
            }
            valid += header.totalSize
        }

        var truncatedBatches = 0
        if valid < size {
            truncatedBatches = try scanner.countBatches(from: valid)
            try fs.truncate(file, to: Int64(valid))
        }
        // The bytes kept may have lived only in the page cache (a killed process); once they
        // are fsynced the log may count them below its recovery point.
        try fs.fsync(file)
        timeIndex.add(
            timestamp: segment.largestTimestamp, offset: segment.offsetOfLargestTimestamp,
            skipFullCheck: true)
        try rewrite(
            StoragePath.join(directory, segment.indexFileName), with: offsetIndex.encoded(), fs: fs)
        try rewrite(
            StoragePath.join(directory, segment.timeIndexFileName), with: timeIndex.encoded(),
            fs: fs)
        return SegmentRecovery(
            segment: segment, offsetIndex: offsetIndex, timeIndex: timeIndex,
            bytesSinceLastIndexEntry: valid - lastIndexed, validBytes: valid,
            truncatedBytes: size - valid,
            truncatedBatches: truncatedBatches, problem: problem?.description,
            epochStarts: epochStarts, lastBatchLeaderEpoch: lastEpoch)
    }

    /// Makes the index file at `path` hold `bytes`, durably. A file that already holds them
    /// (the usual case: the indexes were written as the batches were) is only fsynced, which
    /// costs little when nothing in it is dirty; any other is recreated and written.
    private static func rewrite(_ path: String, with bytes: ByteBuffer, fs: any FileSystem)
        throws(StorageError)
    {
        if let existing = try? fs.open(path) {
            defer { fs.close(existing) }
            if let size = try? fs.size(existing), size == Int64(bytes.readableBytes),
                let stored = try? fs.pread(existing, at: 0, count: bytes.readableBytes),
                stored == bytes
            {
                try fs.fsync(existing)
                return
            }
        }
        let file = try fs.create(path)
        defer { fs.close(file) }
        if bytes.readableBytes > 0 { try fs.append(file, bytes) }
        try fs.fsync(file)
    }
}
