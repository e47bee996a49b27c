// Protocol room: BrokerRegistration (key 62), versions 0-4, flexible at every version. A broker
// starting up registers with the active controller and receives its broker epoch (KIP-631).
//
// v0: the first version.  v1: is_migrating_zk_broker (KIP-866).  v2: log_dirs, the ids of the
// broker's online log directories (KIP-858).  v3: previous_broker_epoch, so a cleanly restarted
// broker can keep its ISR memberships (KIP-966).  v4: no new field; features whose
// min_supported_version is 0 are sent too, where v0-v3 senders leave them out.

/// "I am broker N, incarnation X, listening here, supporting these features."
///
/// The controller answers with a new broker epoch that the broker then quotes in every
/// heartbeat and AlterPartition; a restarted broker gets a fresh epoch, so stale requests from
/// its previous life are fenced. Mirrors Kafka's `BrokerRegistrationRequestData`.
public struct BrokerRegistrationRequest: KafkaRequest, Equatable {
    public typealias Response = BrokerRegistrationResponse
    public static let apiKey = ApiKey.brokerRegistration
    public static let versions: ClosedRange<Int16> = 0...4
    public static let firstFlexibleVersion: Int16? = 0

    /// Kafka's `Listener`: one of the broker's client-facing endpoints.
    public struct Listener: Equatable, Sendable {
        public var name: String
        public var host: String
        public var port: UInt16
        /// Kafka's `SecurityProtocol` id: 0 PLAINTEXT, 1 SSL, 2 SASL_PLAINTEXT, 3 SASL_SSL.
        public var securityProtocol: Int16

        public init(name: String, host: String, port: UInt16, securityProtocol: Int16 = 0) {
            self.name = name
            self.host = host
            self.port = port
            self.securityProtocol = securityProtocol
        }
    }

    /// Kafka's `Feature`: a feature level range the broker can run at (`metadata.version`,
    /// `kraft.version`...).
    public struct Feature: Equatable, Sendable {
        public var name: String
        public var minSupportedVersion: Int16
        public var maxSupportedVersion: Int16

        public init(name: String, minSupportedVersion: Int16, maxSupportedVersion: Int16) {
            self.name = name
            self.minSupportedVersion = minSupportedVersion
            self.maxSupportedVersion = maxSupportedVersion
        }
    }

    public var brokerId: Int32
    public var clusterId: String
    /// Random per process start, so the controller can tell a restart from a duplicate.
    public var incarnationId: Uuid
    public var listeners: [Listener]
    /// Sent as given: a v0-v3 sender is expected to leave out features whose minimum is 0.
    public var features: [Feature]
    public var rack: String?
    /// v1+.
    public var isMigratingZkBroker: Bool
    /// v2+.
    public var logDirs: [Uuid]
    /// v3+: the broker epoch before a clean shutdown, -1 if none.
    public var previousBrokerEpoch: Int64

    public init(
        brokerId: Int32, clusterId: String = "", incarnationId: Uuid = .zero,
        listeners: [Listener] = [], features: [Feature] = [], rack: String? = nil,
        isMigratingZkBroker: Bool = false, logDirs: [Uuid] = [], previousBrokerEpoch: Int64 = -1
    ) {
        self.brokerId = brokerId
        self.clusterId = clusterId
        self.incarnationId = incarnationId
        self.listeners = listeners
        self.features = features
        self.rack = rack
        self.isMigratingZkBroker = isMigratingZkBroker
        self.logDirs = logDirs
        self.previousBrokerEpoch = previousBrokerEpoch
    }

    public init(from reader: inout WireReader, version: Int16) throws(DecodeError) {
        self.init(brokerId: try reader.readInt32("broker_id"))
        clusterId = try reader.readString("cluster_id", compact: true)
        incarnationId = try reader.readUuid("incarnation_id")
        listeners = try reader.readArray("listeners", compact: true) { l throws(DecodeError) in
            let name = try l.readString("name", compact: true)
            let host = try l.readString("host", compact: true)
            let port = try l.readUInt16("port")
            let protocolId = try l.readInt16("security_protocol")
            try l.readTaggedFields("listeners")
            return Listener(name: name, host: host, port: port, securityProtocol: protocolId)
        }
        features = try reader.readArray("features", compact: true) { f throws(DecodeError) in
            let name = try f.readString("name", compact: true)
            let min = try f.readInt16("min_supported_version")
            let max = try f.readInt16("max_supported_version")
            try f.readTaggedFields("features")
            return Feature(name: name, minSupportedVersion: min, maxSupportedVersion: max)
        }
        rack = try reader.readNullableString("rack", compact: true)
        if (1...).contains(version) {
            isMigratingZkBroker = try reader.readBool("is_migrating_zk_broker")
        }
        if (2...).contains(version) {
            logDirs = try reader.readUuidArray("log_dirs", compact: true)
        }
        if (3...).contains(version) {
            previousBrokerEpoch = try reader.readInt64("previous_broker_epoch")
        }
        try reader.readTaggedFields("BrokerRegistrationRequest")
    }

    public func encode(to writer: inout WireWriter, version: Int16) {
        writer.writeInt32(brokerId)
        writer.writeString(clusterId, compact: true)
        writer.writeUuid(incarnationId)
        writer.writeArray(listeners, compact: true) { w, l in
            w.writeString(l.name, compact: true)
            w.writeString(l.host, compact: true)
            w.writeUInt16(l.port)
            w.writeInt16(l.securityProtocol)
            w.writeTaggedFields()
        }
        writer.writeArray(features, compact: true) { w, f in
            w.writeString(f.name, compact: true)
            w.writeInt16(f.minSupportedVersion)
            w.writeInt16(f.maxSupportedVersion)
            w.writeTaggedFields()
        }
        writer.writeNullableString(rack, compact: true)
        if (1...).contains(version) { writer.writeBool(isMigratingZkBroker) }
        if (2...).contains(version) { writer.writeUuidArray(logDirs, compact: true) }
        if (3...).contains(version) { writer.writeInt64(previousBrokerEpoch) }
        writer.writeTaggedFields()
    }
}

/// The new broker epoch, or why registration failed (DUPLICATE_BROKER_REGISTRATION,
/// INCONSISTENT_CLUSTER_ID, UNSUPPORTED_VERSION...). Mirrors `BrokerRegistrationResponseData`.
public struct BrokerRegistrationResponse: KafkaResponse, Equatable {
    public var throttleTimeMs: Int32
    public var errorCode: ErrorCode
    /// The broker's new epoch, -1 if none was assigned.
    public var brokerEpoch: Int64

    public init(throttleTimeMs: Int32 = 0, errorCode: ErrorCode = .none, brokerEpoch: Int64 = -1) {
        self.throttleTimeMs = throttleTimeMs
        self.errorCode = errorCode
        self.brokerEpoch = brokerEpoch
    }

    public init(from reader: inout WireReader, version: Int16) throws(DecodeError) {
        throttleTimeMs = try reader.readInt32("throttle_time_ms")
        errorCode = ErrorCode(rawValue: try reader.readInt16("error_code"))
        brokerEpoch = try reader.readInt64("broker_epoch")
        try reader.readTaggedFields("BrokerRegistrationResponse")
    }

    public func encode(to writer: inout WireWriter, version: Int16) {
        writer.writeInt32(throttleTimeMs)
        writer.writeInt16(errorCode.rawValue)
        writer.writeInt64(brokerEpoch)
        writer.writeTaggedFields()
    }
}
