// Metadata room: FeatureLevelRecord (apiKey 12): the finalized level of a cluster feature.
// A metadata log starts with one for `metadata.version`, which says how to read the rest.

import NIOCore

/// `FeatureLevelRecord`, apiKey 12, version 0 (the schema says it can never advance, since it
/// must be readable before the metadata.version it carries is known).
///
/// A level of 0 removes the feature (Kafka's `FeaturesDelta`).
public struct FeatureLevelRecord: MetadataRecordCodec {
    public static let apiKey: Int16 = 12
    public static let versions: ClosedRange<Int16> = 0...0
    public var version: Int16 { 0 }

    /// The feature that versions the metadata records themselves.
    public static let metadataVersionFeature = "metadata.version"
    /// metadata.version `4.0-IV3`, Kafka 4.0's: the level whose record versions we write
    /// (RegisterBrokerRecord v3, PartitionRecord v2, PartitionChangeRecord v2).
    public static let metadataVersion4_0_IV3: Int16 = 25
    /// metadata.version `3.3-IV3`, the lowest Kafka 4 accepts.
    public static let metadataVersionMinimum: Int16 = 7

    public var name: String
    public var featureLevel: Int16

    public init(name: String, featureLevel: Int16) {
        self.name = name
        self.featureLevel = featureLevel
    }

    public init(from r: inout WireReader, version: Int16) throws(DecodeError) {
        name = try r.readString("Name", compact: true)
        featureLevel = try r.readInt16("FeatureLevel")
        try r.readTaggedFields("FeatureLevelRecord")
    }

    public func encode(to w: inout WireWriter, version: Int16) {
        w.writeString(name, compact: true)
        w.writeInt16(featureLevel)
        w.writeTaggedFields()
    }

    public func fields(version: Int16) -> [(String, String)] {
        [("name", MetadataJSON.string(name)), ("featureLevel", String(featureLevel))]
    }
}
