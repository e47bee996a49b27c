// Storage room: walks the batches of a segment's `.log` file through a read-ahead window,
// for recovery, fetch lookups and `log dump`. Checks every length before trusting it.

import NIOCore

/// A forward reader over one `.log` file that hands out batch headers and bytes.
///
/// Reads `Limits.logScanChunkBytes` at a time so walking many small batches costs few
/// `pread`s. Everything read from the file is outside input: a header is only returned when
/// its length is plausible and fits in the file, and CRCs are checked on request. The same
/// walk as Kafka's `FileLogInputStream`.
struct LogScanner {
    /// Why a walk stopped before the end of the file.
    enum Problem: Error, Equatable, Sendable, CustomStringConvertible {
        case partialHeader(have: Int)
        case badLength(Int32)
        case beyondEndOfFile(need: Int, have: Int)
        case badMagic(Int8)
        case invalid(RecordBatchError)
        case unexpectedOffset(found: Int64, expected: Int64)
        case offsetOverflow(lastOffset: Int64?)

        var description: String {
            switch self {
            case .partialHeader(let have): return "only \(have) bytes of a 61-byte batch header"
            case .badLength(let length): return "batch length \(length) is impossible"
            case .beyondEndOfFile(let need, let have):
                return "the batch needs \(need) bytes but the file has \(have) left"
            case .badMagic(let magic): return "magic \(magic) is not 2"
            case .invalid(let error): return error.description
            case .unexpectedOffset(let found, let expected):
                return "base offset \(found) where \(expected) was expected"
            case .offsetOverflow(let last):
                let shown = last.map(String.init) ?? "past Int64.max"
                return "last offset \(shown) does not fit the segment"
            }
        }
    }

    let fs: any FileSystem
    let file: OpenFile
    let fileSize: Int
    private var window = ByteBuffer()
    private var windowStart = 0

    init(fs: any FileSystem, file: OpenFile, fileSize: Int) {
        self.fs = fs
        self.file = file
        self.fileSize = fileSize
    }

    /// `count` bytes at `position`, or nil when the file ends first.
    mutating func bytes(at position: Int, count: Int) throws(StorageError) -> ByteBuffer? {
        guard position >= 0, count >= 0, count <= fileSize - position else { return nil }
        let windowEnd = windowStart + window.readableBytes
        if position >= windowStart, position + count <= windowEnd {
            return window.getSlice(at: window.readerIndex + position - windowStart, length: count)
        }
        let want = min(max(count, Limits.logScanChunkBytes), fileSize - position)
        window = try fs.pread(file, at: Int64(position), count: want)
        windowStart = position
        guard window.readableBytes >= count else { return nil }
        return window.getSlice(at: window.readerIndex, length: count)
    }

    /// The header of the batch at `position` once its length and magic are plausible and the
    /// whole batch lies inside the file; otherwise why not. Nil at the exact end of the file.
    mutating func header(at position: Int) throws(StorageError) -> Result<
        RecordBatchHeader, Problem
    >? {
        let left = fileSize - position
        guard left > 0 else { return nil }
        guard left >= RecordBatchHeader.size,
            let bytes = try bytes(at: position, count: RecordBatchHeader.size),
            let header = RecordBatchHeader(bytes, at: bytes.readerIndex)
        else { return .failure(.partialHeader(have: left)) }
        guard header.batchLength >= Int32(RecordBatchHeader.size - RecordBatchHeader.logOverhead)
        else {
            return .failure(.badLength(header.batchLength))
        }
        guard header.magic == 2 else { return .failure(.badMagic(header.magic)) }
        guard header.totalSize <= left else {
            return .failure(.beyondEndOfFile(need: header.totalSize, have: left))
        }
        return .success(header)
    }

    /// Checks the CRC and record count of the batch at `position` whose header was read.
    /// Batches up to `Limits.recoveryBatchReadBytesMax` are read whole and checked with
    /// `RecordBatchView.validate`; larger ones are checksummed chunk by chunk.
    mutating func validate(at position: Int, header: RecordBatchHeader) throws(StorageError)
        -> Problem?
    {
        let total = header.totalSize
        if total <= Limits.recoveryBatchReadBytesMax {
            guard let bytes = try bytes(at: position, count: total) else {
                return .beyondEndOfFile(need: total, have: fileSize - position)
            }
            switch RecordBatchView.validate(bytes, at: bytes.readerIndex, batchBytesMax: .max) {
            case .success: return nil
            case .failure(let error): return .invalid(error)
            }
        }
        var crc: UInt32 = 0
        var done = RecordBatchHeader.attributesAt
        while done < total {
            let count = min(Limits.logScanChunkBytes, total - done)
            guard let chunk = try bytes(at: position + done, count: count) else {
                return .beyondEndOfFile(need: total, have: fileSize - position)
            }
            crc = chunk.withUnsafeReadableBytes { CRC32C.checksum($0, continuing: crc) }
            done += count
        }
        guard crc == header.crc else {
            return .invalid(.crcMismatch(stored: header.crc, computed: crc))
        }
        guard header.recordsCount >= 0, header.lastOffsetDelta >= 0,
            header.compression != .none
                || Int64(header.recordsCount) == Int64(header.lastOffsetDelta) + 1
        else {
            return .invalid(
                .recordCountMismatch(
                    count: header.recordsCount, lastOffsetDelta: header.lastOffsetDelta))
        }
        return nil
    }

    /// How many batches (whole or torn) the bytes from `position` to the end look like:
    /// what recovery reports as cut. Follows lengths while they are plausible; at least one
    /// when any byte is left.
    mutating func countBatches(from position: Int) throws(StorageError) -> Int {
        var count = 0
        var at = position
        while at < fileSize {
            count += 1
            guard case .success(let header)? = try header(at: at) else { break }
            at += header.totalSize
        }
        return count
    }
}

extension RecordBatchHeader {
    /// `baseOffset + lastOffsetDelta` when it neither overflows nor goes backwards; the
    /// header came from a file, so the sum is checked.
    var checkedLastOffset: Int64? {
        guard lastOffsetDelta >= 0 else { return nil }
        let (last, overflow) = baseOffset.addingReportingOverflow(Int64(lastOffsetDelta))
        return overflow ? nil : last
    }
}
