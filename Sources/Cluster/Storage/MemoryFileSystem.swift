// Storage room: a disk in memory for tests and the simulator. It remembers which bytes
// were fsynced, so a simulated crash can lose the rest or tear the last write.

import NIOCore

/// An in-memory `FileSystem` that can crash.
///
/// Files are inodes with two byte arrays: what was written and what was last made durable
/// by `fsync`. `crash(_:)` closes every handle and keeps, per `CrashMode`, everything
/// written (a process kill: the kernel still had the page cache), only the durable bytes
/// (power loss), or everything but a torn tail of the last write. Directory entries
/// (create, rename, delete) are durable at once, a simplification of real file systems that
/// the log does not rely on: it fsyncs files before renaming them into place.
///
/// A class because several logs of one node share a disk; used from one thread at a time.
public final class MemoryFileSystem: FileSystem {
    /// What survives `crash(_:)`.
    public enum CrashMode: Equatable, Sendable {
        /// The process died; the kernel kept every written byte.
        case keepWrittenBytes
        /// Power loss: every file falls back to its last fsynced content.
        case loseUnsyncedBytes
        /// Power loss in the middle of the last append: everything else survives, and the
        /// last append keeps only its first `keepingBytes` bytes.
        case tearLastWrite(keepingBytes: Int)
    }

    private struct Inode {
        var bytes: [UInt8] = []
        var durable: [UInt8] = []
    }

    private var inodes: [Int: Inode] = [:]
    private var names: [String: Int] = [:]
    private var directories: Set<String> = ["/", "."]
    private var handles: [Int32: Int] = [:]
    private var nextInode = 1
    private var nextDescriptor: Int32 = 3
    private var lastWrite: (inode: Int, offset: Int, count: Int)?

    /// When set, every operation that writes (append, create, truncate, fsync, rename,
    /// delete) fails with EIO, as a failed disk does.
    public var failWrites = false
    /// When set, that many more writing operations (those `failWrites` covers, and directory
    /// fsyncs) succeed and every later one fails with EIO: a process killed at that point of
    /// a multi-step operation, once `crash(_:)` follows. Cleared by `crash(_:)`.
    public var writesBeforeFailure: Int?
    /// When set, the disk holds this many bytes over all files: an append that does not fit
    /// writes what fits and then fails with ENOSPC, as a full disk's short `write` followed by
    /// a failing one does (`PosixFileSystem.append` loops until that error). Raising it or
    /// setting nil is space coming back.
    public var capacityBytes: Int?
    /// How many `fsync` calls succeeded, so tests can check the log syncs when it should.
    public private(set) var fsyncCount = 0

    public init() {}

    // MARK: - Inspection and fault injection for tests

    /// Handles open right now; tests check the log's bound on open files with it.
    public var openFileCount: Int { handles.count }

    /// The bytes all files hold now (what `capacityBytes` is checked against).
    public var usedBytes: Int { inodes.values.reduce(0) { $0 + $1.bytes.count } }

    /// The bytes a reader would see now, or nil when there is no such file.
    public func contents(of path: String) -> [UInt8]? {
        names[normalize(path)].flatMap { inodes[$0]?.bytes }
    }

    /// Replaces a file's bytes (written and durable), for corruption tests.
    public func setContents(of path: String, to bytes: [UInt8]) {
        let key = normalize(path)
        let inode = names[key] ?? allocateInode(named: key)
        inodes[inode] = Inode(bytes: bytes, durable: bytes)
    }

    /// A second disk in the same state: the same files, directories and open handles (same
    /// descriptors), so a copy of a value that holds those handles can go on using them. The
    /// fuzzer builds a broker's state once and gives each input a copy of it on a copy of
    /// its disk, so that no input sees another's writes.
    public func copy() -> MemoryFileSystem {
        let disk = MemoryFileSystem()
        disk.inodes = inodes
        disk.names = names
        disk.directories = directories
        disk.handles = handles
        disk.nextInode = nextInode
        disk.nextDescriptor = nextDescriptor
        return disk
    }

    /// Closes every handle and decides, per `mode`, which written bytes survive.
    public func crash(_ mode: CrashMode) {
        handles.removeAll()
        let named = Set(names.values)
        inodes = inodes.filter { named.contains($0.key) }
        switch mode {
        case .keepWrittenBytes:
            break
        case .loseUnsyncedBytes:
            inodes = inodes.mapValues { Inode(bytes: $0.durable, durable: $0.durable) }
        case .tearLastWrite(let keep):
            if let write = lastWrite, var inode = inodes[write.inode] {
                let end = write.offset + min(max(keep, 0), write.count)
                if end < inode.bytes.count { inode.bytes.removeSubrange(end...) }
                inodes[write.inode] = inode
            }
        }
        inodes = inodes.mapValues { Inode(bytes: $0.bytes, durable: $0.bytes) }
        lastWrite = nil
        writesBeforeFailure = nil
    }

    // MARK: - FileSystem

    public func open(_ path: String) throws(StorageError) -> OpenFile {
        let key = normalize(path)
        guard let inode = names[key] else { throw .notFound(path: path) }
        return handle(for: inode, path: key)
    }

    public func create(_ path: String) throws(StorageError) -> OpenFile {
        try checkWritable("create", path)
        let key = normalize(path)
        guard directories.contains(StoragePath.parent(of: key)) else {
            throw .notFound(path: StoragePath.parent(of: key))
        }
        if let inode = names[key] {
            inodes[inode]?.bytes = []
            return handle(for: inode, path: key)
        }
        return handle(for: allocateInode(named: key), path: key)
    }

