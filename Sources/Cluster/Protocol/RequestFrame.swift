// Protocol room: one request frame split into header and body, with the rules for which
// header version applies and what to do with unknown keys and versions.

import NIOCore

/// A decoded request header plus the unread body bytes.
public struct RequestFrame {
    public var header: RequestHeader
    public var body: WireReader
    /// The frame's size on the wire (for tracing).
    public var size: Int
}

/// What a broker should do with a frame before any API handler sees it.
public enum FramePreparation {
    /// A supported API at a supported version: hand the body to its handler.
    case dispatch(RequestFrame)
    /// ApiVersions at a version we do not know: answer v0 with UNSUPPORTED_VERSION so the
    /// client can retry lower (Kafka's behaviour, which every client relies on).
    case unsupportedApiVersions(RequestHeader)
    /// A known API other than ApiVersions at a version we do not serve, for example Produce
    /// v2 from a client library older than Kafka 2.1: Kafka 4 closes the connection without an
    /// answer (its `SocketServer` refuses the header before any handler runs; KIP-896 removed
    /// the oldest versions). The header parsed, so the refusal can name the client.
    case unsupportedVersion(RequestHeader, supported: ClosedRange<Int16>)
    /// An unknown API key or a header that does not parse: Kafka closes the connection; so
    /// do we.
    case close(reason: String)
}

public enum RequestFraming {
    /// Splits a frame (size prefix already removed) given the APIs the broker implements.
    public static func prepare(
        _ frame: ByteBuffer, supported: [ApiKey: ClosedRange<Int16>], firstFlexible: [ApiKey: Int16]
    ) -> FramePreparation {
        var reader = WireReader(frame)
        let key: ApiKey
        let version: Int16
        do {
            (key, version) = try RequestHeader.peekKeyAndVersion(reader)
        } catch {
            return .close(reason: "request header: \(error)")
        }
        guard let range = supported[key] else {
            return .close(reason: "unknown API key \(key.rawValue)")
        }
        let flexible = firstFlexible[key].map { version >= $0 } ?? false
        let headerVersion: Int16 = flexible ? 2 : 1
        let header: RequestHeader
        do {
            header = try RequestHeader(from: &reader, headerVersion: headerVersion)
        } catch {
            return .close(reason: "request header: \(error)")
        }
        guard range.contains(version) else {
            if key == .apiVersions {
                // Newer than we know: answered, so the client can negotiate. Below v0: no version.
                if version > range.upperBound { return .unsupportedApiVersions(header) }
                return .close(reason: "ApiVersions v\(version) is not a version")
            }
            return .unsupportedVersion(header, supported: range)
        }
        return .dispatch(RequestFrame(header: header, body: reader, size: frame.readableBytes))
    }

    /// A whole response frame: size prefix, response header, body.
    public static func responseFrame<R: KafkaRequest>(
        _ type: R.Type, version: Int16, correlationId: Int32, body: R.Response
    ) -> ByteBuffer {
        var writer = WireWriter()
        writer.writeInt32(0)  // size, patched below
        ResponseHeader(correlationId: correlationId)
            .encode(to: &writer, headerVersion: R.responseHeaderVersion(version))
        body.encode(to: &writer, version: version)
        let size = Int32(writer.buffer.readableBytes - 4)
        writer.buffer.setInteger(size, at: writer.buffer.readerIndex, endianness: .big)
        return writer.buffer
    }

    /// A whole request frame, as a client sends it.
    public static func requestFrame<R: KafkaRequest>(
        _ request: R, version: Int16, correlationId: Int32, clientId: String?
    ) -> ByteBuffer {
        var writer = WireWriter()
        writer.writeInt32(0)
        RequestHeader(apiKey: R.apiKey, apiVersion: version, correlationId: correlationId, clientId: clientId)
            .encode(to: &writer, headerVersion: R.requestHeaderVersion(version))
        request.encode(to: &writer, version: version)
        let size = Int32(writer.buffer.readableBytes - 4)
        writer.buffer.setInteger(size, at: writer.buffer.readerIndex, endianness: .big)
        return writer.buffer
    }
}
