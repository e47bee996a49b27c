// Storage room: the segment appends go to. Holds its three files open and its indexes in
// memory; every other segment is closed until a fetch needs it.

import NIOCore

/// The open half of the active segment: `.log`, `.index` and `.timeindex` handles and the
/// in-memory indexes whose entries are appended to those files.
///
/// Kafka keeps every segment's files open and its indexes memory-mapped; we keep only this
/// one open for writing, which bounds a partition's descriptors (`Limits`).
struct ActiveSegment {
    let baseOffset: Int64
    let logFile: OpenFile
    let indexFile: OpenFile
    let timeIndexFile: OpenFile
    var offsetIndex: OffsetIndex
    var timeIndex: TimeIndex
    /// Log bytes appended since the last offset-index entry (Kafka's `bytesSinceLastIndexEntry`).
    var bytesSinceLastIndexEntry: Int

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
            bytesSinceLastIndexEntry: 0)
    }

    /// Opens the existing files of a segment whose indexes were loaded or rebuilt already.
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
            bytesSinceLastIndexEntry: bytesSinceLastIndexEntry)
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

    /// fsyncs the log and both indexes.
    func sync(_ fs: any FileSystem) throws(StorageError) {
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
        if let entry = timeIndex.maybeAppend(
            timestamp: largestTimestamp, offset: offset, skipFullCheck: true)
        {
            try fs.append(timeIndexFile, entry)
        }
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
