// Storage room: a segment's sparse time index (`.timeindex`): 12-byte entries saying the
// largest timestamp seen before an offset. Retention and timestamp lookups read it.

import NIOCore

/// The sparse time index of one segment, in memory and mirrored to its `.timeindex` file.
///
/// Each entry is an 8-byte timestamp and a 4-byte offset relative to the segment's base,
/// big-endian, as Kafka's `TimeIndex` writes them. An entry `(timestamp, offset)` means the
/// largest timestamp up to `offset` is `timestamp`; timestamps only grow. The last slot is
/// kept for the entry written when the segment rolls or closes, which carries the segment's
/// largest timestamp: that is what `retention.ms` compares against.
public struct TimeIndex: Equatable, Sendable {
    /// A timestamp and the offset by which it had been seen.
    public struct Entry: Equatable, Sendable {
        public var timestamp: Int64
        public var offset: Int64
    }

    public static let entrySize = 12
    /// Kafka's `RecordBatch.NO_TIMESTAMP`.
    public static let noTimestamp: Int64 = -1

    public let baseOffset: Int64
    /// `segment.index.bytes / 12`.
    public let maxEntries: Int
    private var timestamps: [Int64] = []
    private var relativeOffsets: [Int32] = []

    public init(baseOffset: Int64, maxEntries: Int) {
        self.baseOffset = baseOffset
        self.maxEntries = maxEntries
    }

    public var count: Int { timestamps.count }
    public var isEmpty: Bool { timestamps.isEmpty }
    /// Full one entry early: the last slot is reserved for the roll (Kafka's rule).
    public var isFull: Bool { count >= maxEntries - 1 }
    public var sizeInBytes: Int { count * Self.entrySize }

    /// The last entry, or `(-1, baseOffset)` when there is none.
    public var lastEntry: Entry {
        entry(count - 1) ?? Entry(timestamp: Self.noTimestamp, offset: baseOffset)
    }

    public func entry(_ n: Int) -> Entry? {
        guard n >= 0, n < count else { return nil }
        return Entry(timestamp: timestamps[n], offset: baseOffset + Int64(relativeOffsets[n]))
    }

    /// The last entry whose timestamp is at most `target`; `(-1, baseOffset)` when none is.
    public func lookup(_ target: Int64) -> Entry {
        var low = 0
        var high = count
        while low < high {
            let middle = (low + high) / 2
            if timestamps[middle] <= target { low = middle + 1 } else { high = middle }
        }
        return entry(low - 1) ?? Entry(timestamp: Self.noTimestamp, offset: baseOffset)
    }

    /// Adds `(timestamp, offset)` when the timestamp is larger than the last one and the
    /// offset does not go back; returns the 12 bytes for the file, or nil when nothing was
    /// added. `skipFullCheck` uses the reserved last slot (on roll and close).
    public mutating func maybeAppend(timestamp: Int64, offset: Int64, skipFullCheck: Bool = false)
        -> ByteBuffer?
    {
        guard add(timestamp: timestamp, offset: offset, skipFullCheck: skipFullCheck) else {
            return nil
        }
        return encoded(from: count - 1)
    }

    /// `maybeAppend` without the bytes: whether the entry was added.
    @discardableResult
    public mutating func add(timestamp: Int64, offset: Int64, skipFullCheck: Bool = false) -> Bool {
        guard skipFullCheck || !isFull, timestamp > lastEntry.timestamp,
            isEmpty || offset >= lastEntry.offset,
            case (let difference, false) = offset.subtractingReportingOverflow(baseOffset),
            let relative = Int32(exactly: difference), relative >= 0
        else { return false }
        timestamps.append(timestamp)
        relativeOffsets.append(relative)
        return true
    }

    /// Removes entries for `offset` and above.
    public mutating func truncate(to offset: Int64) {
        var keep = count
        while keep > 0, baseOffset + Int64(relativeOffsets[keep - 1]) >= offset { keep -= 1 }
        timestamps.removeSubrange(keep...)
        relativeOffsets.removeSubrange(keep...)
    }

    /// Keeps the first `n` entries.
    public mutating func truncate(toEntries n: Int) {
        let keep = max(0, min(n, count))
        timestamps.removeSubrange(keep...)
        relativeOffsets.removeSubrange(keep...)
    }

    /// The entries from the `first` on (all by default) as the file holds them.
    public func encoded(from first: Int = 0) -> ByteBuffer {
        let first = max(0, min(first, count))
        var bytes = ByteBufferAllocator().buffer(capacity: (count - first) * Self.entrySize)
        for n in first..<count {
            bytes.writeInteger(timestamps[n], endianness: .big)
            bytes.writeInteger(relativeOffsets[n], endianness: .big)
        }
        return bytes
    }

    /// Reads a time index file, or nil when it fails the sanity checks (a partial entry,
    /// timestamps or offsets going back): the caller rebuilds it from the log.
    public static func decode(_ bytes: ByteBuffer, baseOffset: Int64, maxEntries: Int) -> TimeIndex?
    {
        guard bytes.readableBytes % entrySize == 0 else { return nil }
        var index = TimeIndex(
            baseOffset: baseOffset, maxEntries: max(maxEntries, bytes.readableBytes / entrySize + 1)
        )
        var reader = bytes
        while let timestamp = reader.readInteger(endianness: .big, as: Int64.self),
            let relative = reader.readInteger(endianness: .big, as: Int32.self)
        {
            let (offset, overflow) = baseOffset.addingReportingOverflow(Int64(relative))
            guard !overflow, relative >= 0,
                index.add(timestamp: timestamp, offset: offset, skipFullCheck: true)
            else { return nil }
        }
        return index
    }
}
