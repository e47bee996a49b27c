// Raft room: `__cluster_metadata-0` on disk, in Kafka's layout: one segment file of RecordBatch v2
// batches named for its base offset. The Raft machine decides; this store only mirrors its log
// changes to the file and reads the file back, cutting a torn tail, after a restart.

import NIOCore

/// The metadata log's file, kept in step with a `RaftLog` through `RaftLogChange`s.
///
/// Kafka keeps the metadata partition in an ordinary `UnifiedLog` with snapshots; ours is one
/// segment without an index or snapshots (the metadata log of a classroom cluster stays small),
/// byte-compatible with `kafka-dump-log.sh --cluster-metadata-decoder`.
public struct MetadataLogStore {
    public static let directoryName = "\(MetadataTopic.name)-\(MetadataTopic.partition)"
    public static let segmentName = "00000000000000000000.log"
    /// Refuse to load a metadata log larger than this (a classroom log is kilobytes).
    public static let bytesMax = 64 << 20

    let fs: any FileSystem
    public let path: String
    private var file: OpenFile?
    /// Where each batch starts in the file, by base offset, for truncation.
    private var positions: [(baseOffset: Int64, position: Int64)] = []
    private var size: Int64 = 0

    /// Opens (creating if needed) the log under `nodeDirectory` and returns it with its
    /// batches. Bytes after the last whole, valid batch (a write torn by a crash) are cut off;
    /// `cutBytes` says how many.
    public static func open(fs: any FileSystem, nodeDirectory: String) throws(StorageError)
        -> (store: MetadataLogStore, log: RaftLog, cutBytes: Int64)
    {
        let directory = nodeDirectory + "/" + directoryName
        try fs.makeDirectory(directory)
        var store = MetadataLogStore(fs: fs, path: directory + "/" + segmentName)
        let file = fs.exists(store.path) ? try fs.open(store.path) : try fs.create(store.path)
        store.file = file
        let total = try fs.size(file)
        guard total <= Int64(bytesMax) else {
            throw .malformedFile(path: store.path, reason: "\(total) bytes, more than the \(bytesMax) allowed")
        }
        let bytes = try fs.pread(file, at: 0, count: Int(total))
        var batches: [MetadataBatch] = []
        var position = 0
        var expected: Int64 = 0
        while let length = bytes.getInteger(at: bytes.readerIndex + position + 8, endianness: .big, as: Int32.self),
            length > 0, let slice = bytes.getSlice(at: bytes.readerIndex + position, length: 12 + Int(length)),
            let decoded = try? MetadataBatch.decode(slice), decoded.count == 1, let batch = decoded.first,
            batch.baseOffset == expected, batch.leaderEpoch >= (batches.last?.leaderEpoch ?? 0)
        {
            store.positions.append((batch.baseOffset, Int64(position)))
            batches.append(batch)
            expected = batch.lastOffset + 1
            position += 12 + Int(length)
        }
        store.size = Int64(position)
        let cut = total - store.size
        if cut > 0 {
            try fs.truncate(file, to: store.size)
            try fs.fsync(file)
        }
        return (store, RaftLog(batches: batches), cut)
    }

    /// Mirrors the machine's log changes; `timestamp` stamps new batches (data, not a clock read here).
    public mutating func apply(_ changes: [RaftLogChange], timestamp: Int64) throws(StorageError) {
        guard let file else { throw .logClosed(directory: path) }
        for change in changes {
            switch change {
            case .append(let batch):
                let bytes: ByteBuffer
                do {
                    bytes = try batch.encode(timestamp: timestamp)
                } catch {
                    throw .malformedFile(path: path, reason: "cannot encode batch at \(batch.baseOffset): \(error)")
                }
                try fs.append(file, bytes)
                positions.append((batch.baseOffset, size))
                size += Int64(bytes.readableBytes)
            case .truncate(let offset):
                guard let index = positions.firstIndex(where: { $0.baseOffset >= offset }) else { continue }
                size = positions[index].position
                positions.removeSubrange(index...)
                try fs.truncate(file, to: size)
            }
        }
    }

    /// Makes every change so far durable.
    public func sync() throws(StorageError) {
        guard let file else { throw .logClosed(directory: path) }
        try fs.fsync(file)
    }

    public mutating func close() {
        if let file { fs.close(file) }
        file = nil
    }
}
