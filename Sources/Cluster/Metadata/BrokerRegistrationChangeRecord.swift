// Metadata room: BrokerRegistrationChangeRecord (apiKey 17): fence, unfence or mark in
// controlled shutdown one registration of a broker, named by its broker epoch. It replaced
// FenceBrokerRecord and UnfenceBrokerRecord in metadata.version 3.3-IV2.

import NIOCore

/// The `Fenced` field: Kafka's `BrokerRegistrationFencingChange`.
public enum BrokerRegistrationFencingChange: Int8, Equatable, Sendable {
    case unfence = -1
    case none = 0
    case fence = 1
}

/// The `InControlledShutdown` field: Kafka's `BrokerRegistrationInControlledShutdownChange`.
/// There is no way back: a broker leaves controlled shutdown by registering again.
public enum BrokerRegistrationInControlledShutdownChange: Int8, Equatable, Sendable {
    case none = 0
    case inControlledShutdown = 1
}

/// `BrokerRegistrationChangeRecord`, apiKey 17, versions 0-2.
///
/// Both changes and the log directories are tagged: `Fenced` (tag 0, v0+), `InControlledShutdown`
/// (tag 1, v1+), `LogDirs` (tag 2, v2+), each written only when it is not 0 / empty. The
/// version follows the content, as in Kafka's `ReplicationControlManager`: fencing and
/// unfencing are written at v0, entering controlled shutdown at v1, log directories at v2.
/// Replay applies it only to the registration whose epoch it names.
public struct BrokerRegistrationChangeRecord: MetadataRecordCodec {
    public static let apiKey: Int16 = 17
    public static let versions: ClosedRange<Int16> = 0...2

    public var brokerId: Int32
    public var brokerEpoch: Int64
    public var fenced: BrokerRegistrationFencingChange
    public var inControlledShutdown: BrokerRegistrationInControlledShutdownChange
    /// The broker's online log directories; empty means unchanged.
    public var logDirs: [Uuid]

    public init(
        brokerId: Int32, brokerEpoch: Int64, fenced: BrokerRegistrationFencingChange = .none,
        inControlledShutdown: BrokerRegistrationInControlledShutdownChange = .none,
        logDirs: [Uuid] = []
    ) {
        self.brokerId = brokerId
        self.brokerEpoch = brokerEpoch
        self.fenced = fenced
        self.inControlledShutdown = inControlledShutdown
        self.logDirs = logDirs
    }

    public var version: Int16 {
        if !logDirs.isEmpty { return 2 }
        return inControlledShutdown == .none ? 0 : 1
    }

    public init(from r: inout WireReader, version: Int16) throws(DecodeError) {
        var change = BrokerRegistrationChangeRecord(
            brokerId: try r.readInt32("BrokerId"), brokerEpoch: try r.readInt64("BrokerEpoch"))
        try r.readTaggedFields("BrokerRegistrationChangeRecord") { tag, t throws(DecodeError) in
            switch tag {
            case 0:
                let raw = try t.readInt8("Fenced")
                guard let value = BrokerRegistrationFencingChange(rawValue: raw) else {
                    throw .invalid(field: "Fenced", reason: "\(raw) is not -1, 0 or 1")
                }
                change.fenced = value
            case 1 where version >= 1:
                let raw = try t.readInt8("InControlledShutdown")
                guard let value = BrokerRegistrationInControlledShutdownChange(rawValue: raw) else {
                    throw .invalid(field: "InControlledShutdown", reason: "\(raw) is not 0 or 1")
                }
                change.inControlledShutdown = value
            case 2 where version >= 2: change.logDirs = try t.readCompactUuids("LogDirs")
            default: return
            }
            try t.expectEnd("BrokerRegistrationChangeRecord tag \(tag)")
        }
        self = change
    }

    public func encode(to w: inout WireWriter, version: Int16) {
        w.writeInt32(brokerId)
        w.writeInt64(brokerEpoch)
        var tags: [(tag: UInt32, bytes: ByteBuffer)] = []
        if fenced != .none {
            tags.append(WireWriter.taggedField(0) { $0.writeInt8(fenced.rawValue) })
        }
        if version >= 1 && inControlledShutdown != .none {
            tags.append(WireWriter.taggedField(1) { $0.writeInt8(inControlledShutdown.rawValue) })
        }
        if version >= 2 && !logDirs.isEmpty {
            tags.append(WireWriter.taggedField(2) { $0.writeCompactUuids(logDirs) })
        }
        w.writeTaggedFields(tags)
    }

    public func fields(version: Int16) -> [(String, String)] {
        var out: [(String, String)] = [
            ("brokerId", String(brokerId)), ("brokerEpoch", String(brokerEpoch)),
        ]
        if fenced != .none { out.append(("fenced", String(fenced.rawValue))) }
        if version >= 1 && inControlledShutdown != .none {
            out.append(("inControlledShutdown", String(inControlledShutdown.rawValue)))
        }
        if version >= 2 && !logDirs.isEmpty { out.append(("logDirs", MetadataJSON.uuids(logDirs))) }
        return out
    }
}
