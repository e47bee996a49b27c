// Storage room: a segment's sparse offset index (`.index`): 8-byte entries mapping an offset
// to the file position of its batch, so a fetch starts scanning near its target.

import NIOCore

/// The sparse offset index of one segment, held in memory and mirrored to its `.index` file.
///
/// Each entry is a 4-byte offset relative to the segment's base offset and a 4-byte file
/// position, big-endian, as Kafka's `OffsetIndex` writes them. An entry `(offset, position)`
/// says the batch at `position` ends at `offset`, so a lookup for a target returns the last
/// entry at or below it and the reader scans forward from there. Entries are added every
/// `index.interval.bytes` of log; Kafka memory-maps the file, we keep the entries in two
/// arrays and append each new one to the file.
public struct OffsetIndex: Equatable, Sendable {
    /// An offset and the file position of the batch that ends at it.
    public struct Entry: Equatable, Sendable {
        public var offset: Int64
        public var position: Int
    }

    public static let entrySize = 8

    public let baseOffset: Int64
    /// `segment.index.bytes / 8`: a full index rolls the segment.
    public let maxEntries: Int
    private var relativeOffsets: [Int32] = []
    private var positions: [Int32] = []

    public init(baseOffset: Int64, maxEntries: Int) {
        self.baseOffset = baseOffset
        self.maxEntries = maxEntries
    }

    public var count: Int { relativeOffsets.count }
    public var isEmpty: Bool { relativeOffsets.isEmpty }
    public var isFull: Bool { count >= maxEntries }
    /// The bytes the entries take on disk.
    public var sizeInBytes: Int { count * Self.entrySize }

    /// The offset of the last entry, or the base offset when there is none.
    public var lastOffset: Int64 {
        relativeOffsets.last.map { baseOffset + Int64($0) } ?? baseOffset
    }

    public func entry(_ n: Int) -> Entry? {
        guard n >= 0, n < count else { return nil }
        return Entry(offset: baseOffset + Int64(relativeOffsets[n]), position: Int(positions[n]))
    }

    /// Whether `offset` fits the 4-byte relative form of this index.
    public func canAppend(offset: Int64) -> Bool {
        let (relative, overflow) = offset.subtractingReportingOverflow(baseOffset)
        return !overflow && relative >= 0 && relative <= Int64(Int32.max)
    }

    /// The last entry whose offset is at most `target`; `(baseOffset, 0)` when there is none.
    /// Kafka's `OffsetIndex.lookup`: the greatest lower bound, found by binary search.
    public func lookup(_ target: Int64) -> Entry {
        var low = 0
        var high = count
        while low < high {
            let middle = (low + high) / 2
            if baseOffset + Int64(relativeOffsets[middle]) <= target {
                low = middle + 1
            } else {
                high = middle
            }
        }
        return entry(low - 1) ?? Entry(offset: baseOffset, position: 0)
    }

    /// Adds an entry and returns its 8 bytes for the file; nil when the index is full, the
    /// offset does not grow, or it does not fit the relative form (nothing is added then).
    public mutating func append(offset: Int64, position: Int) -> ByteBuffer? {
        guard add(offset: offset, position: position) else { return nil }
        return encoded(from: count - 1)
    }

    /// `append` without the bytes: whether the entry was added.
    @discardableResult
    public mutating func add(offset: Int64, position: Int) -> Bool {
        guard !isFull, canAppend(offset: offset), isEmpty || offset > lastOffset,
            let relative = Int32(exactly: offset - baseOffset),
            let filePosition = Int32(exactly: position), filePosition >= 0,
            positions.last.map({ filePosition > $0 }) ?? true
        else { return false }
        relativeOffsets.append(relative)
        positions.append(filePosition)
        return true
    }

    /// Removes entries for `offset` and above, as Kafka's `truncateTo` does.
    public mutating func truncate(to offset: Int64) {
        var keep = count
        while keep > 0, baseOffset + Int64(relativeOffsets[keep - 1]) >= offset { keep -= 1 }
        truncate(toEntries: keep)
    }

    public mutating func truncate(toEntries n: Int) {
        let keep = max(0, min(n, count))
        relativeOffsets.removeSubrange(keep...)
        positions.removeSubrange(keep...)
    }

    /// The entries from the `first` on (all by default) as the file holds them.
    public func encoded(from first: Int = 0) -> ByteBuffer {
        let first = max(0, min(first, count))
        var bytes = ByteBufferAllocator().buffer(capacity: (count - first) * Self.entrySize)
        for n in first..<count {
            bytes.writeInteger(relativeOffsets[n], endianness: .big)
            bytes.writeInteger(positions[n], endianness: .big)
        }
        return bytes
    }

    /// Reads an index file, or nil when it fails Kafka's sanity checks (a partial entry,
    /// offsets or positions that do not grow, a position past the log's end): the caller
    /// then rebuilds the index from the log, as Kafka does with a `CorruptIndexException`.
    public static func decode(
        _ bytes: ByteBuffer, baseOffset: Int64, maxEntries: Int, logSize: Int
    ) -> OffsetIndex? {
        guard bytes.readableBytes % entrySize == 0 else { return nil }
        var index = OffsetIndex(
            baseOffset: baseOffset, maxEntries: max(maxEntries, bytes.readableBytes / entrySize))
        var reader = bytes
        while let relative = reader.readInteger(endianness: .big, as: Int32.self),
            let position = reader.readInteger(endianness: .big, as: Int32.self)
        {
            let (offset, overflow) = baseOffset.addingReportingOverflow(Int64(relative))
            guard !overflow, relative >= 0, position >= 0, Int(position) < logSize,
                index.add(offset: offset, position: Int(position))
            else { return nil }
        }
        return index
    }
}
