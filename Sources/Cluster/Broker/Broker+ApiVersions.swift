// Broker room: ApiVersions. Lists exactly the APIs in `handledRequests`, and answers a
// version it does not know with UNSUPPORTED_VERSION in a v0 body so the client can retry lower.


import NIOCore
extension Broker {
    /// The version ranges this broker really implements, sorted by key.
    public static var advertisedApiVersions: [ApiVersionsResponse.ApiVersion] {
        handledRequests
            .map { ApiVersionsResponse.ApiVersion(apiKey: $0.apiKey, minVersion: $0.versions.lowerBound,
                                                  maxVersion: $0.versions.upperBound) }
            .sorted { $0.apiKey < $1.apiKey }
    }

    func handleApiVersions(_ request: ApiVersionsRequest, header: RequestHeader)
        -> (ApiVersionsResponse, ErrorCode)
    {
        (ApiVersionsResponse(apiKeys: Self.advertisedApiVersions), .none)
    }

    func unsupportedApiVersions(_ header: RequestHeader, requestBytes: Int) -> BrokerReply {
        let range = ApiVersionsRequest.versions
        let body = ApiVersionsResponse(
            errorCode: .unsupportedVersion,
            apiKeys: [.init(apiKey: .apiVersions, minVersion: range.lowerBound, maxVersion: range.upperBound)])
        let frame = RequestFraming.responseFrame(
            ApiVersionsRequest.self, version: 0, correlationId: header.correlationId, body: body)
        let trace = RequestTrace(
            apiKey: .apiVersions, apiVersion: header.apiVersion, correlationId: header.correlationId,
            clientId: header.clientId, requestBytes: requestBytes, responseBytes: frame.readableBytes,
            errorCode: .unsupportedVersion)
        return .respond(frame, trace)
    }
}

extension Broker {
    /// An ApiVersions answer listing `supported` (another listener's set, e.g. CONTROLLER),
    /// v0-shaped when the asked version is unknown, as `unsupportedApiVersions` is.
    static func apiVersionsFrame(for header: RequestHeader, supported: [any KafkaRequest.Type], error: ErrorCode) -> ByteBuffer {
        let keys = supported.map {
            ApiVersionsResponse.ApiVersion(apiKey: $0.apiKey, minVersion: $0.versions.lowerBound, maxVersion: $0.versions.upperBound)
        }.sorted { $0.apiKey < $1.apiKey }
        let unknown = error == .unsupportedVersion
        let body = ApiVersionsResponse(errorCode: error, apiKeys: keys)
        return RequestFraming.responseFrame(
            ApiVersionsRequest.self, version: unknown ? 0 : header.apiVersion, correlationId: header.correlationId, body: body)
    }
}
