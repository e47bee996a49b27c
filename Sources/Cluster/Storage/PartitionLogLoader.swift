// Storage room: opening a partition log: check the directory's topic id, clear leftovers,
// load each segment, validate those past the recovery point, cut any torn tail, and bring the
// leader-epoch cache and high watermark into line with the log found.

import NIOCore

/// Loads a partition directory into a `PartitionLog`. Kafka's `LogLoader`.
///
/// Segments wholly below the recovery point are trusted: their size, first and largest
/// timestamps are read, nothing more. Segments past it (all of them when the recovery point
/// is unknown) are validated batch by batch by `SegmentRecovery`; the first invalid byte
/// cuts the log there and every later segment is deleted, since a log has no holes. A
/// missing or insane index also sends its segment through recovery.
///
/// The leader-epoch checkpoint is then fitted to the log as Kafka's `LogLoader` does:
/// epochs of recovered batches are added, entries past the log end dropped, and the first
/// entry moved up to the log start. The checkpoint can only run ahead of the log (appends
/// write it first, truncations after), so that mostly suffices; should it still disagree
/// with the log (its latest epoch not the last batch's, its first entry after the log start)
/// or be missing or unreadable, it is rebuilt from every batch header.
struct PartitionLogLoader {
    let directory: String
    let topicId: Uuid
    let config: LogConfig
    let fs: any FileSystem
    let recoveryPoint: Int64?
    let logStartOffsetCheckpoint: Int64?
    let highWatermarkCheckpoint: Int64?
    let wallClockMs: Int64
    var report: RecoveryReport

    /// A segment as loaded, with its indexes when it was recovered or is the active one.
    private struct Loaded {
        var segment: LogSegment
        var offsetIndex: OffsetIndex?
        var timeIndex: TimeIndex?
        var bytesSinceLastIndexEntry = 0
        /// Whether the batches were validated and the file possibly cut.
        var recovered: Bool
        var truncated: Bool
        /// From recovery: where the batches' leader epochs change.
        var epochStarts: [EpochEntry] = []
        /// The leader epoch of the last batch, when the load walked up to it.
        var lastBatchLeaderEpoch: Int32?
    }

    mutating func load() throws(StorageError) -> PartitionLog {
        try fs.makeDirectory(directory)
        try checkPartitionMetadata()
        let bases = try clearLeftoversAndListSegments()
        var loaded: [Loaded] = []
        var at = 0
        while at < bases.count {
            let nextBase = at + 1 < bases.count ? bases[at + 1] : nil
            let segment = try load(baseOffset: bases[at], nextBase: nextBase)
            loaded.append(segment)
            report.segmentsLoaded += 1
            at += 1
            if let nextBase, segment.recovered,
                segment.truncated || segment.segment.nextOffset != nextBase
            {
                try deleteSegments(bases[at...])
                break
            }
        }
        var start = max(logStartOffsetCheckpoint ?? 0, loaded.first?.segment.baseOffset ?? 0)
        start = min(start, LogSegment.baseOffsetMax)
        var deletedAll = false
        if let last = loaded.last, start > last.segment.nextOffset {
            // The data ends before the checkpointed log start (Kafka truncates fully then).
            try deleteSegments(loaded.map(\.segment.baseOffset)[...])
            loaded.removeAll()
            deletedAll = true
        }
        if loaded.isEmpty {
            let fresh = try ActiveSegment.create(
                directory: directory, baseOffset: start, config: config, fs: fs)
            try fs.fsyncDirectory(directory)
            let cache = try loadLeaderEpochCache(
                loaded: [], start: start, end: start, clear: deletedAll)
            return finish(
                segments: [LogSegment(baseOffset: start, createdWallClockMs: wallClockMs)],
                active: fresh, start: start, cache: cache)
        }
        let last = loaded[loaded.count - 1]
        guard let offsetIndex = last.offsetIndex, let timeIndex = last.timeIndex else {
            preconditionFailure("the last segment is always loaded with its indexes")
        }
        let cache = try loadLeaderEpochCache(
            loaded: loaded, start: start, end: last.segment.nextOffset, clear: false)
        let active = try ActiveSegment.open(
            directory: directory, baseOffset: last.segment.baseOffset, offsetIndex: offsetIndex,
            timeIndex: timeIndex,
            bytesSinceLastIndexEntry: last.bytesSinceLastIndexEntry, fs: fs)
        return finish(segments: loaded.map(\.segment), active: active, start: start, cache: cache)
    }

