// StorageBench: a file system that keeps only file sizes, so an append measures the log's own
// work (validation, stamping, indexes) with no copy into a page cache or a memory disk.

import Cluster
import NIOCore

/// Files are names and sizes; writes are counted and dropped, reads return zeros.
///
/// Only for timing appends on one thread: nothing written can be read back.
final class NullFileSystem: FileSystem {
    private var sizes: [String: Int64] = [:]
    private var paths: [Int32: String] = [:]
    private var nextDescriptor: Int32 = 3

    func open(_ path: String) throws(StorageError) -> OpenFile {
        guard sizes[path] != nil else { throw .notFound(path: path) }
        return handle(path)
    }

    func create(_ path: String) throws(StorageError) -> OpenFile {
        sizes[path] = 0
        return handle(path)
    }

    private func handle(_ path: String) -> OpenFile {
        nextDescriptor += 1
        paths[nextDescriptor] = path
        return OpenFile(descriptor: nextDescriptor, path: path)
    }

    func close(_ file: OpenFile) { paths[file.descriptor] = nil }

    func append(_ file: OpenFile, _ bytes: ByteBuffer) throws(StorageError) {
        sizes[file.path, default: 0] += Int64(bytes.readableBytes)
    }

    func append(_ file: OpenFile, gathering parts: [ByteBuffer]) throws(StorageError) {
        sizes[file.path, default: 0] += Int64(parts.reduce(0) { $0 + $1.readableBytes })
    }

    func pread(_ file: OpenFile, at offset: Int64, count: Int) throws(StorageError) -> ByteBuffer {
        let available = max(0, min(Int64(count), (sizes[file.path] ?? 0) - offset))
        return ByteBuffer(repeating: 0, count: Int(available))
    }

    func truncate(_ file: OpenFile, to size: Int64) throws(StorageError) {
        sizes[file.path] = size
    }

    func fsync(_ file: OpenFile) throws(StorageError) {}

    func size(_ file: OpenFile) throws(StorageError) -> Int64 { sizes[file.path] ?? 0 }

    func rename(_ from: String, to: String) throws(StorageError) {
        sizes[to] = sizes.removeValue(forKey: from)
    }

    func delete(_ path: String) throws(StorageError) { sizes[path] = nil }

    func list(_ directory: String) throws(StorageError) -> [String] {
        let prefix = directory + "/"
        return sizes.keys.filter { $0.hasPrefix(prefix) }.map { String($0.dropFirst(prefix.count)) }
            .sorted()
    }

    func makeDirectory(_ path: String) throws(StorageError) {}

    func fsyncDirectory(_ directory: String) throws(StorageError) {}

    func exists(_ path: String) -> Bool { sizes[path] != nil }
}
