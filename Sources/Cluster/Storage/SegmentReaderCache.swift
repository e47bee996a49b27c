// Storage room: the few closed segments a partition keeps open for fetches, least recently
// used first out, so descriptors and loaded indexes stay bounded.

/// An LRU of closed segments opened for reading: the `.log` handle and the offset index.
///
/// A class so that `PartitionLog.read`, which does not change the log, can still open and
/// evict readers; the log owns it alone and calls it from one thread. Kafka leaves every
/// segment open and lets the OS page indexes in and out; we hold at most `capacity`.
final class SegmentReaderCache {
    struct Reader {
        let baseOffset: Int64
        let logFile: OpenFile
        let offsetIndex: OffsetIndex
    }

    let capacity: Int
    let fs: any FileSystem
    /// Least recently used first.
    private var readers: [Reader] = []

    init(capacity: Int, fs: any FileSystem) {
        self.capacity = max(capacity, 1)
        self.fs = fs
    }

    var openCount: Int { readers.count }

    /// The reader for `baseOffset`, loading it with `load` (and evicting the least recently
    /// used one) when it is not open.
    func reader(
        for baseOffset: Int64, load: () throws(StorageError) -> Reader
    ) throws(StorageError) -> Reader {
        if let at = readers.firstIndex(where: { $0.baseOffset == baseOffset }) {
            let reader = readers.remove(at: at)
            readers.append(reader)
            return reader
        }
        let reader = try load()
        while readers.count >= capacity { fs.close(readers.removeFirst().logFile) }
        readers.append(reader)
        return reader
    }

    func evict(_ baseOffset: Int64) {
        guard let at = readers.firstIndex(where: { $0.baseOffset == baseOffset }) else { return }
        fs.close(readers.remove(at: at).logFile)
    }

    func closeAll() {
        for reader in readers { fs.close(reader.logFile) }
        readers.removeAll()
    }
}