    /// The high watermark is the checkpointed one (0 when there is none) clamped into the log,
    /// as Kafka's `Partition.createLog` sets it through `updateHighWatermark`.
    private mutating func finish(
        segments: [LogSegment], active: ActiveSegment, start: Int64, cache: LeaderEpochFileCache
    ) -> PartitionLog {
        let log = PartitionLog(
            directory: directory, topicId: topicId, config: config, fs: fs, logStartOffset: start,
            segments: segments, active: active, leaderEpochCache: cache,
            highWatermark: highWatermarkCheckpoint ?? 0, wallClockMs: wallClockMs)
        report.logStartOffset = log.logStartOffset
        report.logEndOffset = log.logEndOffset
        report.highWatermark = log.highWatermark
        return log
    }

    // MARK: - The leader-epoch cache

    /// The checkpointed cache fitted to the log `[start, end)` (see the type's comment), or
    /// rebuilt from the batch headers; written back when it changed. `clear` empties it first
    /// (the loader deleted every segment).
    private mutating func loadLeaderEpochCache(
        loaded: [Loaded], start: Int64, end: Int64, clear: Bool
    ) throws(StorageError) -> LeaderEpochFileCache {
        var stored: [EpochEntry]?
        do {
            stored = try LeaderEpochCheckpointFile.read(in: directory, fs: fs)
        } catch {
            guard case .malformedFile = error else { throw error }
            stored = nil
        }
        var cache = LeaderEpochFileCache(entries: clear ? [] : stored ?? [])
        // Kafka's `LogSegment.recover`: only an epoch above the latest is news.
        for segment in loaded where segment.recovered {
            for entry in segment.epochStarts
            where cache.latestEpoch.map({ entry.epoch > $0 }) ?? true {
                cache.assign(epoch: entry.epoch, startOffset: entry.startOffset)
            }
        }
        cache.truncateFromEnd(endOffset: end)
        cache.truncateFromStart(startOffset: start)
        // Signs the checkpoint missed data the log holds: the last batch's epoch is not the
        // latest, or the first entry starts after the log start (a log start checkpoint
        // older than the DeleteRecords that trimmed the cache).
        let lastEpoch = loaded.last?.lastBatchLeaderEpoch ?? -1
        let firstStart = cache.earliestEntry?.startOffset ?? .max
        let disagrees =
            (lastEpoch >= 0 && cache.latestEpoch != lastEpoch)
            || (end > start && firstStart > start)
        if stored == nil || disagrees {
            cache = try rebuildLeaderEpochCache(loaded, start: start)
            // A new, empty log has nothing to rebuild from; that is not worth reporting.
            report.rebuiltLeaderEpochCache = end > start || stored != nil
        }
        if stored != cache.entries {
            try LeaderEpochCheckpointFile.write(cache.entries, in: directory, fs: fs)
        }
        return cache
    }

    /// The cache the batches themselves imply: each batch's leader epoch assigned at its base
    /// offset, in log order, then trimmed to the log start.
    private func rebuildLeaderEpochCache(_ loaded: [Loaded], start: Int64) throws(StorageError)
        -> LeaderEpochFileCache
    {
        var cache = LeaderEpochFileCache()
        for segment in loaded.map(\.segment) where segment.size > 0 {
            let file = try fs.open(path(segment.logFileName))
            defer { fs.close(file) }
            var scanner = LogScanner(fs: fs, file: file, fileSize: segment.size)
            var position = 0
            while case .success(let header)? = try scanner.header(at: position) {
                // Trusted segments were not validated: a damaged offset must not reach assign.
                if header.partitionLeaderEpoch >= 0, header.baseOffset >= 0 {
                    cache.assign(epoch: header.partitionLeaderEpoch, startOffset: header.baseOffset)
                }
                position += header.totalSize
            }
        }
        cache.truncateFromStart(startOffset: start)
        return cache
    }

