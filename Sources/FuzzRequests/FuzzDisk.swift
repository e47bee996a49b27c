// Fuzz harness: the disk under the template broker, swapped for a fresh copy before each
// input. A broker value holds its file system by reference; this is that reference.

import Cluster
import NIOCore

/// A `FileSystem` that forwards to whichever `MemoryFileSystem` is current.
///
/// Copying a `Broker` value copies its logs but not their disk (a class). Every copy of the
/// template broker reaches the disk through this one object, and each input installs a copy
/// of the template's disk (same files, same open descriptors) before it starts.
final class FuzzDisk: FileSystem {
    var current: MemoryFileSystem

    init(_ disk: MemoryFileSystem) { current = disk }

    func open(_ path: String) throws(StorageError) -> OpenFile { try current.open(path) }
    func create(_ path: String) throws(StorageError) -> OpenFile { try current.create(path) }
    func close(_ file: OpenFile) { current.close(file) }
    func append(_ file: OpenFile, _ bytes: ByteBuffer) throws(StorageError) { try current.append(file, bytes) }
    func pread(_ file: OpenFile, at offset: Int64, count: Int) throws(StorageError) -> ByteBuffer {
        try current.pread(file, at: offset, count: count)
    }
    func truncate(_ file: OpenFile, to size: Int64) throws(StorageError) { try current.truncate(file, to: size) }
    func fsync(_ file: OpenFile) throws(StorageError) { try current.fsync(file) }
    func size(_ file: OpenFile) throws(StorageError) -> Int64 { try current.size(file) }
    func rename(_ from: String, to: String) throws(StorageError) { try current.rename(from, to: to) }
    func delete(_ path: String) throws(StorageError) { try current.delete(path) }
    func list(_ directory: String) throws(StorageError) -> [String] { try current.list(directory) }
    func makeDirectory(_ path: String) throws(StorageError) { try current.makeDirectory(path) }
    func fsyncDirectory(_ directory: String) throws(StorageError) { try current.fsyncDirectory(directory) }
    func exists(_ path: String) -> Bool { current.exists(path) }
}
