// Metadata room: what every metadata record type declares (Kafka's schema apiKey, the
// versions we read, the version we write) so that the framing in MetadataRecord and the
// dump output are derived from the same facts.

import NIOCore

/// One metadata record schema from Kafka's `metadata/src/main/resources/common/metadata/`.
///
/// Every metadata record schema is flexible from version 0 (compact strings and arrays, a
/// tagged-field section at the end), so unlike request codecs there is no first flexible
/// version to declare. `version` is what Kafka 4.0 (metadata.version 4.0-IV3) writes for this
/// value; decoding accepts every version in `versions`. Mirrors Kafka's `ApiMessage` for
/// `"type": "metadata"` schemas.
public protocol MetadataRecordCodec: Equatable, Sendable {
    /// The schema's `apiKey`: the record type written in the frame.
    static var apiKey: Int16 { get }
    /// The versions this codec reads (the schema's `validVersions`).
    static var versions: ClosedRange<Int16> { get }
    /// The version this value is written at.
    var version: Int16 { get }
    init(from reader: inout WireReader, version: Int16) throws(DecodeError)
    func encode(to writer: inout WireWriter, version: Int16)
    /// The fields at `version`, named and rendered as Kafka's JSON converter does: fixed
    /// fields always, tagged fields only when they differ from their default.
    func fields(version: Int16) -> [(String, String)]
}