    // MARK: - The directory

    /// Writes `partition.metadata` when it is missing or unreadable; refuses a directory
    /// whose file names another topic id. A zero id (no topic id known) writes nothing.
    private mutating func checkPartitionMetadata() throws(StorageError) {
        guard topicId != .zero else { return }
        let path = StoragePath.join(directory, PartitionMetadata.fileName)
        if fs.exists(path) {
            let bytes = try fs.readWholeFile(path, limit: Limits.smallMetadataFileBytesMax)
            if let stored = PartitionMetadata(text: String(buffer: bytes)) {
                guard stored.topicId == topicId else {
                    throw .inconsistentTopicId(
                        directory: directory, stored: stored.topicId, expected: topicId)
                }
                return
            }
        }
        try fs.writeAtomically(path, ByteBuffer(string: PartitionMetadata(topicId: topicId).text))
        report.wrotePartitionMetadata = true
    }

    /// Removes leftovers of interrupted work (`.tmp`, `.deleted`, `.cleaned`, `.swap` files,
    /// and index files whose `.log` is gone) and returns the segments' base offsets, sorted.
    private mutating func clearLeftoversAndListSegments() throws(StorageError) -> [Int64] {
        let names = try fs.list(directory)
        var bases: [Int64] = []
        var indexFiles: [(name: String, base: Int64)] = []
        for name in names {
            if [".tmp", LogSegment.deletedSuffix, ".cleaned", ".swap"].contains(where: {
                name.hasSuffix($0)
            }) {
                try remove(name)
            } else if let base = LogSegment.baseOffset(
                fromFileName: name, suffix: LogSegment.logSuffix)
            {
                bases.append(base)
            } else if let base = LogSegment.baseOffset(
                fromFileName: name, suffix: LogSegment.indexSuffix)
                ?? LogSegment.baseOffset(fromFileName: name, suffix: LogSegment.timeIndexSuffix)
            {
                indexFiles.append((name, base))
            }
        }
        let known = Set(bases)
        for file in indexFiles where !known.contains(file.base) { try remove(file.name) }
        return bases.sorted()
    }

    private mutating func remove(_ name: String) throws(StorageError) {
        try fs.delete(StoragePath.join(directory, name))
        report.removedFiles.append(name)
    }

    /// Deletes whole segments (recovery found a hole before them), counting what they held.
    private mutating func deleteSegments(_ bases: ArraySlice<Int64>) throws(StorageError) {
        for base in bases {
            let log = StoragePath.join(
                directory, LogSegment.fileName(baseOffset: base, suffix: LogSegment.logSuffix))
            if let file = try? fs.open(log) {
                let size = Int(clamping: (try? fs.size(file)) ?? 0)
                var scanner = LogScanner(fs: fs, file: file, fileSize: size)
                report.truncatedBatches += (try? scanner.countBatches(from: 0)) ?? 0
                report.truncatedBytes += Int64(size)
                fs.close(file)
            }
            for suffix in [
                LogSegment.indexSuffix, LogSegment.timeIndexSuffix, LogSegment.logSuffix,
            ] {
                try fs.delete(
                    StoragePath.join(
                        directory, LogSegment.fileName(baseOffset: base, suffix: suffix)))
            }
            report.deletedSegments.append(base)
        }
        try fs.fsyncDirectory(directory)
    }

    // MARK: - One segment

