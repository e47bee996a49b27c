// Metadata room: ConfigRecord (apiKey 4): one config key of one resource (a topic, a broker,
// the cluster default) set to a value, or deleted with a null value.

import NIOCore

/// `ConfigRecord`, apiKey 4, version 0.
///
/// `resourceType` is Kafka's `ConfigResource.Type` id: 2 topic, 4 broker, 8 broker logger.
public struct ConfigRecord: MetadataRecordCodec {
    public static let apiKey: Int16 = 4
    public static let versions: ClosedRange<Int16> = 0...0
    public var version: Int16 { 0 }
    public static let topicResource: Int8 = 2
    public static let brokerResource: Int8 = 4

    public var resourceType: Int8
    public var resourceName: String
    public var name: String
    /// nil deletes the key.
    public var value: String?

    public init(resourceType: Int8, resourceName: String, name: String, value: String?) {
        self.resourceType = resourceType
        self.resourceName = resourceName
        self.name = name
        self.value = value
    }

    public init(from r: inout WireReader, version: Int16) throws(DecodeError) {
        resourceType = try r.readInt8("ResourceType")
        resourceName = try r.readString("ResourceName", compact: true)
        name = try r.readString("Name", compact: true)
        value = try r.readNullableString("Value", compact: true)
        try r.readTaggedFields("ConfigRecord")
    }

    public func encode(to w: inout WireWriter, version: Int16) {
        w.writeInt8(resourceType)
        w.writeString(resourceName, compact: true)
        w.writeString(name, compact: true)
        w.writeNullableString(value, compact: true)
        w.writeTaggedFields()
    }

    public func fields(version: Int16) -> [(String, String)] {
        [
            ("resourceType", String(resourceType)),
            ("resourceName", MetadataJSON.string(resourceName)),
            ("name", MetadataJSON.string(name)), ("value", MetadataJSON.string(value)),
        ]
    }
}
