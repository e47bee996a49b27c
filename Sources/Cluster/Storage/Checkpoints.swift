// Storage room: the node-level files Kafka keeps beside its partition directories: offset
// checkpoints (`0`, a count, then `topic partition offset` lines) and the clean-shutdown marker.

import NIOCore

/// Reading and writing a node's checkpoint files, in Kafka's text formats.
///
/// `recovery-point-offset-checkpoint` says up to where each partition's log is fsynced (a
/// restart validates only what follows), `log-start-offset-checkpoint` keeps log start
/// offsets moved by retention or DeleteRecords, `replication-offset-checkpoint` keeps high
/// watermarks. Kafka's `OffsetCheckpointFile` over `CheckpointFile`: written to a `.tmp`
/// sibling, fsynced and renamed into place. `.kafka_cleanshutdown` is written last on a
/// clean shutdown and removed once the logs are loaded again (Kafka's
/// `CleanShutdownFileHandler`).
public enum Checkpoints {
    public static let recoveryPointFileName = "recovery-point-offset-checkpoint"
    public static let logStartOffsetFileName = "log-start-offset-checkpoint"
    public static let replicationOffsetFileName = "replication-offset-checkpoint"
    public static let cleanShutdownFileName = ".kafka_cleanshutdown"
    /// The version line of Kafka's offset checkpoint files.
    public static let version = 0

    // MARK: - Offset checkpoints

    /// `0\n<count>\n<topic> <partition> <offset>\n...`, sorted by topic and partition.
    public static func encode(_ offsets: [TopicPartition: Int64]) -> String {
        var text = "\(version)\n\(offsets.count)\n"
        for key in offsets.keys.sorted() {
            text += "\(key.topic) \(key.partition) \(offsets[key] ?? 0)\n"
        }
        return text
    }

    /// Parses a checkpoint as Kafka's `CheckpointReadBuffer` does: an empty file is no
    /// entries; a wrong version, a malformed line or a count that does not match is an error.
    public static func decode(_ text: String, path: String) throws(StorageError) -> [TopicPartition:
        Int64]
    {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        if lines.last == "" { lines.removeLast() }
        guard let versionLine = lines.first else { return [:] }
        guard Int(versionLine) == version else {
            throw .malformedFile(
                path: path, reason: "unrecognised version '\(versionLine)', expected \(version)")
        }
        guard lines.count >= 2 else { return [:] }
        guard let expected = Int(lines[1]), expected >= 0 else {
            throw .malformedFile(path: path, reason: "malformed line '\(lines[1])'")
        }
        var offsets: [TopicPartition: Int64] = [:]
        for line in lines.dropFirst(2) {
            let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
            guard fields.count == 3, let partition = Int32(fields[1]), let offset = Int64(fields[2])
            else {
                throw .malformedFile(path: path, reason: "malformed line '\(line)'")
            }
            offsets[TopicPartition(topic: String(fields[0]), partition: partition)] = offset
        }
        guard lines.count - 2 == expected else {
            throw .malformedFile(
                path: path, reason: "expected \(expected) entries but found \(lines.count - 2)")
        }
        return offsets
    }

    /// The checkpoint at `path`; a missing file is no entries (a new node).
    public static func read(_ path: String, fs: any FileSystem) throws(StorageError)
        -> [TopicPartition: Int64]
    {
        guard fs.exists(path) else { return [:] }
        let bytes = try fs.readWholeFile(path, limit: Limits.checkpointFileBytesMax)
        return try decode(String(buffer: bytes), path: path)
    }

    /// Replaces the checkpoint at `path`: `.tmp`, fsync, rename, fsync the directory.
    public static func write(
        _ offsets: [TopicPartition: Int64], to path: String, fs: any FileSystem
    ) throws(StorageError) {
        try fs.writeAtomically(path, ByteBuffer(string: encode(offsets)))
    }

    // MARK: - Clean shutdown marker

    /// Marks `directory` (a node's log directory) as cleanly shut down, with the broker
    /// epoch as Kafka 3.7+ records it (-1 when unknown).
    public static func writeCleanShutdown(
        in directory: String, brokerEpoch: Int64 = -1, fs: any FileSystem
    ) throws(StorageError) {
        let text = "{\"version\":0,\"brokerEpoch\":\(brokerEpoch)}"
        try fs.writeAtomically(
            StoragePath.join(directory, cleanShutdownFileName), ByteBuffer(string: text))
    }

    /// Whether the last shutdown of `directory` was clean.
    public static func hadCleanShutdown(in directory: String, fs: any FileSystem) -> Bool {
        fs.exists(StoragePath.join(directory, cleanShutdownFileName))
    }

    /// The broker epoch the marker recorded, when it is there and readable (the JSON form
    /// Kafka writes now, or the older `brokerEpoch: N` line).
    public static func cleanShutdownBrokerEpoch(in directory: String, fs: any FileSystem) -> Int64?
    {
        let path = StoragePath.join(directory, cleanShutdownFileName)
        guard let bytes = try? fs.readWholeFile(path, limit: Limits.smallMetadataFileBytesMax)
        else { return nil }
        let text = String(buffer: bytes)
        guard let key = text.firstRange(of: "brokerEpoch") else { return nil }
        let rest = text[key.upperBound...].drop { $0 == "\"" || $0 == ":" || $0 == " " }
        let digits = rest.prefix { $0 == "-" || ($0 >= "0" && $0 <= "9") }
        return Int64(digits)
    }

    /// Removes the marker: done once the logs are loaded, so a crash from then on is seen
    /// as unclean at the next start.
    public static func removeCleanShutdown(in directory: String, fs: any FileSystem)
        throws(StorageError)
    {
        try fs.delete(StoragePath.join(directory, cleanShutdownFileName))
        try fs.fsyncDirectory(directory)
    }
}
