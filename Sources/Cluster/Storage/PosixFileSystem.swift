// Storage room, edge: the FileSystem protocol over POSIX calls (open, pwrite/write, pread,
// ftruncate, fsync, rename). The only storage file that imports Glibc.

import NIOCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Real files through POSIX system calls, without Foundation.
///
/// Files are opened `O_RDWR | O_APPEND`, so `append` is a plain `write` loop at the end
/// and `pread` reads anywhere. Interrupted calls (`EINTR`) are retried; short writes loop.
/// This is what Kafka's `FileRecords` does over a `FileChannel`, minus the mmap'd indexes.
public struct PosixFileSystem: FileSystem, Sendable {
    public init() {}

    public func open(_ path: String) throws(StorageError) -> OpenFile {
        let fd = retrying { systemOpen(path, O_RDWR | O_APPEND | O_CLOEXEC, 0) }
        guard fd >= 0 else {
            if errno == ENOENT { throw .notFound(path: path) }
            throw .io(operation: "open", path: path, errno: errno)
        }
        return OpenFile(descriptor: fd, path: path)
    }

    public func create(_ path: String) throws(StorageError) -> OpenFile {
        let flags = O_RDWR | O_APPEND | O_CREAT | O_TRUNC | O_CLOEXEC
        let fd = retrying { systemOpen(path, flags, 0o644) }
        guard fd >= 0 else { throw .io(operation: "create", path: path, errno: errno) }
        return OpenFile(descriptor: fd, path: path)
    }

    public func close(_ file: OpenFile) {
        _ = systemClose(file.descriptor)
    }

    public func append(_ file: OpenFile, _ bytes: ByteBuffer) throws(StorageError) {
        let failure: Int32 = bytes.withUnsafeReadableBytes { raw in
            guard let base = raw.baseAddress else { return 0 }
            var done = 0
            while done < raw.count {
                let n = systemWrite(file.descriptor, base + done, raw.count - done)
                if n < 0 {
                    if errno == EINTR { continue }
                    return errno
                }
                done += n
            }
            return 0
        }
        guard failure == 0 else { throw .io(operation: "write", path: file.path, errno: failure) }
    }

    /// One `writev` for all parts (more when it writes short). The parts' pointers are taken
    /// one inside another, so keep the list short (`Limits.gatheredAppendBatchesMax`).
    public func append(_ file: OpenFile, gathering parts: [ByteBuffer]) throws(StorageError) {
        var vectors: [iovec] = []
        vectors.reserveCapacity(parts.count)
        let failure = writeGathered(file.descriptor, parts[...], &vectors)
        guard failure == 0 else { throw .io(operation: "writev", path: file.path, errno: failure) }
    }

    /// Collects each part's bytes into `vectors`, then writes them all; returns 0 or errno.
    private func writeGathered(
        _ fd: Int32, _ parts: ArraySlice<ByteBuffer>, _ vectors: inout [iovec]
    ) -> Int32 {
        guard let first = parts.first else { return writeAll(fd, &vectors) }
        return first.withUnsafeReadableBytes { raw in
            if raw.count > 0, let base = raw.baseAddress {
                let start = UnsafeMutableRawPointer(mutating: base)
                vectors.append(iovec(iov_base: start, iov_len: raw.count))
            }
            return writeGathered(fd, parts.dropFirst(), &vectors)
        }
    }

    /// `writev` until every vector is written, resuming after a short write.
    private func writeAll(_ fd: Int32, _ vectors: inout [iovec]) -> Int32 {
        var first = 0
        while first < vectors.count {
            let count = Int32(min(vectors.count - first, iovecsPerCallMax))
            let written = vectors.withUnsafeBufferPointer { all in
                systemWritev(fd, all.baseAddress.map { $0 + first }, count)
            }
            if written < 0 {
                if errno == EINTR { continue }
                return errno
            }
            var left = written
            while first < vectors.count, left >= vectors[first].iov_len {
                left -= vectors[first].iov_len
                first += 1
            }
            if left > 0 {
                vectors[first].iov_base = vectors[first].iov_base.map { $0 + left }
                vectors[first].iov_len -= left
            }
        }
        return 0
    }

