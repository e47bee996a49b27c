// Storage room: serving fetches: offset to segment (binary search), segment to file position
// (offset index), then a short scan to the batch holding the offset; whole batches out.

import NIOCore

extension PartitionLog {
    /// Reads whole batches from the batch holding `offset` on, from one segment.
    ///
    /// Kafka's rules: the batches returned fit in `maxBytes`, except that the first one is
    /// returned whole even when larger (when `minOneBatch`, so a consumer always progresses);
    /// no batch reaching `upTo` (the high watermark) or beyond is returned; an offset below
    /// `logStartOffset` or above `logEndOffset` is `OFFSET_OUT_OF_RANGE`. Like Kafka's
    /// `LocalLog.read`, one call reads from one segment. The CRC of every batch returned is
    /// checked again (the append checked it first), so bit rot on disk is an error, not data.
    public func read(
        from offset: Int64, maxBytes: Int, upTo: Int64, minOneBatch: Bool = true
    ) throws(StorageError) -> FetchData {
        try checkOpen()
        guard offset >= logStartOffset, offset <= logEndOffset else {
            throw .offsetOutOfRange(
                offset: offset, logStartOffset: logStartOffset, logEndOffset: logEndOffset)
        }
        let limit = min(upTo, logEndOffset)
        var at = segmentIndex(containing: offset)
        while offset < limit, at < segmentList.count {
            if let data = try read(
                segmentAt: at, from: offset, maxBytes: maxBytes, upTo: limit,
                minOneBatch: minOneBatch)
            {
                return data
            }
            at += 1
        }
        return emptyFetch(at: offset, segment: segmentList[min(at, segmentList.count - 1)])
    }

    private func emptyFetch(at offset: Int64, segment: LogSegment) -> FetchData {
        FetchData(
            records: ByteBuffer(), fetchOffset: offset, nextFetchOffset: offset, batchCount: 0,
            segmentBaseOffset: segment.baseOffset, segmentFileName: segment.logFileName,
            position: 0,
            firstBatchExceedsMaxBytes: false, logStartOffset: logStartOffset,
            logEndOffset: logEndOffset)
    }

    /// The read inside one segment; nil when the segment holds nothing at or after `offset`.
    private func read(
        segmentAt at: Int, from offset: Int64, maxBytes: Int, upTo limit: Int64, minOneBatch: Bool
    ) throws(StorageError) -> FetchData? {
        let segment = segmentList[at]
        guard offset < segment.nextOffset else { return nil }
        let (file, index) = try reader(segmentAt: at)
        var scanner = LogScanner(fs: fs, file: file, fileSize: segment.size)
        let hint = index.lookup(offset).position
        let found: Int?
        do throws(StorageError) {
            found = try firstBatch(&scanner, from: hint, offset: offset, segment: segment)
        } catch {
            guard hint > 0 else { throw error }
            found = nil
        }
        // An index entry that points past the batch holding the offset (a damaged index that
        // still looked sane) is caught here: the walk starts again from the file's start.
        var start = found
        if start == nil, hint > 0 {
            start = try firstBatch(&scanner, from: 0, offset: offset, segment: segment)
        }
        guard let start else { return nil }
        // One pread for the whole answer: the header walk below and the bytes returned then
        // come from the scanner's window, instead of a pread per 64 KiB of headers and a
        // second copy of the same bytes.
        if let first = try checkedHeader(&scanner, at: start, segment: segment) {
            let span = minOneBatch ? max(maxBytes, first.totalSize) : maxBytes
            _ = try scanner.bytes(at: start, count: min(span, segment.size - start))
        }
        var end = start
        var count = 0
        var next = offset
        var exceeds = false
        while let header = try checkedHeader(&scanner, at: end, segment: segment) {
            guard let last = header.checkedLastOffset, last < limit else { break }
            let size = header.totalSize
            if end + size - start > maxBytes {
                guard count == 0, minOneBatch else { break }
                exceeds = true
            }
            end += size
            count += 1
            next = last + 1
            if end - start >= maxBytes { break }
        }
        var records = ByteBuffer()
        if end > start {
            guard let bytes = try scanner.bytes(at: start, count: end - start) else {
                throw .malformedFile(
                    path: path(segment.logFileName), reason: "shorter than its batches")
            }
            records = bytes
            if case .failure(let error) = RecordBatchView.batches(in: records, batchBytesMax: .max)
            {
                throw .malformedFile(
                    path: path(segment.logFileName),
                    reason: "batch near position \(start): \(error)")
            }
        }
        return FetchData(
            records: records, fetchOffset: offset, nextFetchOffset: count > 0 ? next : offset,
            batchCount: count,
            segmentBaseOffset: segment.baseOffset, segmentFileName: segment.logFileName,
            position: start,
            firstBatchExceedsMaxBytes: exceeds, logStartOffset: logStartOffset,
            logEndOffset: logEndOffset)
    }

