// Metadata room: TopicRecord (apiKey 2): a topic is born with a name and a topic id. Its
// partitions follow as PartitionRecords and its config overrides as ConfigRecords.

import NIOCore

/// `TopicRecord`, apiKey 2, version 0.
public struct TopicRecord: MetadataRecordCodec {
    public static let apiKey: Int16 = 2
    public static let versions: ClosedRange<Int16> = 0...0
    public var version: Int16 { 0 }

    public var name: String
    public var topicId: Uuid

    public init(name: String, topicId: Uuid) {
        self.name = name
        self.topicId = topicId
    }

    public init(from r: inout WireReader, version: Int16) throws(DecodeError) {
        name = try r.readString("Name", compact: true)
        topicId = try r.readUuid("TopicId")
        try r.readTaggedFields("TopicRecord")
    }

    public func encode(to w: inout WireWriter, version: Int16) {
        w.writeString(name, compact: true)
        w.writeUuid(topicId)
        w.writeTaggedFields()
    }

    public func fields(version: Int16) -> [(String, String)] {
        [("name", MetadataJSON.string(name)), ("topicId", MetadataJSON.uuid(topicId))]
    }
}
