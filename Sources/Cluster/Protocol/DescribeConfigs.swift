// Protocol room: DescribeConfigs (key 32), versions 1-4, flexible from v4. Reads topic and
// broker configurations, with where each value came from and (v3) its type and documentation.
//
// v1: include_synonyms; config_source and synonyms in the response (is_default is gone).
// v2: responses are sent before throttling.  v3: include_documentation; config_type and
// documentation in the response (KIP-569).  v4: flexible.

/// "Show me these resources' configs." Mirrors Kafka's `DescribeConfigsRequestData`.
public struct DescribeConfigsRequest: KafkaRequest, Equatable {
    public typealias Response = DescribeConfigsResponse
    public static let apiKey = ApiKey.describeConfigs
    public static let versions: ClosedRange<Int16> = 1...4
    public static let firstFlexibleVersion: Int16? = 4

    /// Kafka's `ConfigResource.Type` ids used on the wire.
    public static let topicResourceType: Int8 = 2
    public static let brokerResourceType: Int8 = 4
    public static let brokerLoggerResourceType: Int8 = 8

    /// Kafka's `DescribeConfigsResource`.
    public struct Resource: Equatable, Sendable {
        public var resourceType: Int8
        /// A topic name, or a broker id as text ("" for the cluster-wide default).
        public var resourceName: String
        /// nil asks for every key.
        public var configurationKeys: [String]?

        public init(resourceType: Int8, resourceName: String, configurationKeys: [String]? = nil) {
            self.resourceType = resourceType
            self.resourceName = resourceName
            self.configurationKeys = configurationKeys
        }
    }

    public var resources: [Resource]
    public var includeSynonyms: Bool
    /// v3+.
    public var includeDocumentation: Bool

    public init(
        resources: [Resource] = [], includeSynonyms: Bool = false,
        includeDocumentation: Bool = false
    ) {
        self.resources = resources
        self.includeSynonyms = includeSynonyms
        self.includeDocumentation = includeDocumentation
    }

    public init(from reader: inout WireReader, version: Int16) throws(DecodeError) {
        let flexible = Self.isFlexible(version)
        resources = try reader.readArray("resources", compact: flexible) { r throws(DecodeError) in
            let type = try r.readInt8("resource_type")
            let name = try r.readString("resource_name", compact: flexible)
            let keys = try r.readNullableStringArray("configuration_keys", compact: flexible)
            if flexible { try r.readTaggedFields("resources") }
            return Resource(resourceType: type, resourceName: name, configurationKeys: keys)
        }
        includeSynonyms = version >= 1 ? try reader.readBool("include_synonyms") : false
        includeDocumentation = version >= 3 ? try reader.readBool("include_documentation") : false
        if flexible { try reader.readTaggedFields("DescribeConfigsRequest") }
    }

    public func encode(to writer: inout WireWriter, version: Int16) {
        let flexible = Self.isFlexible(version)
        writer.writeArray(resources, compact: flexible) { w, r in
            w.writeInt8(r.resourceType)
            w.writeString(r.resourceName, compact: flexible)
            w.writeNullableStringArray(r.configurationKeys, compact: flexible)
            if flexible { w.writeTaggedFields() }
        }
        if version >= 1 { writer.writeBool(includeSynonyms) }
        if version >= 3 { writer.writeBool(includeDocumentation) }
        if flexible { writer.writeTaggedFields() }
    }
}

/// Each resource's configs. Mirrors Kafka's `DescribeConfigsResponseData`.
public struct DescribeConfigsResponse: KafkaResponse, Equatable {
    /// Kafka's `DescribeConfigsSynonym`: another place the same setting is defined, in
    /// precedence order (a topic override, then the broker's, then the default).
    public struct Synonym: Equatable, Sendable {
        public var name: String
        public var value: String?
        public var source: Int8

        public init(name: String, value: String?, source: Int8) {
            self.name = name
            self.value = value
            self.source = source
        }
    }

    /// Kafka's `DescribeConfigsResourceResult`: one config entry.
    public struct Config: Equatable, Sendable {
        /// `ConfigSource` ids: 1 DYNAMIC_TOPIC_CONFIG, 2 DYNAMIC_BROKER_CONFIG,
        /// 3 DYNAMIC_DEFAULT_BROKER_CONFIG, 4 STATIC_BROKER_CONFIG, 5 DEFAULT_CONFIG,
        /// 6 DYNAMIC_BROKER_LOGGER_CONFIG, 7 CLIENT_METRICS_CONFIG, 8 GROUP_CONFIG.
        public static let defaultConfigSource: Int8 = 5

        public var name: String
        /// nil for sensitive values and unset ones.
        public var value: String?
        public var readOnly: Bool
        public var configSource: Int8
        public var isSensitive: Bool
        public var synonyms: [Synonym]
        /// v3+: 1 BOOLEAN, 2 STRING, 3 INT, 4 SHORT, 5 LONG, 6 DOUBLE, 7 LIST, 8 CLASS,
        /// 9 PASSWORD; 0 UNKNOWN.
        public var configType: Int8
        /// v3+.
        public var documentation: String?

