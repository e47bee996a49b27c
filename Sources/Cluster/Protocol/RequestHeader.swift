// Protocol room: the request header (v0-v2) and response header (v0-v1) that wrap
// every message body.

/// The header in front of every request body.
///
/// v0 has key, version and correlation id; v1 adds the client id (a nullable, never compact,
/// string, even in flexible versions); v2 adds tagged fields.
public struct RequestHeader: Equatable, Sendable {
    public var apiKey: ApiKey
    public var apiVersion: Int16
    public var correlationId: Int32
    public var clientId: String?

    public init(apiKey: ApiKey, apiVersion: Int16, correlationId: Int32, clientId: String?) {
        self.apiKey = apiKey
        self.apiVersion = apiVersion
        self.correlationId = correlationId
        self.clientId = clientId
    }

    /// Reads key and version only: enough to decide which header version follows.
    public static func peekKeyAndVersion(_ reader: WireReader) throws(DecodeError) -> (ApiKey, Int16) {
        var copy = reader
        let key = ApiKey(rawValue: try copy.readInt16("request_api_key"))
        let version = try copy.readInt16("request_api_version")
        return (key, version)
    }

    public init(from reader: inout WireReader, headerVersion: Int16) throws(DecodeError) {
        apiKey = ApiKey(rawValue: try reader.readInt16("request_api_key"))
        apiVersion = try reader.readInt16("request_api_version")
        correlationId = try reader.readInt32("correlation_id")
        clientId = headerVersion >= 1 ? try reader.readNullableString("client_id", compact: false) : nil
        if headerVersion >= 2 { try reader.readTaggedFields("request_header") }
    }

    public func encode(to writer: inout WireWriter, headerVersion: Int16) {
        writer.writeInt16(apiKey.rawValue)
        writer.writeInt16(apiVersion)
        writer.writeInt32(correlationId)
        if headerVersion >= 1 { writer.writeNullableString(clientId, compact: false) }
        if headerVersion >= 2 { writer.writeTaggedFields() }
    }
}

/// The header in front of every response body: the correlation id, and from v1 tagged fields.
public struct ResponseHeader: Equatable, Sendable {
    public var correlationId: Int32

    public init(correlationId: Int32) { self.correlationId = correlationId }

    public init(from reader: inout WireReader, headerVersion: Int16) throws(DecodeError) {
        correlationId = try reader.readInt32("correlation_id")
        if headerVersion >= 1 { try reader.readTaggedFields("response_header") }
    }

    public func encode(to writer: inout WireWriter, headerVersion: Int16) {
        writer.writeInt32(correlationId)
        if headerVersion >= 1 { writer.writeTaggedFields() }
    }
}
