// Protocol room: the per-resource answer that AlterConfigs (33) and IncrementalAlterConfigs
// (44) share; Kafka's schemas give both the same `AlterConfigsResourceResponse` shape.

/// One resource's result: error code and message, and which resource it was.
public struct AlterConfigsResourceResponse: Equatable, Sendable {
    public var errorCode: ErrorCode
    public var errorMessage: String?
    public var resourceType: Int8
    public var resourceName: String

    public init(errorCode: ErrorCode = .none, errorMessage: String? = nil, resourceType: Int8, resourceName: String) {
        self.errorCode = errorCode
        self.errorMessage = errorMessage
        self.resourceType = resourceType
        self.resourceName = resourceName
    }

    /// The whole response body both APIs use: throttle time, the resource array, tagged fields.
    static func readBody(_ reader: inout WireReader, flexible: Bool, name: String) throws(DecodeError)
        -> (throttleTimeMs: Int32, responses: [AlterConfigsResourceResponse])
    {
        let throttle = try reader.readInt32("throttle_time_ms")
        let responses = try reader.readArray("responses", compact: flexible) { r throws(DecodeError) in
            let errorCode = ErrorCode(rawValue: try r.readInt16("error_code"))
            let message = try r.readNullableString("error_message", compact: flexible)
            let type = try r.readInt8("resource_type")
            let resource = try r.readString("resource_name", compact: flexible)
            if flexible { try r.readTaggedFields("responses") }
            return AlterConfigsResourceResponse(errorCode: errorCode, errorMessage: message, resourceType: type, resourceName: resource)
        }
        if flexible { try reader.readTaggedFields(name) }
        return (throttle, responses)
    }

    static func writeBody(_ writer: inout WireWriter, throttleTimeMs: Int32, responses: [AlterConfigsResourceResponse], flexible: Bool) {
        writer.writeInt32(throttleTimeMs)
        writer.writeArray(responses, compact: flexible) { w, r in
            w.writeInt16(r.errorCode.rawValue)
            w.writeNullableString(r.errorMessage, compact: flexible)
            w.writeInt8(r.resourceType)
            w.writeString(r.resourceName, compact: flexible)
            if flexible { w.writeTaggedFields() }
        }
        if flexible { writer.writeTaggedFields() }
    }
}