    /// The position of the batch holding `offset`, walking from `position`: nil when the
    /// segment ends first, or when a walk from an index hint reaches a batch that starts after
    /// `offset` (the hint was wrong; from position 0 such a batch is simply the next one).
    private func firstBatch(
        _ scanner: inout LogScanner, from position: Int, offset: Int64, segment: LogSegment
    ) throws(StorageError) -> Int? {
        var at = position
        while let header = try checkedHeader(&scanner, at: at, segment: segment) {
            guard let last = header.checkedLastOffset else {
                throw .malformedFile(
                    path: path(segment.logFileName), reason: "at position \(at): offsets overflow")
            }
            if last >= offset { return header.baseOffset <= offset || position == 0 ? at : nil }
            at += header.totalSize
        }
        return nil
    }

    /// The header at `position`, nil at the end of the segment, an error when the file no
    /// longer holds a plausible batch there (it was validated before, so this is damage).
    private func checkedHeader(
        _ scanner: inout LogScanner, at position: Int, segment: LogSegment
    ) throws(StorageError) -> RecordBatchHeader? {
        switch try scanner.header(at: position) {
        case nil: return nil
        case .success(let header)?: return header
        case .failure(let problem)?:
            throw .malformedFile(
                path: path(segment.logFileName), reason: "at position \(position): \(problem)")
        }
    }

    /// The open `.log` and offset index of the segment at `at`: the active segment's own, or
    /// a closed segment's from the reader cache (opened and its index loaded on a miss).
    func reader(segmentAt at: Int) throws(StorageError) -> (OpenFile, OffsetIndex) {
        let segment = segmentList[at]
        if at == segmentList.count - 1 { return (active.logFile, active.offsetIndex) }
        let reader = try readers.reader(for: segment.baseOffset) { () throws(StorageError) in
            try loadReader(segment)
        }
        return (reader.logFile, reader.offsetIndex)
    }

    /// Opens a closed segment for reading. Its `.index` is read back; when it is missing or
    /// fails the sanity checks it is rebuilt from the batch headers and rewritten.
    private func loadReader(_ segment: LogSegment) throws(StorageError) -> SegmentReaderCache.Reader
    {
        let file = try fs.open(path(segment.logFileName))
        let maxEntries = config.offsetIndexEntriesMax
        let indexPath = path(segment.indexFileName)
        if let bytes = try? fs.readWholeFile(
            indexPath, limit: max(config.segmentIndexBytes, OffsetIndex.entrySize)),
            let index = OffsetIndex.decode(
                bytes, baseOffset: segment.baseOffset, maxEntries: maxEntries, logSize: segment.size
            )
        {
            return .init(baseOffset: segment.baseOffset, logFile: file, offsetIndex: index)
        }
        do {
            let index = try rebuildIndex(segment, file: file)
            try fs.writeAtomically(indexPath, index.encoded())
            return .init(baseOffset: segment.baseOffset, logFile: file, offsetIndex: index)
        } catch {
            fs.close(file)
            throw error
        }
    }

    /// The offset index a segment's batch headers imply, by Kafka's spacing rule.
    private func rebuildIndex(_ segment: LogSegment, file: OpenFile) throws(StorageError)
        -> OffsetIndex
    {
        var index = OffsetIndex(
            baseOffset: segment.baseOffset, maxEntries: config.offsetIndexEntriesMax)
        var scanner = LogScanner(fs: fs, file: file, fileSize: segment.size)
        var position = 0
        var lastIndexed = 0
        while let header = try checkedHeader(&scanner, at: position, segment: segment) {
            if position - lastIndexed > config.indexIntervalBytes,
                let last = header.checkedLastOffset
            {
                index.add(offset: last, position: position)
                lastIndexed = position
            }
            position += header.totalSize
        }
        return index
    }
}
