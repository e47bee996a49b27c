// Fuzz harness: what one fuzz input goes through. The bytes are a request frame without its
// size prefix, fed to RequestFraming and the API codecs, the record-batch readers and a Broker.

import Cluster
import NIOCore

/// Runs every decoder the broker reaches on one input, and checks the properties that must
/// hold whatever the bytes: no trap, decode-encode-decode gives the same value, and the
/// broker answers only what RequestFraming and the codec accept.
enum FuzzTarget {
    static func run(_ frame: ByteBuffer) {
        let decoded = checkFraming(frame)
        RecordBatchChecks.check(frame)
        checkBroker(frame, requestDecoded: decoded)
    }

    /// (a) Header and body under every API the catalog knows. Returns whether a dispatched
    /// request decoded (nil when the frame was not dispatched).
    private static func checkFraming(_ frame: ByteBuffer) -> Bool? {
        switch RequestFraming.prepare(
            frame, supported: FuzzCatalog.supported, firstFlexible: FuzzCatalog.firstFlexible)
        {
        case .close:
            return nil
        case .unsupportedVersion(let header, let supported):
            precondition(
                header.apiKey != .apiVersions && !supported.contains(header.apiVersion),
                "only a version outside the served range of another API is refused")
            return nil
        case .unsupportedApiVersions(let header):
            precondition(
                header.apiKey == .apiVersions, "only ApiVersions is answered at an unknown version")
            return nil
        case .dispatch(let request):
            guard let codec = FuzzCatalog.codec(for: request.header.apiKey) else {
                preconditionFailure(
                    "RequestFraming dispatched \(request.header.apiKey.name), not in the catalog")
            }
            return codec.check(request)
        }
    }

    /// (c) The broker itself: a fresh one per input, so inputs stay independent.
    private static func checkBroker(_ frame: ByteBuffer, requestDecoded: Bool?) {
        var broker = Broker(
            identity: BrokerIdentity(
                nodeID: NodeID(1), clusterID: "fuzz-cluster", host: "127.0.0.1", port: 9092))
        switch broker.handle(frame: frame, now: .zero) {
        case .close:
            break
        case .noResponse(let trace):
            // acks=0 produce: no answer, but only for a request that decoded.
            precondition(requestDecoded == true, "broker took \(trace.apiKey.name) v\(trace.apiVersion), which does not decode")
        case .parked:
            precondition(requestDecoded == true, "broker parked a request that does not decode")
        case .respond(let response, let trace):
            precondition(
                trace.requestBytes == frame.readableBytes,
                "trace.requestBytes differs from the frame")
            precondition(
                trace.responseBytes == response.readableBytes,
                "trace.responseBytes differs from the reply")
            let unsupported =
                trace.apiKey == .apiVersions
                && !ApiVersionsRequest.versions.contains(trace.apiVersion)
            precondition(
                unsupported || requestDecoded == true,
                "broker answered \(trace.apiKey.name) v\(trace.apiVersion), which does not decode")
            guard let codec = FuzzCatalog.codec(for: trace.apiKey) else { return }
            codec.checkResponseFrame(response, trace)
        }
    }
}
