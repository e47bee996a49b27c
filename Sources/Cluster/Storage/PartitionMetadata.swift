// Storage room: `partition.metadata`, the file that ties a partition directory to its topic
// id, in Kafka's text form (`version: 0` then `topic_id: <base64 uuid>`).

import NIOCore

/// The contents of a partition directory's `partition.metadata` (Kafka's
/// `PartitionMetadataFile`). It lets a broker notice a directory left over from a deleted
/// topic of the same name: the ids differ.
public struct PartitionMetadata: Equatable, Sendable {
    public static let fileName = "partition.metadata"
    public static let currentVersion = 0

    public var version: Int
    public var topicId: Uuid

    public init(topicId: Uuid, version: Int = PartitionMetadata.currentVersion) {
        self.version = version
        self.topicId = topicId
    }

    /// `version: 0\ntopic_id: <id>`, as Kafka writes it (no newline at the end).
    public var text: String { "version: \(version)\ntopic_id: \(topicId)" }

    /// Parses Kafka's form; nil for anything else (a version below 0, a zero or bad id).
    public init?(text: String) {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: true)
        guard lines.count == 2,
            let versionText = Self.value(of: "version", in: lines[0]),
            let version = Int(versionText), version >= 0,
            let idText = Self.value(of: "topic_id", in: lines[1]), let id = Uuid(idText),
            id != .zero
        else { return nil }
        self.init(topicId: id, version: version)
    }

    /// The metadata of the partition directory `directory`: nil when the file is missing,
    /// `malformedFile` when it does not parse. Lets a node learn a directory's topic id
    /// before it opens the log.
    public static func read(in directory: String, fs: any FileSystem) throws(StorageError)
        -> PartitionMetadata?
    {
        let path = StoragePath.join(directory, fileName)
        guard fs.exists(path) else { return nil }
        let bytes = try fs.readWholeFile(path, limit: Limits.smallMetadataFileBytesMax)
        guard let metadata = PartitionMetadata(text: String(buffer: bytes)) else {
            throw .malformedFile(path: path, reason: "not 'version: 0' and 'topic_id: <id>'")
        }
        return metadata
    }

    /// The text after `key:` and its spaces (Kafka splits on `:\s+`).
    private static func value(of key: String, in line: Substring) -> String? {
        guard line.hasPrefix(key + ":") else { return nil }
        let rest = line.dropFirst(key.count + 1)
        guard rest.first == " " else { return nil }
        let value = rest.drop { $0 == " " || $0 == "\t" }
        return value.isEmpty
            ? nil : String(value.trimmingSuffix(while: { $0 == " " || $0 == "\r" }))
    }
}

extension Substring {
    fileprivate func trimmingSuffix(while predicate: (Character) -> Bool) -> Substring {
        var end = endIndex
        while end > startIndex, predicate(self[index(before: end)]) { end = index(before: end) }
        return self[startIndex..<end]
    }
}
