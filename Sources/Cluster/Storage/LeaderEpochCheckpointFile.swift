// Storage room: the `leader-epoch-checkpoint` file in a partition directory, in Kafka's text
// format (`0`, a count, then `<epoch> <startOffset>` lines), written by temp file and rename.

import NIOCore

/// Reading and writing a partition's `leader-epoch-checkpoint`.
///
/// Kafka's `LeaderEpochCheckpointFile` over `CheckpointFile`: version line `0`, a line with the
/// number of entries, then one `<epoch> <startOffset>` line per entry, each line ending in
/// `\n`. Written to a `.tmp` sibling, fsynced and renamed into place, so a crash leaves the
/// old file or the new one (a leftover `.tmp` is removed when the log opens).
public enum LeaderEpochCheckpointFile {
    public static let fileName = "leader-epoch-checkpoint"
    /// Kafka's `LeaderEpochCheckpointFile.CURRENT_VERSION`.
    public static let version = 0

    public static func encode(_ entries: [EpochEntry]) -> String {
        var text = "\(version)\n\(entries.count)\n"
        for entry in entries { text += "\(entry.epoch) \(entry.startOffset)\n" }
        return text
    }

    /// Parses the file as Kafka's `CheckpointReadBuffer` does: an empty file is no entries; a
    /// wrong version, a line that is not two numbers (whitespace between), or a count that does
    /// not match is an error. A negative epoch or offset is refused too, since Kafka's cache
    /// would refuse to take it.
    public static func decode(_ text: String, path: String) throws(StorageError) -> [EpochEntry] {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        if lines.last == "" { lines.removeLast() }
        guard let versionLine = lines.first else { return [] }
        guard Int(versionLine) == version else {
            throw .malformedFile(
                path: path, reason: "unrecognised version '\(versionLine)', expected \(version)")
        }
        guard lines.count >= 2 else { return [] }
        guard let expected = Int(lines[1]), expected >= 0 else {
            throw .malformedFile(path: path, reason: "malformed line '\(lines[1])'")
        }
        var entries: [EpochEntry] = []
        for line in lines.dropFirst(2) {
            let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
            guard fields.count == 2, let epoch = Int32(fields[0]), let offset = Int64(fields[1]),
                epoch >= 0, offset >= 0
            else {
                throw .malformedFile(path: path, reason: "malformed line '\(line)'")
            }
            entries.append(EpochEntry(epoch: epoch, startOffset: offset))
        }
        guard entries.count == expected else {
            throw .malformedFile(
                path: path, reason: "expected \(expected) entries but found \(entries.count)")
        }
        return entries
    }

    /// The entries in `directory`'s checkpoint, or nil when there is no such file.
    public static func read(in directory: String, fs: any FileSystem) throws(StorageError)
        -> [EpochEntry]?
    {
        let path = StoragePath.join(directory, fileName)
        guard fs.exists(path) else { return nil }
        let bytes = try fs.readWholeFile(path, limit: Limits.checkpointFileBytesMax)
        return try decode(String(buffer: bytes), path: path)
    }

    /// Replaces `directory`'s checkpoint with `entries`: `.tmp`, fsync, rename, fsync the
    /// directory.
    public static func write(_ entries: [EpochEntry], in directory: String, fs: any FileSystem)
        throws(StorageError)
    {
        try fs.writeAtomically(
            StoragePath.join(directory, fileName), ByteBuffer(string: encode(entries)))
    }
}