    private mutating func load(baseOffset: Int64, nextBase: Int64?) throws(StorageError) -> Loaded {
        let pastRecoveryPoint =
            recoveryPoint.map { point in nextBase.map { $0 > point } ?? false } ?? true
        if !pastRecoveryPoint {
            let trusted =
                nextBase == nil
                ? try loadActive(baseOffset: baseOffset)
                : try loadClosed(baseOffset: baseOffset, nextBase: nextBase ?? 0)
            if let trusted { return trusted }
        }
        return try recover(baseOffset: baseOffset)
    }

    private mutating func recover(baseOffset: Int64) throws(StorageError) -> Loaded {
        let result = try SegmentRecovery.run(
            directory: directory, baseOffset: baseOffset, config: config, fs: fs,
            wallClockMs: wallClockMs)
        report.recoveredSegments.append(baseOffset)
        report.validatedBytes += Int64(result.validBytes)
        if result.truncatedBytes > 0 {
            report.truncatedBytes += Int64(result.truncatedBytes)
            report.truncatedBatches += result.truncatedBatches
            if report.truncation == nil {
                report.truncation = .init(
                    segmentBaseOffset: baseOffset, position: result.validBytes,
                    reason: result.problem ?? "invalid bytes")
            }
        }
        return Loaded(
            segment: result.segment, offsetIndex: result.offsetIndex, timeIndex: result.timeIndex,
            bytesSinceLastIndexEntry: result.bytesSinceLastIndexEntry, recovered: true,
            truncated: result.truncatedBytes > 0, epochStarts: result.epochStarts,
            lastBatchLeaderEpoch: result.lastBatchLeaderEpoch)
    }

    /// A closed segment below the recovery point: its size, first timestamp and largest
    /// timestamp (the time index's last entry). Nil when an index file is missing or the
    /// time index is damaged: the segment then goes through recovery.
    private func loadClosed(baseOffset: Int64, nextBase: Int64) throws(StorageError) -> Loaded? {
        var segment = LogSegment(baseOffset: baseOffset, createdWallClockMs: wallClockMs)
        guard fs.exists(path(segment.indexFileName)),
            let timeIndex = try? fs.readWholeFile(
                path(segment.timeIndexFileName), limit: indexFileLimit),
            let decoded = TimeIndex.decode(
                timeIndex, baseOffset: baseOffset, maxEntries: config.timeIndexEntriesMax)
        else { return nil }
        let file = try fs.open(path(segment.logFileName))
        defer { fs.close(file) }
        segment.size = Int(clamping: try fs.size(file))
        segment.nextOffset = nextBase
        segment.largestTimestamp = decoded.lastEntry.timestamp
        segment.offsetOfLargestTimestamp = decoded.lastEntry.offset
        var scanner = LogScanner(fs: fs, file: file, fileSize: segment.size)
        if case .success(let first)? = try scanner.header(at: 0) {
            segment.firstBatchTimestamp = first.maxTimestamp
        }
        return Loaded(segment: segment, recovered: false, truncated: false)
    }