    public func pread(_ file: OpenFile, at offset: Int64, count: Int) throws(StorageError)
        -> ByteBuffer
    {
        var buffer = ByteBufferAllocator().buffer(capacity: max(count, 0))
        guard count > 0 else { return buffer }
        var failure: Int32 = 0
        buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: count) { raw in
            guard let base = raw.baseAddress else { return 0 }
            var done = 0
            while done < count {
                let n = systemPread(
                    file.descriptor, base + done, count - done, off_t(offset) + off_t(done))
                if n < 0 {
                    if errno == EINTR { continue }
                    failure = errno
                    return done
                }
                if n == 0 { break }  // end of file
                done += n
            }
            return done
        }
        guard failure == 0 else { throw .io(operation: "pread", path: file.path, errno: failure) }
        return buffer
    }

    public func truncate(_ file: OpenFile, to size: Int64) throws(StorageError) {
        guard retrying({ ftruncate(file.descriptor, off_t(size)) }) == 0 else {
            throw .io(operation: "ftruncate", path: file.path, errno: errno)
        }
    }

    public func fsync(_ file: OpenFile) throws(StorageError) {
        guard retrying({ systemFsync(file.descriptor) }) == 0 else {
            throw .io(operation: "fsync", path: file.path, errno: errno)
        }
    }

    public func size(_ file: OpenFile) throws(StorageError) -> Int64 {
        var info = stat()
        guard fstat(file.descriptor, &info) == 0 else {
            throw .io(operation: "fstat", path: file.path, errno: errno)
        }
        return Int64(info.st_size)
    }

    public func rename(_ from: String, to: String) throws(StorageError) {
        guard systemRename(from, to) == 0 else {
            if errno == ENOENT { throw .notFound(path: from) }
            throw .io(operation: "rename", path: from, errno: errno)
        }
    }

    public func delete(_ path: String) throws(StorageError) {
        guard unlink(path) == 0 || errno == ENOENT else {
            throw .io(operation: "unlink", path: path, errno: errno)
        }
    }

    public func list(_ directory: String) throws(StorageError) -> [String] {
        guard let dir = opendir(directory) else {
            if errno == ENOENT { throw .notFound(path: directory) }
            throw .io(operation: "opendir", path: directory, errno: errno)
        }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafePointer(to: &entry.pointee.d_name) { tuple in
                tuple.withMemoryRebound(
                    to: CChar.self, capacity: MemoryLayout.size(ofValue: tuple.pointee)
                ) {
                    String(cString: $0)
                }
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names.sorted()
    }

    public func makeDirectory(_ path: String) throws(StorageError) {
        // Usually the directory or its parent exists: one call (every log open makes sure).
        if mkdir(path, 0o755) == 0 || errno == EEXIST { return }
        var prefix = path.hasPrefix("/") ? "" : "."
        for component in path.split(separator: "/") {
            prefix += "/" + component
            if mkdir(prefix, 0o755) != 0 && errno != EEXIST {
                throw .io(operation: "mkdir", path: prefix, errno: errno)
            }
        }
    }

    public func fsyncDirectory(_ directory: String) throws(StorageError) {
        let fd = retrying { systemOpen(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0) }
        guard fd >= 0 else { throw .io(operation: "open", path: directory, errno: errno) }
        defer { _ = systemClose(fd) }
        guard retrying({ systemFsync(fd) }) == 0 else {
            throw .io(operation: "fsync", path: directory, errno: errno)
        }
    }

    public func exists(_ path: String) -> Bool {
        access(path, F_OK) == 0
    }

    /// Repeats a call interrupted by a signal, as POSIX asks.
    private func retrying(_ call: () -> Int32) -> Int32 {
        while true {
            let result = call()
            if result >= 0 || errno != EINTR { return result }
        }
    }
}

// MARK: - The C calls, named apart from the protocol's methods of the same names

/// IOV_MAX, which Swift does not import: at least POSIX's 16, 1024 on Linux.
private let iovecsPerCallMax: Int = {
    let value = sysconf(Int32(_SC_IOV_MAX))
    return value >= 16 ? min(value, 1024) : 16
}()

private func systemOpen(_ path: String, _ flags: Int32, _ mode: mode_t) -> Int32 {
    open(path, flags, mode)
}
private func systemClose(_ fd: Int32) -> Int32 { close(fd) }
private func systemFsync(_ fd: Int32) -> Int32 { fsync(fd) }
private func systemRename(_ from: String, _ to: String) -> Int32 { rename(from, to) }
private func systemWritev(_ fd: Int32, _ vectors: UnsafePointer<iovec>?, _ count: Int32) -> Int {
    writev(fd, vectors, count)
}
private func systemWrite(_ fd: Int32, _ bytes: UnsafeRawPointer, _ count: Int) -> Int {
    write(fd, bytes, count)
}
private func systemPread(_ fd: Int32, _ bytes: UnsafeMutableRawPointer, _ count: Int, _ at: off_t)
    -> Int
{
    pread(fd, bytes, count, at)
}
