// Protocol room: ApiVersions (key 18), versions 0-3. v1 adds throttle_time_ms; v3 is
// flexible and adds client_software_name/version plus the feature tagged fields (KIP-511, KIP-584).

import NIOCore

/// The first request every client sends: "which versions of which APIs do you speak?"
public struct ApiVersionsRequest: KafkaRequest, Equatable {
    public typealias Response = ApiVersionsResponse
    public static let apiKey = ApiKey.apiVersions
    public static let versions: ClosedRange<Int16> = 0...3
    public static let firstFlexibleVersion: Int16? = 3

    public var clientSoftwareName: String
    public var clientSoftwareVersion: String

    public init(clientSoftwareName: String = "", clientSoftwareVersion: String = "") {
        self.clientSoftwareName = clientSoftwareName
        self.clientSoftwareVersion = clientSoftwareVersion
    }

    public init(from reader: inout WireReader, version: Int16) throws(DecodeError) {
        clientSoftwareName = ""
        clientSoftwareVersion = ""
        if version >= 3 {
            clientSoftwareName = try reader.readString("client_software_name", compact: true)
            clientSoftwareVersion = try reader.readString("client_software_version", compact: true)
            try reader.readTaggedFields("ApiVersionsRequest")
        }
    }

    public func encode(to writer: inout WireWriter, version: Int16) {
        if version >= 3 {
            writer.writeString(clientSoftwareName, compact: true)
            writer.writeString(clientSoftwareVersion, compact: true)
            writer.writeTaggedFields()
        }
    }
}

/// The broker's answer: an error code and one version range per implemented API.
public struct ApiVersionsResponse: KafkaResponse, Equatable {
    public struct ApiVersion: Equatable, Sendable {
        public var apiKey: ApiKey
        public var minVersion: Int16
        public var maxVersion: Int16
        public init(apiKey: ApiKey, minVersion: Int16, maxVersion: Int16) {
            self.apiKey = apiKey
            self.minVersion = minVersion
            self.maxVersion = maxVersion
        }
    }

    /// A feature's version range (KIP-584); we advertise none yet.
    public struct FeatureRange: Equatable, Sendable {
        public var name: String
        public var minVersion: Int16
        public var maxVersion: Int16
    }

    public var errorCode: ErrorCode
    public var apiKeys: [ApiVersion]
    public var throttleTimeMs: Int32
    public var supportedFeatures: [FeatureRange]
    /// -1 means "no finalized features", the default, which is then left off the wire.
    public var finalizedFeaturesEpoch: Int64
    public var finalizedFeatures: [FeatureRange]
    public var zkMigrationReady: Bool

    public init(
        errorCode: ErrorCode = .none, apiKeys: [ApiVersion], throttleTimeMs: Int32 = 0,
        supportedFeatures: [FeatureRange] = [], finalizedFeaturesEpoch: Int64 = -1,
        finalizedFeatures: [FeatureRange] = [], zkMigrationReady: Bool = false
    ) {
        self.errorCode = errorCode
        self.apiKeys = apiKeys
        self.throttleTimeMs = throttleTimeMs
        self.supportedFeatures = supportedFeatures
        self.finalizedFeaturesEpoch = finalizedFeaturesEpoch
        self.finalizedFeatures = finalizedFeatures
        self.zkMigrationReady = zkMigrationReady
    }

    private static let supportedFeaturesTag: UInt32 = 0
    private static let finalizedFeaturesEpochTag: UInt32 = 1
    private static let finalizedFeaturesTag: UInt32 = 2
    private static let zkMigrationReadyTag: UInt32 = 3

    public init(from reader: inout WireReader, version: Int16) throws(DecodeError) {
        let flexible = version >= 3
        errorCode = ErrorCode(rawValue: try reader.readInt16("error_code"))
        apiKeys = try reader.readArray("api_keys", compact: flexible) { r throws(DecodeError) in
            let key = ApiKey(rawValue: try r.readInt16("api_key"))
            let min = try r.readInt16("min_version")
            let max = try r.readInt16("max_version")
            if flexible { try r.readTaggedFields("api_keys") }
            return ApiVersion(apiKey: key, minVersion: min, maxVersion: max)
        }
        throttleTimeMs = version >= 1 ? try reader.readInt32("throttle_time_ms") : 0
        var supported: [FeatureRange] = []
        var epoch: Int64 = -1
        var finalized: [FeatureRange] = []
        var migration = false
        if flexible {
            try reader.readTaggedFields("ApiVersionsResponse") { tag, r throws(DecodeError) in
                switch tag {
                case Self.supportedFeaturesTag: supported = try Self.readFeatures(&r, "supported_features")
                case Self.finalizedFeaturesEpochTag: epoch = try r.readInt64("finalized_features_epoch")
                case Self.finalizedFeaturesTag: finalized = try Self.readFeatures(&r, "finalized_features")
                case Self.zkMigrationReadyTag: migration = try r.readBool("zk_migration_ready")
                default: break
                }
            }
        }
        supportedFeatures = supported
        finalizedFeaturesEpoch = epoch
        finalizedFeatures = finalized
        zkMigrationReady = migration
    }

    private static func readFeatures(_ r: inout WireReader, _ field: String) throws(DecodeError) -> [FeatureRange] {
        try r.readArray(field, compact: true) { e throws(DecodeError) in
            let name = try e.readString("name", compact: true)
            let min = try e.readInt16("min_version")
            let max = try e.readInt16("max_version")
            try e.readTaggedFields(field)
            return FeatureRange(name: name, minVersion: min, maxVersion: max)
        }
    }

    private static func writeFeatures(_ features: [FeatureRange]) -> ByteBuffer {
        var w = WireWriter()
        w.writeArray(features, compact: true) { w, f in
            w.writeString(f.name, compact: true)
            w.writeInt16(f.minVersion)
            w.writeInt16(f.maxVersion)
            w.writeTaggedFields()
        }
        return w.buffer
    }

    public func encode(to writer: inout WireWriter, version: Int16) {
        let flexible = version >= 3
        writer.writeInt16(errorCode.rawValue)
        writer.writeArray(apiKeys, compact: flexible) { w, k in
            w.writeInt16(k.apiKey.rawValue)
            w.writeInt16(k.minVersion)
            w.writeInt16(k.maxVersion)
            if flexible { w.writeTaggedFields() }
        }
        if version >= 1 { writer.writeInt32(throttleTimeMs) }
        guard flexible else { return }
        // Tagged fields go out only when they differ from their defaults, as Apache Kafka
        // does: librdkafka 2.0.2 (Debian's kcat) misreads a response that always has them.
        var tags: [(tag: UInt32, bytes: ByteBuffer)] = []
        if !supportedFeatures.isEmpty {
            tags.append((Self.supportedFeaturesTag, Self.writeFeatures(supportedFeatures)))
        }
        if finalizedFeaturesEpoch != -1 {
            var w = WireWriter()
            w.writeInt64(finalizedFeaturesEpoch)
            tags.append((Self.finalizedFeaturesEpochTag, w.buffer))
        }
        if !finalizedFeatures.isEmpty {
            tags.append((Self.finalizedFeaturesTag, Self.writeFeatures(finalizedFeatures)))
        }
        if zkMigrationReady {
            var w = WireWriter()
            w.writeBool(true)
            tags.append((Self.zkMigrationReadyTag, w.buffer))
        }
        writer.writeTaggedFields(tags)
    }
}