    /// The last segment when the recovery point covers it: both indexes are read back and
    /// checked, and the batches after the last index entry are walked (headers only) to find
    /// the log end offset. Nil, so that the segment is recovered, when anything is off or
    /// when data lies past the recovery point.
    private func loadActive(baseOffset: Int64) throws(StorageError) -> Loaded? {
        var segment = LogSegment(baseOffset: baseOffset, createdWallClockMs: wallClockMs)
        let file = try fs.open(path(segment.logFileName))
        defer { fs.close(file) }
        segment.size = Int(clamping: try fs.size(file))
        guard
            let indexBytes = try? fs.readWholeFile(
                path(segment.indexFileName), limit: indexFileLimit),
            let offsetIndex = OffsetIndex.decode(
                indexBytes, baseOffset: baseOffset, maxEntries: config.offsetIndexEntriesMax,
                logSize: segment.size),
            let timeBytes = try? fs.readWholeFile(
                path(segment.timeIndexFileName), limit: indexFileLimit),
            let timeIndex = TimeIndex.decode(
                timeBytes, baseOffset: baseOffset, maxEntries: config.timeIndexEntriesMax)
        else { return nil }
        segment.largestTimestamp = timeIndex.lastEntry.timestamp
        segment.offsetOfLargestTimestamp = timeIndex.lastEntry.offset

        var scanner = LogScanner(fs: fs, file: file, fileSize: segment.size)
        let lastEntry = offsetIndex.entry(offsetIndex.count - 1)
        var position = lastEntry?.position ?? 0
        var expectedBase: Int64? = lastEntry == nil ? baseOffset : nil
        var lastEpoch: Int32?
        while let result = try scanner.header(at: position) {
            guard case .success(let header) = result, let last = header.checkedLastOffset,
                expectedBase.map({ $0 == header.baseOffset }) ?? (last == lastEntry?.offset),
                offsetIndex.canAppend(offset: last)
            else { return nil }
            if header.maxTimestamp > segment.largestTimestamp {
                segment.largestTimestamp = header.maxTimestamp
                segment.offsetOfLargestTimestamp = last
            }
            segment.nextOffset = last + 1
            expectedBase = last + 1
            lastEpoch = header.partitionLeaderEpoch
            position += header.totalSize
        }
        if let recoveryPoint, segment.nextOffset > recoveryPoint { return nil }
        // A time-index entry past the data (left by a truncation cut short) is not to be
        // trusted: recovery rebuilds the index.
        if !timeIndex.isEmpty, timeIndex.lastEntry.offset >= segment.nextOffset { return nil }
        if case .success(let first)? = try scanner.header(at: 0) {
            segment.firstBatchTimestamp = first.maxTimestamp
        }
        return Loaded(
            segment: segment, offsetIndex: offsetIndex, timeIndex: timeIndex,
            bytesSinceLastIndexEntry: segment.size - (lastEntry?.position ?? 0), recovered: false,
            truncated: false, lastBatchLeaderEpoch: lastEpoch)
    }

    private var indexFileLimit: Int {
        max(config.segmentIndexBytes, TimeIndex.entrySize) + TimeIndex.entrySize
    }

    private func path(_ name: String) -> String { StoragePath.join(directory, name) }
}

extension PartitionLog {
    /// Opens (or creates) the partition log in `directory`.
    ///
    /// `recoveryPoint` is the node's checkpointed recovery point for this partition: segments
    /// wholly below it are trusted, later ones are validated batch by batch and cut at the
    /// first invalid byte. Pass nil when it is unknown (no checkpoint entry): every segment
    /// is then validated. After a clean `close` the checkpoint equals the log end, so nothing
    /// is scanned. `logStartOffset` is the node's `log-start-offset-checkpoint` entry and
    /// `highWatermark` its `replication-offset-checkpoint` entry (clamped into the log; nil
    /// counts as 0, so the high watermark starts at the log start). A torn
    /// or corrupt tail never makes this fail; a failing disk or a directory holding another
    /// topic id does. `now` stamps the report; `wallClockMs` starts the `segment.ms` clock of
    /// segments whose batches carry no timestamp.
    public static func open(
        directory: String, topicId: Uuid, config: LogConfig, fs: any FileSystem,
        recoveryPoint: Int64?,
        logStartOffset: Int64? = nil, highWatermark: Int64? = nil, now: Instant,
        wallClockMs: Int64
    ) throws(StorageError) -> (PartitionLog, RecoveryReport) {
        var loader = PartitionLogLoader(
            directory: directory, topicId: topicId, config: config, fs: fs,
            recoveryPoint: recoveryPoint,
            logStartOffsetCheckpoint: logStartOffset, highWatermarkCheckpoint: highWatermark,
            wallClockMs: wallClockMs,
            report: RecoveryReport(
                directory: directory, openedAt: now, recoveryPoint: recoveryPoint))
        let log = try loader.load()
        return (log, loader.report)
    }
}
