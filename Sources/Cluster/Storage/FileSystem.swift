// Storage room: the disk as the log sees it. Every byte the storage engine keeps goes
// through this protocol, so tests and the simulator can swap in a disk that crashes.

import NIOCore

/// The file operations a partition log needs, and nothing else.
///
/// Kafka's storage sits on `FileChannel`; ours sits on this so the same `PartitionLog`
/// runs on real files (`PosixFileSystem`) and on `MemoryFileSystem`, whose crashes lose
/// unsynced bytes or tear the last write. Calls are synchronous: the caller owns the
/// thread (a node's event loop, or the simulator's one thread).
public protocol FileSystem {
    /// Opens an existing file for reading and appending.
    func open(_ path: String) throws(StorageError) -> OpenFile
    /// Creates an empty file (an existing one is truncated) for reading and appending.
    func create(_ path: String) throws(StorageError) -> OpenFile
    func close(_ file: OpenFile)
    /// Appends all readable bytes of `bytes` at the end of the file.
    func append(_ file: OpenFile, _ bytes: ByteBuffer) throws(StorageError)
    /// Appends the readable bytes of every part, in order, as one write where the system
    /// has one (`writev`): a log writes its stamped copy of each batch header between the
    /// untouched rest of the batches, so the batches are never copied.
    func append(_ file: OpenFile, gathering parts: [ByteBuffer]) throws(StorageError)
    /// Reads up to `count` bytes at `offset`; fewer only at the end of the file.
    func pread(_ file: OpenFile, at offset: Int64, count: Int) throws(StorageError) -> ByteBuffer
    func truncate(_ file: OpenFile, to size: Int64) throws(StorageError)
    /// Makes the file's bytes durable; until then a crash may lose them.
    func fsync(_ file: OpenFile) throws(StorageError)
    func size(_ file: OpenFile) throws(StorageError) -> Int64
    /// Atomically replaces `to` with `from`.
    func rename(_ from: String, to: String) throws(StorageError)
    /// Deletes a file; a missing file is not an error.
    func delete(_ path: String) throws(StorageError)
    /// The names (not paths) in a directory, sorted.
    func list(_ directory: String) throws(StorageError) -> [String]
    /// Creates a directory and any missing parents.
    func makeDirectory(_ path: String) throws(StorageError)
    /// Makes renames, creations and deletions inside `directory` durable.
    func fsyncDirectory(_ directory: String) throws(StorageError)
    func exists(_ path: String) -> Bool
}

extension FileSystem {
    /// The parts joined into one buffer and appended with one `append`.
    public func append(_ file: OpenFile, gathering parts: [ByteBuffer]) throws(StorageError) {
        if parts.count == 1 {
            try append(file, parts[0])
            return
        }
        var joined = ByteBufferAllocator().buffer(
            capacity: parts.reduce(0) { $0 + $1.readableBytes })
        for var part in parts { joined.writeBuffer(&part) }
        try append(file, joined)
    }

    /// Reads a whole small file, refusing one larger than `limit` bytes.
    public func readWholeFile(_ path: String, limit: Int) throws(StorageError) -> ByteBuffer {
        let file = try open(path)
        defer { close(file) }
        let size = try self.size(file)
        guard size <= Int64(limit) else {
            throw .malformedFile(
                path: path, reason: "\(size) bytes, more than the \(limit) allowed")
        }
        return try pread(file, at: 0, count: Int(size))
    }

    /// Replaces `path` with `bytes` so that a crash leaves the old or the new content,
    /// never a mix: write a `.tmp` sibling, fsync it, rename over, fsync the directory.
    /// Kafka's `CheckpointFile.write` does the same.
    public func writeAtomically(_ path: String, _ bytes: ByteBuffer) throws(StorageError) {
        let temporary = path + ".tmp"
        let file = try create(temporary)
        do {
            try append(file, bytes)
            try fsync(file)
        } catch {
            close(file)
            throw error
        }
        close(file)
        try rename(temporary, to: path)
        try fsyncDirectory(StoragePath.parent(of: path))
    }
}
