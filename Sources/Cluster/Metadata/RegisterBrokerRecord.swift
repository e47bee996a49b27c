// Metadata room: RegisterBrokerRecord (apiKey 0), a broker's registration: its listeners,
// supported features, rack and initial fenced state. The offset of this record is the
// broker epoch in KRaft.

import NIOCore

/// One listener of a broker (the schema's `BrokerEndpoint`).
public struct BrokerEndpoint: Equatable, Sendable {
    /// The listener name, e.g. `PLAINTEXT`.
    public var name: String
    public var host: String
    public var port: UInt16
    /// Kafka's `SecurityProtocol` id: 0 PLAINTEXT, 1 SSL, 2 SASL_PLAINTEXT, 3 SASL_SSL.
    public var securityProtocol: Int16

    public static let plaintext: Int16 = 0

    public init(name: String, host: String, port: UInt16, securityProtocol: Int16) {
        self.name = name
        self.host = host
        self.port = port
        self.securityProtocol = securityProtocol
    }

    var fields: [(String, String)] {
        [
            ("name", MetadataJSON.string(name)), ("host", MetadataJSON.string(host)),
            ("port", String(port)), ("securityProtocol", String(securityProtocol)),
        ]
    }
}

/// A feature range the broker supports (the schema's `BrokerFeature`), e.g. the
/// `metadata.version` levels it can read.
public struct BrokerFeature: Equatable, Sendable {
    public var name: String
    public var minSupportedVersion: Int16
    public var maxSupportedVersion: Int16

    public init(name: String, minSupportedVersion: Int16, maxSupportedVersion: Int16) {
        self.name = name
        self.minSupportedVersion = minSupportedVersion
        self.maxSupportedVersion = maxSupportedVersion
    }

    var fields: [(String, String)] {
        [
            ("name", MetadataJSON.string(name)),
            ("minSupportedVersion", String(minSupportedVersion)),
            ("maxSupportedVersion", String(maxSupportedVersion)),
        ]
    }
}

/// `RegisterBrokerRecord`, apiKey 0, versions 0-3, written at v3.
///
/// v1 added `InControlledShutdown` (KIP-841), v2 `IsMigratingZkBroker` (KIP-866, always false
/// in Kafka 4), v3 the tagged `LogDirs` (tag 0, KIP-858). Kafka 4.0 to 4.2 write v3
/// (`MetadataVersion.registerBrokerRecordVersion()` from 3.7-IV2). A new registration replaces
/// the previous one whole; its `BrokerEpoch` is the offset of the record in the metadata log.
public struct RegisterBrokerRecord: MetadataRecordCodec {
    public static let apiKey: Int16 = 0
    public static let versions: ClosedRange<Int16> = 0...3
    public var version: Int16 { 3 }

    public var brokerId: Int32
    public var isMigratingZkBroker: Bool
    public var incarnationId: Uuid
    public var brokerEpoch: Int64
    public var endPoints: [BrokerEndpoint]
    public var features: [BrokerFeature]
    public var rack: String?
    /// The schema's default is true: Kafka registers a broker fenced and unfences it with a
    /// `BrokerRegistrationChangeRecord` once it has caught up with the metadata log.
    public var fenced: Bool
    public var inControlledShutdown: Bool
    /// Log directory ids (tagged, v3+); empty is the default and is not written.
    public var logDirs: [Uuid]

    public init(
        brokerId: Int32, isMigratingZkBroker: Bool = false, incarnationId: Uuid, brokerEpoch: Int64,
        endPoints: [BrokerEndpoint], features: [BrokerFeature] = [], rack: String? = nil,
        fenced: Bool = true, inControlledShutdown: Bool = false, logDirs: [Uuid] = []
    ) {
        self.brokerId = brokerId
        self.isMigratingZkBroker = isMigratingZkBroker
        self.incarnationId = incarnationId
        self.brokerEpoch = brokerEpoch
        self.endPoints = endPoints
        self.features = features
        self.rack = rack
        self.fenced = fenced
        self.inControlledShutdown = inControlledShutdown
        self.logDirs = logDirs
    }

    /// A registration with one PLAINTEXT listener named `PLAINTEXT`.
    public init(
        brokerId: Int32, incarnationId: Uuid, brokerEpoch: Int64, host: String, port: UInt16,
        rack: String?, fenced: Bool, inControlledShutdown: Bool, features: [BrokerFeature] = []
    ) {
        self.init(
            brokerId: brokerId, incarnationId: incarnationId, brokerEpoch: brokerEpoch,
            endPoints: [
                BrokerEndpoint(
                    name: "PLAINTEXT", host: host, port: port,
                    securityProtocol: BrokerEndpoint.plaintext)
            ],
            features: features, rack: rack, fenced: fenced,
            inControlledShutdown: inControlledShutdown)
    }

