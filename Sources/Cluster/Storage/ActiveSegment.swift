// Storage room: the segment appends go to. Holds its three files open and its indexes in
// memory; every other segment is closed until a fetch needs it.

import NIOCore

/// The open half of the active segment: `.log`, `.index` and `.timeindex` handles and the
/// in-memory indexes whose entries are appended to those files.
///
/// Kafka keeps every segment's files open and its indexes memory-mapped; we keep only this
/// one open for writing, which bounds a partition's descriptors (`Limits`).
///
/// New index entries go to memory first and reach the files in blocks of
/// `Limits.unwrittenIndexEntriesMax`, and always before an fsync, so an append costs one
/// `write` rather than three (Kafka's memory-mapped indexes cost none). The files may lag
/// the log only past the recovery point, and the loader walks from an index's last entry
/// (or recovers the segment) there anyway.
struct ActiveSegment {
    let baseOffset: Int64
    let logFile: OpenFile
    let indexFile: OpenFile
    let timeIndexFile: OpenFile
    var offsetIndex: OffsetIndex
    var timeIndex: TimeIndex
    /// Log bytes appended since the last offset-index entry (Kafka's `bytesSinceLastIndexEntry`).
    var bytesSinceLastIndexEntry: Int
    /// How many entries of each index its file holds; the rest are in memory only.
    var offsetIndexEntriesOnFile: Int
    var timeIndexEntriesOnFile: Int

    /// Creates the three empty files of a new segment at `baseOffset`.
    static func create(
        directory: String, baseOffset: Int64, config: LogConfig, fs: any FileSystem
    ) throws(StorageError) -> ActiveSegment {
        let files = try openFiles(
            directory: directory, baseOffset: baseOffset, fs: fs, create: true)
        return ActiveSegment(
            baseOffset: baseOffset, logFile: files.log, indexFile: files.index,
            timeIndexFile: files.timeIndex,
            offsetIndex: OffsetIndex(
                baseOffset: baseOffset, maxEntries: config.offsetIndexEntriesMax),
            timeIndex: TimeIndex(baseOffset: baseOffset, maxEntries: config.timeIndexEntriesMax),
            bytesSinceLastIndexEntry: 0, offsetIndexEntriesOnFile: 0, timeIndexEntriesOnFile: 0)
    }

    /// Opens the existing files of a segment whose indexes were loaded or rebuilt already
    /// (so the index files hold exactly these entries).
    static func open(
        directory: String, baseOffset: Int64, offsetIndex: OffsetIndex, timeIndex: TimeIndex,
        bytesSinceLastIndexEntry: Int, fs: any FileSystem
    ) throws(StorageError) -> ActiveSegment {
        let files = try openFiles(
            directory: directory, baseOffset: baseOffset, fs: fs, create: false)
        return ActiveSegment(
            baseOffset: baseOffset, logFile: files.log, indexFile: files.index,
            timeIndexFile: files.timeIndex,
            offsetIndex: offsetIndex, timeIndex: timeIndex,
            bytesSinceLastIndexEntry: bytesSinceLastIndexEntry,
            offsetIndexEntriesOnFile: offsetIndex.count, timeIndexEntriesOnFile: timeIndex.count)
    }

    private static func openFiles(
        directory: String, baseOffset: Int64, fs: any FileSystem, create: Bool
    ) throws(StorageError) -> (log: OpenFile, index: OpenFile, timeIndex: OpenFile) {
        func path(_ suffix: String) -> String {
            StoragePath.join(directory, LogSegment.fileName(baseOffset: baseOffset, suffix: suffix))
        }
        func openOne(_ suffix: String) throws(StorageError) -> OpenFile {
            create ? try fs.create(path(suffix)) : try fs.open(path(suffix))
        }
        let log = try openOne(LogSegment.logSuffix)
        let index: OpenFile
        do { index = try openOne(LogSegment.indexSuffix) } catch {
            fs.close(log)
            throw error
        }
        do { return (log, index, try openOne(LogSegment.timeIndexSuffix)) } catch {
            fs.close(log)
            fs.close(index)
            throw error
        }
    }

    /// Whether enough index entries wait in memory to be worth a write.
    var hasFullBlockOfUnwrittenEntries: Bool {
        offsetIndex.count - offsetIndexEntriesOnFile >= Limits.unwrittenIndexEntriesMax
            || timeIndex.count - timeIndexEntriesOnFile >= Limits.unwrittenIndexEntriesMax
    }

    /// Appends the entries only in memory to the index files. A write that fails part way (a
    /// full disk writes short) is cut back to the entries written before it, so the next
    /// write starts on an entry boundary; the entries stay in memory for that next write.
    mutating func writeIndexEntries(_ fs: any FileSystem) throws(StorageError) {
        do {
            if offsetIndex.count > offsetIndexEntriesOnFile {
                try fs.append(indexFile, offsetIndex.encoded(from: offsetIndexEntriesOnFile))
                offsetIndexEntriesOnFile = offsetIndex.count
            }
            if timeIndex.count > timeIndexEntriesOnFile {
                try fs.append(timeIndexFile, timeIndex.encoded(from: timeIndexEntriesOnFile))
                timeIndexEntriesOnFile = timeIndex.count
            }
        } catch {
            cutIndexFilesToEntriesOnFile(fs)
            throw error
        }
    }

    /// After the in-memory indexes were cut back (a failed append): the files keep no entry
    /// that memory lost, nor any part of a failed write.
    mutating func cutIndexFilesToEntriesOnFile(_ fs: any FileSystem) {
        offsetIndexEntriesOnFile = min(offsetIndexEntriesOnFile, offsetIndex.count)
        timeIndexEntriesOnFile = min(timeIndexEntriesOnFile, timeIndex.count)
        try? fs.truncate(indexFile, to: Int64(offsetIndexEntriesOnFile * OffsetIndex.entrySize))
        try? fs.truncate(timeIndexFile, to: Int64(timeIndexEntriesOnFile * TimeIndex.entrySize))
    }

    /// Writes the index entries still in memory, then fsyncs the log and both indexes.
    mutating func sync(_ fs: any FileSystem) throws(StorageError) {
        try writeIndexEntries(fs)
        try fs.fsync(logFile)
        try fs.fsync(indexFile)
        try fs.fsync(timeIndexFile)
    }

    /// Writes the final time-index entry (the segment's largest timestamp, in the slot kept
    /// for it), cuts both index files to their entries, and fsyncs everything. Kafka's
    /// `onBecomeInactiveSegment`, done when the segment rolls or the log closes.
    mutating func seal(largestTimestamp: Int64, offset: Int64, fs: any FileSystem)
        throws(StorageError)
    {
        timeIndex.add(timestamp: largestTimestamp, offset: offset, skipFullCheck: true)
        try writeIndexEntries(fs)
        try fs.truncate(indexFile, to: Int64(offsetIndex.sizeInBytes))
        try fs.truncate(timeIndexFile, to: Int64(timeIndex.sizeInBytes))
        try sync(fs)
    }

    func close(_ fs: any FileSystem) {
        fs.close(logFile)
        fs.close(indexFile)
        fs.close(timeIndexFile)
    }
}
