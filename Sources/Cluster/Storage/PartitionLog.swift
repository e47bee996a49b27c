// Storage room: one partition's log on disk: segments of record batches with their indexes.
// Brokers append produced batches here and serve fetches from it. Synchronous, one owner.

import NIOCore

/// The log of one partition replica: Kafka's `UnifiedLog` over `LocalLog`, without tiered
/// storage, compaction or producer state.
///
/// A leader's `append` assigns offsets by stamping each batch's base offset and leader epoch
/// in place; the bytes are otherwise written as the producer sent them. A follower's
/// `appendAsFollower` writes the leader's batches unchanged, and `truncate(to:)` cuts a tail
/// that diverged from a new leader's. The leader-epoch cache (`leader-epoch-checkpoint`)
/// follows every one of these. The log is a sequence of segments
/// named by base offset; only the newest (active) one takes appends. Retention deletes whole
/// closed segments and moves `logStartOffset`; `recoveryPoint` is the offset up to which
/// everything is fsynced, which the node checkpoints so that a restart validates only what
/// came after it.
///
/// A struct with one owner (a node's event loop or the simulator): it holds open files, so
/// copies must not both be used. Every call runs to completion on the caller's thread.
public struct PartitionLog {
    public let directory: String
    public let topicId: Uuid
    public internal(set) var config: LogConfig
    let fs: any FileSystem
    /// The first offset a consumer may fetch (Kafka's log start offset, the low watermark).
    public internal(set) var logStartOffset: Int64
    /// The offset the next appended record gets.
    public internal(set) var logEndOffset: Int64
    /// Every offset below this is fsynced (Kafka's recovery point).
    public internal(set) var recoveryPoint: Int64
    /// The offset below which every in-sync replica has the records: consumers read up to
    /// here. Kept in `[logStartOffset, logEndOffset]`; the replication logic moves it with
    /// `updateHighWatermark` and its owner checkpoints it in `replication-offset-checkpoint`.
    public internal(set) var highWatermark: Int64
    /// Where each leader epoch starts in this log, persisted as `leader-epoch-checkpoint`.
    public internal(set) var leaderEpochCache: LeaderEpochFileCache
    /// Ascending by base offset; the last one is the active segment.
    var segmentList: [LogSegment]
    var active: ActiveSegment
    let readers: SegmentReaderCache
    var lastFlushWallClockMs: Int64
    var lastAppendWallClockMs: Int64
    var isClosed = false

    init(
        directory: String, topicId: Uuid, config: LogConfig, fs: any FileSystem,
        logStartOffset: Int64, segments: [LogSegment], active: ActiveSegment,
        leaderEpochCache: LeaderEpochFileCache, highWatermark: Int64, wallClockMs: Int64
    ) {
        precondition(!segments.isEmpty, "a partition log always has an active segment")
        self.directory = directory
        self.topicId = topicId
        self.config = config
        self.fs = fs
        self.logStartOffset = logStartOffset
        self.logEndOffset = segments[segments.count - 1].nextOffset
        self.recoveryPoint = logEndOffset
        self.highWatermark = min(max(highWatermark, logStartOffset), logEndOffset)
        self.leaderEpochCache = leaderEpochCache
        self.segmentList = segments
        self.active = active
        self.readers = SegmentReaderCache(capacity: Limits.segmentReadersPerPartitionMax, fs: fs)
        self.lastFlushWallClockMs = wallClockMs
        self.lastAppendWallClockMs = wallClockMs
    }

    /// The segments, oldest first, for `log segments`.
    public var segments: [SegmentInfo] {
        segmentList.enumerated().map { SegmentInfo($1, isActive: $0 == segmentList.count - 1) }
    }

    /// Bytes in all segment files.
    public var sizeInBytes: Int { segmentList.reduce(0) { $0 + $1.size } }

    /// Descriptors this log holds open now (at most `Limits.openFilesPerPartitionMax`).
    public var openFileCount: Int { isClosed ? 0 : 3 + readers.openCount }

    /// Uses `config` from now on. Index sizes change for segments rolled after this.
    public mutating func updateConfig(_ config: LogConfig) {
        self.config = config
    }

    // MARK: - Helpers shared by the extensions

    func checkOpen() throws(StorageError) {
        if isClosed { throw .logClosed(directory: directory) }
    }

    func path(_ name: String) -> String { StoragePath.join(directory, name) }

    /// Deletes one segment's files. The `.log` is first renamed to `.log.deleted`, so a crash
    /// halfway leaves a file that open removes rather than a segment with its indexes gone.
    func deleteSegmentFiles(_ segment: LogSegment) throws(StorageError) {
        readers.evict(segment.baseOffset)
        let log = path(segment.logFileName)
        try fs.rename(log, to: log + LogSegment.deletedSuffix)
        try fs.delete(path(segment.indexFileName))
        try fs.delete(path(segment.timeIndexFileName))
        try fs.delete(log + LogSegment.deletedSuffix)
    }

    /// The index in `segmentList` of the segment holding `offset`: the last one whose base
    /// offset is at most `offset` (Kafka's `floorEntry` over the segment map).
    func segmentIndex(containing offset: Int64) -> Int {
        var low = 0
        var high = segmentList.count
        while low < high {
            let middle = (low + high) / 2
            if segmentList[middle].baseOffset <= offset { low = middle + 1 } else { high = middle }
        }
        return max(low - 1, 0)
    }
}
