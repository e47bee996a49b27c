// Metadata room: the cluster metadata records (KIP-631) this project uses, framed as Kafka's
// metadata log frames them: frame version, record type (the schema's apiKey) and record
// version as unsigned varints, then the record's fields and tagged fields.

import NIOCore

/// One metadata record, as the controller writes it and every broker replays it.
///
/// Each case wraps one schema with Kafka's type id and field layout, so a record written here
/// reads in Kafka's `MetadataRecordSerde` and the other way round. Mirrors Kafka's
/// `ApiMessageAndVersion` for the metadata log; the version written is the one Kafka 4.0 writes
/// at metadata.version 4.0-IV3 (`FeatureLevelRecord.metadataVersion4_0_IV3`).
public enum MetadataRecord: Equatable, Sendable {
    case registerBroker(RegisterBrokerRecord)
    case unregisterBroker(UnregisterBrokerRecord)
    case topic(TopicRecord)
    case partition(PartitionRecord)
    case config(ConfigRecord)
    case partitionChange(PartitionChangeRecord)
    case removeTopic(RemoveTopicRecord)
    case featureLevel(FeatureLevelRecord)
    case producerIds(ProducerIdsRecord)
    case brokerRegistrationChange(BrokerRegistrationChangeRecord)

    /// `AbstractApiMessageSerde.DEFAULT_FRAME_VERSION`.
    public static let frameVersion: UInt32 = 1

    /// The record inside, for what every schema shares.
    public var body: any MetadataRecordCodec {
        switch self {
        case .registerBroker(let r): return r
        case .unregisterBroker(let r): return r
        case .topic(let r): return r
        case .partition(let r): return r
        case .config(let r): return r
        case .partitionChange(let r): return r
        case .removeTopic(let r): return r
        case .featureLevel(let r): return r
        case .producerIds(let r): return r
        case .brokerRegistrationChange(let r): return r
        }
    }

    /// Kafka's record type: the schema's apiKey.
    public var apiKey: Int16 { type(of: body).apiKey }

    /// The version this record is written at.
    public var version: Int16 { body.version }

    /// Kafka's class name (`RegisterBrokerRecord`...).
    public var typeName: String {
        switch self {
        case .registerBroker: return "RegisterBrokerRecord"
        case .unregisterBroker: return "UnregisterBrokerRecord"
        case .topic: return "TopicRecord"
        case .partition: return "PartitionRecord"
        case .config: return "ConfigRecord"
        case .partitionChange: return "PartitionChangeRecord"
        case .removeTopic: return "RemoveTopicRecord"
        case .featureLevel: return "FeatureLevelRecord"
        case .producerIds: return "ProducerIdsRecord"
        case .brokerRegistrationChange: return "BrokerRegistrationChangeRecord"
        }
    }

    /// The `MetadataRecordType` constant kafka-dump-log prints as `"type"`: the class name in
    /// upper snake case (`REGISTER_BROKER_RECORD`).
    public var dumpType: String {
        var out = ""
        for (i, c) in typeName.enumerated() {
            if c.isUppercase && i > 0 { out += "_" }
            out += c.uppercased()
        }
        return out
    }

    /// The fields as `kafka-dump-log.sh --cluster-metadata-decoder` names them (the schema's
    /// names in camel case), each value as JSON; tagged fields only when not their default.
    public var fields: [(String, String)] { body.fields(version: version) }

    /// kafka-dump-log's payload line: `{"type":"TOPIC_RECORD","version":0,"data":{...}}`.
    public var dumpJSON: String {
        MetadataJSON.object([
            ("type", MetadataJSON.string(dumpType)), ("version", String(version)),
            ("data", MetadataJSON.object(fields)),
        ])
    }

    // MARK: - Framing

    public func encode(to w: inout WireWriter) {
        w.writeUnsignedVarint(Self.frameVersion)
        w.writeUnsignedVarint(UInt32(apiKey))  // apiKeys are small and non-negative
        w.writeUnsignedVarint(UInt32(version))
        body.encode(to: &w, version: version)
    }

    /// The record's bytes: a metadata batch record's value.
    public var serialized: ByteBuffer {
        var w = WireWriter()
        encode(to: &w)
        return w.buffer
    }

    /// Reads one framed record. An unknown frame version, record type or record version is a
    /// `DecodeError`, so that replay never sees a record it cannot apply.
    public init(from r: inout WireReader) throws(DecodeError) {
        let frame = try r.readUnsignedVarint("frame_version")
        guard frame == Self.frameVersion else {
            throw .invalid(field: "frame_version", reason: "\(frame) is not \(Self.frameVersion)")
        }
        let rawType = try r.readUnsignedVarint("record_type")
        let rawVersion = try r.readUnsignedVarint("record_version")
        guard let type = Int16(exactly: rawType) else {
            throw .invalid(field: "record_type", reason: "unknown metadata record type \(rawType)")
        }
        guard let version = Int16(exactly: rawVersion) else {
            throw .invalid(
                field: "record_version", reason: "version \(rawVersion) of record type \(type)")
        }
        self = try Self.decodeBody(type: type, version: version, from: &r)
    }

    /// A whole record value: one framed record and nothing after it.
    public static func decode(_ bytes: ByteBuffer) throws(DecodeError) -> MetadataRecord {
        var r = WireReader(bytes)
        let record = try MetadataRecord(from: &r)
        guard r.isAtEnd else {
            throw .invalid(
                field: "record", reason: "\(r.remaining) bytes after the \(record.typeName)")
        }
        return record
    }

    static func decodeBody(type: Int16, version: Int16, from r: inout WireReader)
        throws(DecodeError) -> MetadataRecord
    {
        switch type {
        case RegisterBrokerRecord.apiKey: return .registerBroker(try read(version, &r))
        case UnregisterBrokerRecord.apiKey: return .unregisterBroker(try read(version, &r))
        case TopicRecord.apiKey: return .topic(try read(version, &r))
        case PartitionRecord.apiKey: return .partition(try read(version, &r))
        case ConfigRecord.apiKey: return .config(try read(version, &r))
        case PartitionChangeRecord.apiKey: return .partitionChange(try read(version, &r))
        case RemoveTopicRecord.apiKey: return .removeTopic(try read(version, &r))
        case FeatureLevelRecord.apiKey: return .featureLevel(try read(version, &r))
        case ProducerIdsRecord.apiKey: return .producerIds(try read(version, &r))
        case BrokerRegistrationChangeRecord.apiKey:
            return .brokerRegistrationChange(try read(version, &r))
        default:
            throw .invalid(field: "record_type", reason: "unknown metadata record type \(type)")
        }
    }

    private static func read<T: MetadataRecordCodec>(_ version: Int16, _ r: inout WireReader)
        throws(DecodeError) -> T
    {
        guard T.versions.contains(version) else {
            throw .invalid(
                field: "record_version",
                reason: "version \(version) of apiKey \(T.apiKey) is not in \(T.versions)")
        }
        return try T(from: &r, version: version)
    }
}
