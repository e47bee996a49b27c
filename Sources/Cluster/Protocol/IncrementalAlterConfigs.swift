// Protocol room: IncrementalAlterConfigs (key 44), versions 0-1, flexible from v1. The admin
// request that sets, deletes, appends to or subtracts from single config keys (KIP-339).
//
// v0: the first version (Kafka 2.3).  v1: flexible.
// Unlike AlterConfigs, keys not named keep their values; that makes it the request
// `kafka-configs.sh --alter` and today's admin clients send.

/// "Change just these config keys." Mirrors Kafka's `IncrementalAlterConfigsRequestData`.
///
/// Resource types are the `ConfigResource.Type` ids that DescribeConfigs uses
/// (`DescribeConfigsRequest.topicResourceType`, `.brokerResourceType`...).
public struct IncrementalAlterConfigsRequest: KafkaRequest, Equatable {
    public typealias Response = IncrementalAlterConfigsResponse
    public static let apiKey = ApiKey.incrementalAlterConfigs
    public static let versions: ClosedRange<Int16> = 0...1
    public static let firstFlexibleVersion: Int16? = 1

    /// What to do with one key. Mirrors Kafka's `AlterConfigOp.OpType`. A struct over the
    /// wire's int8, so an id we do not know still decodes and can be refused by name
    /// (Kafka answers INVALID_REQUEST) instead of failing the whole request.
    public struct ConfigOperation: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        public var rawValue: Int8
        public init(rawValue: Int8) { self.rawValue = rawValue }

        /// Give the key this value.
        public static let set = ConfigOperation(rawValue: 0)
        /// Remove the override; the key falls back to the broker's or the built-in default.
        public static let delete = ConfigOperation(rawValue: 1)
        /// Add the value to a list config (`cleanup.policy=compact,delete`).
        public static let append = ConfigOperation(rawValue: 2)
        /// Remove the value from a list config.
        public static let subtract = ConfigOperation(rawValue: 3)

        /// Kafka's name (`SET`, `DELETE`, `APPEND`, `SUBTRACT`), or `OpType(<n>)`.
        public var description: String {
            switch rawValue {
            case 0: return "SET"
            case 1: return "DELETE"
            case 2: return "APPEND"
            case 3: return "SUBTRACT"
            default: return "OpType(\(rawValue))"
            }
        }
    }

    /// Kafka's `AlterableConfig`: one key, what to do with it, and the value to use.
    public struct Config: Equatable, Sendable {
        public var name: String
        public var configOperation: ConfigOperation
        /// Ignored for DELETE; clients send null there.
        public var value: String?

        public init(name: String, configOperation: ConfigOperation = .set, value: String?) {
            self.name = name
            self.configOperation = configOperation
            self.value = value
        }
    }

    /// Kafka's `AlterConfigsResource`: the changes for one resource.
    public struct Resource: Equatable, Sendable {
        public var resourceType: Int8
        /// A topic name, or a broker id as text ("" for the cluster-wide default).
        public var resourceName: String
        public var configs: [Config]

        public init(resourceType: Int8, resourceName: String, configs: [Config] = []) {
            self.resourceType = resourceType
            self.resourceName = resourceName
            self.configs = configs
        }
    }

    public var resources: [Resource]
    /// Check the changes, but apply nothing.
    public var validateOnly: Bool

    public init(resources: [Resource] = [], validateOnly: Bool = false) {
        self.resources = resources
        self.validateOnly = validateOnly
    }

    public init(from reader: inout WireReader, version: Int16) throws(DecodeError) {
        let flexible = Self.isFlexible(version)
        resources = try reader.readArray("resources", compact: flexible) { r throws(DecodeError) in
            let type = try r.readInt8("resource_type")
            let name = try r.readString("resource_name", compact: flexible)
            let configs = try r.readArray("configs", compact: flexible) { c throws(DecodeError) in
                let name = try c.readString("name", compact: flexible)
                let operation = ConfigOperation(rawValue: try c.readInt8("config_operation"))
                let value = try c.readNullableString("value", compact: flexible)
                if flexible { try c.readTaggedFields("configs") }
                return Config(name: name, configOperation: operation, value: value)
            }
            if flexible { try r.readTaggedFields("resources") }
            return Resource(resourceType: type, resourceName: name, configs: configs)
        }
        validateOnly = try reader.readBool("validate_only")
        if flexible { try reader.readTaggedFields("IncrementalAlterConfigsRequest") }
    }

    public func encode(to writer: inout WireWriter, version: Int16) {
        let flexible = Self.isFlexible(version)
        writer.writeArray(resources, compact: flexible) { w, r in
            w.writeInt8(r.resourceType)
            w.writeString(r.resourceName, compact: flexible)
            w.writeArray(r.configs, compact: flexible) { w, c in
                w.writeString(c.name, compact: flexible)
                w.writeInt8(c.configOperation.rawValue)
                w.writeNullableString(c.value, compact: flexible)
                if flexible { w.writeTaggedFields() }
            }
            if flexible { w.writeTaggedFields() }
        }
        writer.writeBool(validateOnly)
        if flexible { writer.writeTaggedFields() }
    }
}

/// One answer per resource. Mirrors Kafka's `IncrementalAlterConfigsResponseData`.
public struct IncrementalAlterConfigsResponse: KafkaResponse, Equatable {
    /// Kafka's `AlterConfigsResourceResponse`, shared with the other config-altering API.
    public typealias ResourceResponse = AlterConfigsResourceResponse

    public var throttleTimeMs: Int32
    public var responses: [ResourceResponse]

    public init(throttleTimeMs: Int32 = 0, responses: [ResourceResponse] = []) {
        self.throttleTimeMs = throttleTimeMs
        self.responses = responses
    }

    public init(from reader: inout WireReader, version: Int16) throws(DecodeError) {
        (throttleTimeMs, responses) = try AlterConfigsResourceResponse.readBody(
            &reader, flexible: IncrementalAlterConfigsRequest.isFlexible(version), name: "IncrementalAlterConfigsResponse")
    }

    public func encode(to writer: inout WireWriter, version: Int16) {
        AlterConfigsResourceResponse.writeBody(
            &writer, throttleTimeMs: throttleTimeMs, responses: responses, flexible: IncrementalAlterConfigsRequest.isFlexible(version))
    }
}
