// Broker room: routes a request frame to its API handler by key, and turns decode failures
// into what Kafka does with them (close the connection).

import NIOCore

extension Broker {
    /// Every request type this broker answers. ApiVersions is built from this list, so adding
    /// an API here and a `case` below is all it takes to advertise it.
    public static let handledRequests: [any KafkaRequest.Type] = [
        ApiVersionsRequest.self
    ]

    static let supportedVersions: [ApiKey: ClosedRange<Int16>] = Dictionary(
        uniqueKeysWithValues: handledRequests.map { ($0.apiKey, $0.versions) })
    static let firstFlexibleVersions: [ApiKey: Int16] = Dictionary(
        uniqueKeysWithValues: handledRequests.compactMap { t in t.firstFlexibleVersion.map { (t.apiKey, $0) } })

    /// Handles one request frame (its size prefix already removed).
    public mutating func handle(frame: ByteBuffer, now: Instant) -> BrokerReply {
        switch RequestFraming.prepare(
            frame, supported: Self.supportedVersions, firstFlexible: Self.firstFlexibleVersions)
        {
        case .close(let reason):
            return .close(reason: reason, nil)
        case .unsupportedApiVersions(let header):
            return unsupportedApiVersions(header, requestBytes: frame.readableBytes)
        case .dispatch(var request):
            switch request.header.apiKey {
            case .apiVersions:
                return serve(ApiVersionsRequest.self, &request) { broker, req, header in
                    broker.handleApiVersions(req, header: header)
                }
            default:
                return .close(reason: "no handler for \(request.header.apiKey.name)", nil)
            }
        }
    }

    /// Decodes the body as `R`, calls the handler and frames its response. A body that does
    /// not decode closes the connection, as Kafka's SocketServer does for invalid requests.
    mutating func serve<R: KafkaRequest>(
        _ type: R.Type, _ request: inout RequestFrame,
        _ handler: (inout Broker, R, RequestHeader) -> (R.Response, ErrorCode)
    ) -> BrokerReply {
        let header = request.header
        var trace = RequestTrace(
            apiKey: header.apiKey, apiVersion: header.apiVersion, correlationId: header.correlationId,
            clientId: header.clientId, requestBytes: request.size, responseBytes: 0, errorCode: .none)
        let decoded: R
        do {
            decoded = try R(from: &request.body, version: header.apiVersion)
        } catch {
            return .close(reason: "\(header.apiKey.name) v\(header.apiVersion): \(error)", trace)
        }
        let (response, error) = handler(&self, decoded, header)
        let frame = RequestFraming.responseFrame(
            R.self, version: header.apiVersion, correlationId: header.correlationId, body: response)
        trace.responseBytes = frame.readableBytes
        trace.errorCode = error
        return .respond(frame, trace)
    }
}
