// Storage room: a lazy walk over the batch headers of one segment file, for `log dump`
// (Kafka's `kafka-dump-log.sh`). Holds its own read handle and closes it when done.

/// The batches of one segment, as `(position, header)`, read lazily.
///
/// The walk stops at the end of the file or at the first bytes that are not a plausible
/// batch (or, with `verifyChecksums`, a batch whose CRC fails); `stopReason` then says why,
/// so a dump can print where a damaged tail begins. It reads through its own descriptor
/// with `pread`, so copies walk independently; the descriptor closes when the last copy is
/// dropped (after a `for` loop, at once).
public struct SegmentBatches: Sequence, IteratorProtocol {
    /// One batch: where it starts in the file and its header.
    public struct Entry: Equatable, Sendable {
        public var position: Int
        public var header: RecordBatchHeader
    }

    /// Why the walk ended.
    public enum StopReason: Equatable, Sendable {
        case endOfFile
        case invalid(position: Int, reason: String)
        case ioError(String)
    }

    /// Owns the descriptor shared by copies of the walk.
    private final class Handle {
        let fs: any FileSystem
        let file: OpenFile
        init(fs: any FileSystem, file: OpenFile) {
            self.fs = fs
            self.file = file
        }
        deinit { fs.close(file) }
    }

    private let handle: Handle
    private var scanner: LogScanner
    private var position = 0
    private let verifyChecksums: Bool
    /// Nil while the walk goes on.
    public private(set) var stopReason: StopReason?

    init(fs: any FileSystem, file: OpenFile, fileSize: Int, verifyChecksums: Bool) {
        handle = Handle(fs: fs, file: file)
        scanner = LogScanner(fs: fs, file: file, fileSize: fileSize)
        self.verifyChecksums = verifyChecksums
    }

    public mutating func next() -> Entry? {
        guard stopReason == nil else { return nil }
        do {
            switch try scanner.header(at: position) {
            case nil:
                return stop(.endOfFile)
            case .failure(let problem)?:
                return stop(.invalid(position: position, reason: problem.description))
            case .success(let header)?:
                if verifyChecksums, let problem = try scanner.validate(at: position, header: header)
                {
                    return stop(.invalid(position: position, reason: problem.description))
                }
                let entry = Entry(position: position, header: header)
                position += header.totalSize
                return entry
            }
        } catch {
            return stop(.ioError(error.description))
        }
    }

    private mutating func stop(_ reason: StopReason) -> Entry? {
        stopReason = reason
        return nil
    }
}

extension PartitionLog {
    /// The batches of the segment with `baseOffset`, for `log dump`. The walk has its own
    /// read handle; the file's size is taken now, so bytes appended later are not visited.
    public func batches(inSegment baseOffset: Int64, verifyChecksums: Bool = false)
        throws(StorageError) -> SegmentBatches
    {
        try checkOpen()
        guard let segment = segmentList.first(where: { $0.baseOffset == baseOffset }) else {
            throw .notFound(
                path: path(
                    LogSegment.fileName(baseOffset: baseOffset, suffix: LogSegment.logSuffix)))
        }
        let file = try fs.open(path(segment.logFileName))
        return SegmentBatches(
            fs: fs, file: file, fileSize: segment.size, verifyChecksums: verifyChecksums)
    }
}
