// Protocol room: AlterConfigs (key 33), versions 0-2, flexible from v2. The older admin
// request that replaces a resource's whole set of dynamic configs (KIP-133).
//
// v1: same as v0; the response is sent before throttling.  v2: flexible.
// Every config not named is reset to its default, which is why clients moved to
// IncrementalAlterConfigs (KIP-339); kafka-python and confluent-kafka still send v0 and v1.

/// "Set exactly these configs on these resources." Mirrors Kafka's `AlterConfigsRequestData`.
///
/// Resource types are the `ConfigResource.Type` ids that DescribeConfigs uses
/// (`DescribeConfigsRequest.topicResourceType`, `.brokerResourceType`...).
public struct AlterConfigsRequest: KafkaRequest, Equatable {
    public typealias Response = AlterConfigsResponse
    public static let apiKey = ApiKey.alterConfigs
    public static let versions: ClosedRange<Int16> = 0...2
    public static let firstFlexibleVersion: Int16? = 2

    /// Kafka's `AlterableConfig`: one key and its new value.
    public struct Config: Equatable, Sendable {
        public var name: String
        /// nil removes the override (the key falls back to its default).
        public var value: String?

        public init(name: String, value: String?) {
            self.name = name
            self.value = value
        }
    }

    /// Kafka's `AlterConfigsResource`: the full new set of dynamic configs for one resource.
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
    /// Check the new configs, but change nothing.
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
                let value = try c.readNullableString("value", compact: flexible)
                if flexible { try c.readTaggedFields("configs") }
                return Config(name: name, value: value)
            }
            if flexible { try r.readTaggedFields("resources") }
            return Resource(resourceType: type, resourceName: name, configs: configs)
        }
        validateOnly = try reader.readBool("validate_only")
        if flexible { try reader.readTaggedFields("AlterConfigsRequest") }
    }

    public func encode(to writer: inout WireWriter, version: Int16) {
        let flexible = Self.isFlexible(version)
        writer.writeArray(resources, compact: flexible) { w, r in
            w.writeInt8(r.resourceType)
            w.writeString(r.resourceName, compact: flexible)
            w.writeArray(r.configs, compact: flexible) { w, c in
                w.writeString(c.name, compact: flexible)
                w.writeNullableString(c.value, compact: flexible)
                if flexible { w.writeTaggedFields() }
            }
            if flexible { w.writeTaggedFields() }
        }
        writer.writeBool(validateOnly)
        if flexible { writer.writeTaggedFields() }
    }
}

/// One answer per resource. Mirrors Kafka's `AlterConfigsResponseData`.
public struct AlterConfigsResponse: KafkaResponse, Equatable {
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
            &reader, flexible: AlterConfigsRequest.isFlexible(version), name: "AlterConfigsResponse")
    }

    public func encode(to writer: inout WireWriter, version: Int16) {
        AlterConfigsResourceResponse.writeBody(
            &writer, throttleTimeMs: throttleTimeMs, responses: responses, flexible: AlterConfigsRequest.isFlexible(version))
    }
}