    public func close(_ file: OpenFile) {
        handles[file.descriptor] = nil
        collectUnreachableInodes()
    }

    public func append(_ file: OpenFile, _ bytes: ByteBuffer) throws(StorageError) {
        try checkWritable("write", file.path)
        let id = try inode(of: file)
        let offset = inodes[id]?.bytes.count ?? 0
        let fits = min(bytes.readableBytes, freeBytes)
        bytes.withUnsafeReadableBytes { inodes[id]?.bytes.append(contentsOf: $0.prefix(fits)) }
        lastWrite = (id, offset, fits)
        guard fits == bytes.readableBytes else { throw .io(operation: "write", path: file.path, errno: 28) }  // ENOSPC
    }

    public func pread(_ file: OpenFile, at offset: Int64, count: Int) throws(StorageError)
        -> ByteBuffer
    {
        let id = try inode(of: file)
        let bytes = inodes[id]?.bytes ?? []
        guard offset >= 0, count > 0, let start = Int(exactly: offset), start < bytes.count else {
            return ByteBuffer()
        }
        let end = count > bytes.count - start ? bytes.count : start + count
        var buffer = ByteBufferAllocator().buffer(capacity: end - start)
        buffer.writeBytes(bytes[start..<end])
        return buffer
    }

    public func truncate(_ file: OpenFile, to size: Int64) throws(StorageError) {
        try checkWritable("ftruncate", file.path)
        let id = try inode(of: file)
        guard let newSize = Int(exactly: size), newSize >= 0 else {
            throw .io(operation: "ftruncate", path: file.path, errno: 22)
        }
        var inode = inodes[id] ?? Inode()
        if newSize < inode.bytes.count {
            inode.bytes.removeSubrange(newSize...)
        } else {
            // Growing a file takes space (Kafka preallocates index files this way).
            guard newSize - inode.bytes.count <= freeBytes else {
                throw .io(operation: "ftruncate", path: file.path, errno: 28)  // ENOSPC
            }
            inode.bytes.append(
                contentsOf: [UInt8](repeating: 0, count: newSize - inode.bytes.count))
        }
        inodes[id] = inode
        if lastWrite?.inode == id { lastWrite = nil }
    }

    public func fsync(_ file: OpenFile) throws(StorageError) {
        try checkWritable("fsync", file.path)
        let id = try inode(of: file)
        if var inode = inodes[id] {
            inode.durable = inode.bytes
            inodes[id] = inode
        }
        if lastWrite?.inode == id { lastWrite = nil }
        fsyncCount += 1
    }

    public func size(_ file: OpenFile) throws(StorageError) -> Int64 {
        Int64(inodes[try inode(of: file)]?.bytes.count ?? 0)
    }

    public func rename(_ from: String, to: String) throws(StorageError) {
        try checkWritable("rename", from)
        let source = normalize(from)
        guard let inode = names[source] else { throw .notFound(path: from) }
        names[source] = nil
        names[normalize(to)] = inode
        collectUnreachableInodes()
    }

    public func delete(_ path: String) throws(StorageError) {
        try checkWritable("unlink", path)
        names[normalize(path)] = nil
        collectUnreachableInodes()
    }

    public func list(_ directory: String) throws(StorageError) -> [String] {
        let key = normalize(directory)
        guard directories.contains(key) else { throw .notFound(path: directory) }
        let files = names.keys.filter { StoragePath.parent(of: $0) == key }
        let folders = directories.filter { $0 != key && StoragePath.parent(of: $0) == key }
        return (files + folders).map { StoragePath.name(of: $0) }.sorted()
    }

    public func makeDirectory(_ path: String) throws(StorageError) {
        var key = normalize(path)
        while !directories.contains(key) {
            directories.insert(key)
            key = StoragePath.parent(of: key)
        }
    }

    public func fsyncDirectory(_ directory: String) throws(StorageError) {
        try checkWritable("fsync", directory)
        guard directories.contains(normalize(directory)) else { throw .notFound(path: directory) }
    }

    public func exists(_ path: String) -> Bool {
        let key = normalize(path)
        return names[key] != nil || directories.contains(key)
    }

    // MARK: - Helpers

    private var freeBytes: Int { capacityBytes.map { max(0, $0 - usedBytes) } ?? .max }

    private func normalize(_ path: String) -> String {
        var key = path
        while key.count > 1 && key.hasSuffix("/") { key.removeLast() }
        return key
    }

    private func allocateInode(named key: String) -> Int {
        let id = nextInode
        nextInode += 1
        inodes[id] = Inode()
        names[key] = id
        return id
    }

    private func handle(for inode: Int, path: String) -> OpenFile {
        let descriptor = nextDescriptor
        nextDescriptor &+= 1
        handles[descriptor] = inode
        return OpenFile(descriptor: descriptor, path: path)
    }

    private func inode(of file: OpenFile) throws(StorageError) -> Int {
        guard let id = handles[file.descriptor] else {
            throw .io(operation: "use", path: file.path, errno: 9)  // EBADF
        }
        return id
    }

    private func checkWritable(_ operation: String, _ path: String) throws(StorageError) {
        if failWrites { throw .io(operation: operation, path: path, errno: 5) }  // EIO
        if let left = writesBeforeFailure {
            guard left > 0 else { throw .io(operation: operation, path: path, errno: 5) }
            writesBeforeFailure = left - 1
        }
    }

    /// Drops inodes that no name and no handle reaches, as the kernel frees them.
    private func collectUnreachableInodes() {
        let reachable = Set(names.values).union(handles.values)
        inodes = inodes.filter { reachable.contains($0.key) }
    }
}
