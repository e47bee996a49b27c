// Metadata room: RemoveTopicRecord (apiKey 9): a topic and all its partitions are deleted.
// Brokers rename the partition directories to `-delete` and remove them.

import NIOCore

/// `RemoveTopicRecord`, apiKey 9, version 0.
///
/// Before this project followed Kafka's type ids it wrote this record as type 5, which is
/// Kafka's `PartitionChangeRecord`; `LegacyMetadataLog` reads those old files.
public struct RemoveTopicRecord: MetadataRecordCodec {
    public static let apiKey: Int16 = 9
    public static let versions: ClosedRange<Int16> = 0...0
    public var version: Int16 { 0 }

    public var topicId: Uuid

    public init(topicId: Uuid) { self.topicId = topicId }

    public init(from r: inout WireReader, version: Int16) throws(DecodeError) {
        topicId = try r.readUuid("TopicId")
        try r.readTaggedFields("RemoveTopicRecord")
    }

    public func encode(to w: inout WireWriter, version: Int16) {
        w.writeUuid(topicId)
        w.writeTaggedFields()
    }

    public func fields(version: Int16) -> [(String, String)] {
        [("topicId", MetadataJSON.uuid(topicId))]
    }
}