    /// The listener clients reach: the one named `PLAINTEXT`, else the first.
    public var listener: BrokerEndpoint? {
        endPoints.first { $0.name == "PLAINTEXT" } ?? endPoints.first
    }
    public var host: String { listener?.host ?? "" }
    public var port: UInt16 { listener?.port ?? 0 }

    public init(from r: inout WireReader, version: Int16) throws(DecodeError) {
        brokerId = try r.readInt32("BrokerId")
        isMigratingZkBroker = try version >= 2 ? r.readBool("IsMigratingZkBroker") : false
        incarnationId = try r.readUuid("IncarnationId")
        brokerEpoch = try r.readInt64("BrokerEpoch")
        endPoints = try r.readArray("EndPoints", compact: true) { e throws(DecodeError) in
            let endpoint = BrokerEndpoint(
                name: try e.readString("EndPoints.Name", compact: true),
                host: try e.readString("EndPoints.Host", compact: true),
                port: try e.readUInt16("EndPoints.Port"),
                securityProtocol: try e.readInt16("EndPoints.SecurityProtocol"))
            try e.readTaggedFields("EndPoints")
            return endpoint
        }
        features = try r.readArray("Features", compact: true) { e throws(DecodeError) in
            let feature = BrokerFeature(
                name: try e.readString("Features.Name", compact: true),
                minSupportedVersion: try e.readInt16("Features.MinSupportedVersion"),
                maxSupportedVersion: try e.readInt16("Features.MaxSupportedVersion"))
            try e.readTaggedFields("Features")
            return feature
        }
        rack = try r.readNullableString("Rack", compact: true)
        fenced = try r.readBool("Fenced")
        inControlledShutdown = try version >= 1 ? r.readBool("InControlledShutdown") : false
        var logDirs: [Uuid] = []
        try r.readTaggedFields("RegisterBrokerRecord") { tag, t throws(DecodeError) in
            guard tag == 0, version >= 3 else { return }
            logDirs = try t.readCompactUuids("LogDirs")
            try t.expectEnd("LogDirs")
        }
        self.logDirs = logDirs
    }

    public func encode(to w: inout WireWriter, version: Int16) {
        w.writeInt32(brokerId)
        if version >= 2 { w.writeBool(isMigratingZkBroker) }
        w.writeUuid(incarnationId)
        w.writeInt64(brokerEpoch)
        w.writeArray(endPoints, compact: true) { w, e in
            w.writeString(e.name, compact: true)
            w.writeString(e.host, compact: true)
            w.writeUInt16(e.port)
            w.writeInt16(e.securityProtocol)
            w.writeTaggedFields()
        }
        w.writeArray(features, compact: true) { w, f in
            w.writeString(f.name, compact: true)
            w.writeInt16(f.minSupportedVersion)
            w.writeInt16(f.maxSupportedVersion)
            w.writeTaggedFields()
        }
        w.writeNullableString(rack, compact: true)
        w.writeBool(fenced)
        if version >= 1 { w.writeBool(inControlledShutdown) }
        var tags: [(tag: UInt32, bytes: ByteBuffer)] = []
        if version >= 3 && !logDirs.isEmpty {
            tags.append(WireWriter.taggedField(0) { $0.writeCompactUuids(logDirs) })
        }
        w.writeTaggedFields(tags)
    }

    public func fields(version: Int16) -> [(String, String)] {
        var out: [(String, String)] = [("brokerId", String(brokerId))]
        if version >= 2 { out.append(("isMigratingZkBroker", String(isMigratingZkBroker))) }
        out += [
            ("incarnationId", MetadataJSON.uuid(incarnationId)),
            ("brokerEpoch", String(brokerEpoch)),
            ("endPoints", MetadataJSON.objects(endPoints.map(\.fields))),
            ("features", MetadataJSON.objects(features.map(\.fields))),
            ("rack", MetadataJSON.string(rack)),
            ("fenced", String(fenced)),
        ]
        if version >= 1 { out.append(("inControlledShutdown", String(inControlledShutdown))) }
        if version >= 3 && !logDirs.isEmpty { out.append(("logDirs", MetadataJSON.uuids(logDirs))) }
        return out
    }
}
