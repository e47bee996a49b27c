// Storage room: one segment of a partition log: its three files named by base offset, and
// what the log remembers about it (size, offsets, timestamps) without keeping it open.

/// One segment: `<base offset>.log` with its `.index` and `.timeindex`.
///
/// Mirrors Kafka's `LogSegment`. The base offset is the offset of the segment's first
/// batch, zero-padded to 20 digits in the file names, so `ls` lists segments in offset
/// order. This value is the bookkeeping only; the active segment's open files and indexes
/// live in `ActiveSegment`, and closed segments are opened on demand.
public struct LogSegment: Equatable, Sendable {
    public static let logSuffix = ".log"
    public static let indexSuffix = ".index"
    public static let timeIndexSuffix = ".timeindex"
    /// Suffix of a segment file being deleted (Kafka's `.deleted`); removed at open.
    public static let deletedSuffix = ".deleted"
    /// The largest base offset a segment may have: its relative offsets must still fit in
    /// 32 bits without overflowing an Int64.
    public static let baseOffsetMax: Int64 = .max - Int64(UInt32.max)

    public let baseOffset: Int64
    /// Bytes in the `.log` file.
    public var size: Int
    /// One past the last offset stored here (the base offset when empty).
    public var nextOffset: Int64
    /// The largest batch max-timestamp here, or -1 when no batch carried one.
    public var largestTimestamp: Int64
    /// The last offset of the batch with `largestTimestamp`.
    public var offsetOfLargestTimestamp: Int64
    /// The first batch's max-timestamp: `segment.ms` is measured from it (Kafka's
    /// `rollingBasedTimestamp`). Nil when the segment is empty.
    public var firstBatchTimestamp: Int64?
    /// The wall clock when this process created or opened the segment; `segment.ms` is
    /// measured from it when the first batch has no timestamp.
    public var createdWallClockMs: Int64

    public init(baseOffset: Int64, createdWallClockMs: Int64) {
        self.baseOffset = baseOffset
        self.size = 0
        self.nextOffset = baseOffset
        self.largestTimestamp = TimeIndex.noTimestamp
        self.offsetOfLargestTimestamp = baseOffset
        self.firstBatchTimestamp = nil
        self.createdWallClockMs = createdWallClockMs
    }

    public var logFileName: String { Self.fileName(baseOffset: baseOffset, suffix: Self.logSuffix) }
    public var indexFileName: String {
        Self.fileName(baseOffset: baseOffset, suffix: Self.indexSuffix)
    }
    public var timeIndexFileName: String {
        Self.fileName(baseOffset: baseOffset, suffix: Self.timeIndexSuffix)
    }

    /// `00000000000000000042.log` for base offset 42
    /// (Kafka's `LogFileUtils.filenamePrefixFromOffset`).
    public static func fileName(baseOffset: Int64, suffix: String) -> String {
        let digits = String(baseOffset)
        return String(repeating: "0", count: max(0, 20 - digits.count)) + digits + suffix
    }

    /// The base offset a segment file name carries, when it is one of ours: exactly 20
    /// digits, then `suffix`, and a base offset no larger than `baseOffsetMax`.
    public static func baseOffset(fromFileName name: String, suffix: String) -> Int64? {
        guard name.hasSuffix(suffix) else { return nil }
        let digits = name.dropLast(suffix.count)
        guard digits.count == 20, digits.allSatisfy({ $0 >= "0" && $0 <= "9" }),
            let value = Int64(digits), value <= baseOffsetMax
        else { return nil }
        return value
    }

    /// Notes a batch of `header` (its last offset already known) appended at the end.
    mutating func noteAppended(_ header: RecordBatchHeader, lastOffset: Int64, size: Int) {
        if firstBatchTimestamp == nil { firstBatchTimestamp = header.maxTimestamp }
        if header.maxTimestamp > largestTimestamp {
            largestTimestamp = header.maxTimestamp
            offsetOfLargestTimestamp = lastOffset
        }
        self.size += size
        nextOffset = lastOffset + 1
    }
}