        public init(
            name: String, value: String?, readOnly: Bool = false, configSource: Int8 = -1,
            isSensitive: Bool = false, synonyms: [Synonym] = [], configType: Int8 = 0,
            documentation: String? = nil
        ) {
            self.name = name
            self.value = value
            self.readOnly = readOnly
            self.configSource = configSource
            self.isSensitive = isSensitive
            self.synonyms = synonyms
            self.configType = configType
            self.documentation = documentation
        }
    }

    /// Kafka's `DescribeConfigsResult`: one resource's answer.
    public struct ResourceResult: Equatable, Sendable {
        public var errorCode: ErrorCode
        public var errorMessage: String?
        public var resourceType: Int8
        public var resourceName: String
        public var configs: [Config]

        public init(
            errorCode: ErrorCode = .none, errorMessage: String? = nil, resourceType: Int8,
            resourceName: String, configs: [Config] = []
        ) {
            self.errorCode = errorCode
            self.errorMessage = errorMessage
            self.resourceType = resourceType
            self.resourceName = resourceName
            self.configs = configs
        }
    }

    public var throttleTimeMs: Int32
    public var results: [ResourceResult]

    public init(throttleTimeMs: Int32 = 0, results: [ResourceResult] = []) {
        self.throttleTimeMs = throttleTimeMs
        self.results = results
    }

    public init(from reader: inout WireReader, version: Int16) throws(DecodeError) {
        let flexible = DescribeConfigsRequest.isFlexible(version)
        throttleTimeMs = try reader.readInt32("throttle_time_ms")
        results = try reader.readArray("results", compact: flexible) { r throws(DecodeError) in
            let errorCode = ErrorCode(rawValue: try r.readInt16("error_code"))
            let message = try r.readNullableString("error_message", compact: flexible)
            let type = try r.readInt8("resource_type")
            let name = try r.readString("resource_name", compact: flexible)
            let configs = try r.readArray("configs", compact: flexible) { c throws(DecodeError) in
                try Self.readConfig(&c, version: version, flexible: flexible)
            }
            if flexible { try r.readTaggedFields("results") }
            return ResourceResult(
                errorCode: errorCode, errorMessage: message, resourceType: type, resourceName: name,
                configs: configs)
        }
        if flexible { try reader.readTaggedFields("DescribeConfigsResponse") }
    }

    private static func readConfig(_ c: inout WireReader, version: Int16, flexible: Bool)
        throws(DecodeError) -> Config
    {
        var config = Config(
            name: try c.readString("name", compact: flexible),
            value: try c.readNullableString("value", compact: flexible))
        config.readOnly = try c.readBool("read_only")
        config.configSource = try c.readInt8("config_source")
        config.isSensitive = try c.readBool("is_sensitive")
        config.synonyms = try c.readArray("synonyms", compact: flexible) { s throws(DecodeError) in
            let name = try s.readString("name", compact: flexible)
            let value = try s.readNullableString("value", compact: flexible)
            let source = try s.readInt8("source")
            if flexible { try s.readTaggedFields("synonyms") }
            return Synonym(name: name, value: value, source: source)
        }
        if version >= 3 {
            config.configType = try c.readInt8("config_type")
            config.documentation = try c.readNullableString("documentation", compact: flexible)
        }
        if flexible { try c.readTaggedFields("configs") }
        return config
    }

    public func encode(to writer: inout WireWriter, version: Int16) {
        let flexible = DescribeConfigsRequest.isFlexible(version)
        writer.writeInt32(throttleTimeMs)
        writer.writeArray(results, compact: flexible) { w, r in
            w.writeInt16(r.errorCode.rawValue)
            w.writeNullableString(r.errorMessage, compact: flexible)
            w.writeInt8(r.resourceType)
            w.writeString(r.resourceName, compact: flexible)
            w.writeArray(r.configs, compact: flexible) { w, c in
                w.writeString(c.name, compact: flexible)
                w.writeNullableString(c.value, compact: flexible)
                w.writeBool(c.readOnly)
                w.writeInt8(c.configSource)
                w.writeBool(c.isSensitive)
                w.writeArray(c.synonyms, compact: flexible) { w, s in
                    w.writeString(s.name, compact: flexible)
                    w.writeNullableString(s.value, compact: flexible)
                    w.writeInt8(s.source)
                    if flexible { w.writeTaggedFields() }
                }
                if version >= 3 {
                    w.writeInt8(c.configType)
                    w.writeNullableString(c.documentation, compact: flexible)
                }
                if flexible { w.writeTaggedFields() }
            }
            if flexible { w.writeTaggedFields() }
        }
        if flexible { writer.writeTaggedFields() }
    }
}
