// Storage room: one segment as `log segments` shows it: base offset, files, size,
// timestamps, and whether appends go to it.

/// A snapshot of one segment for inspection; a value the REPL may keep.
public struct SegmentInfo: Equatable, Sendable {
    public var baseOffset: Int64
    /// One past the last offset in the segment.
    public var nextOffset: Int64
    public var logFileName: String
    public var indexFileName: String
    public var timeIndexFileName: String
    public var sizeInBytes: Int
    /// The first batch's max-timestamp (-1 when empty or without timestamps).
    public var firstTimestamp: Int64
    /// The largest timestamp in the segment (-1 when none); `retention.ms` compares with it.
    public var largestTimestamp: Int64
    public var isActive: Bool

    init(_ segment: LogSegment, isActive: Bool) {
        baseOffset = segment.baseOffset
        nextOffset = segment.nextOffset
        logFileName = segment.logFileName
        indexFileName = segment.indexFileName
        timeIndexFileName = segment.timeIndexFileName
        sizeInBytes = segment.size
        firstTimestamp = segment.firstBatchTimestamp ?? TimeIndex.noTimestamp
        largestTimestamp = segment.largestTimestamp
        self.isActive = isActive
    }
}
