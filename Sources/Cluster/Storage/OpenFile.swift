// Storage room: a handle on an open file, as a value. The file system that opened it is the
// only one that can use it.

/// An open file: a descriptor number plus the path it was opened from (for messages).
///
/// A plain value; the file system that opened it is the only one that can use it, and
/// `close` ends its life. POSIX descriptors for `PosixFileSystem`, counters in memory.
public struct OpenFile: Hashable, Sendable, CustomStringConvertible {
    public let descriptor: Int32
    public let path: String

    public init(descriptor: Int32, path: String) {
        self.descriptor = descriptor
        self.path = path
    }

    public var description: String { "\(path)#\(descriptor)" }
}
