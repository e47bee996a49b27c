// Fuzz harness: what one fuzz input goes through. In the frames modes the bytes are one request
// frame without its size prefix, fed to RequestFraming and the API codecs, the record-batch
// readers and a broker; in the sequence mode they are several frames for one broker.

import Cluster
import NIOCore

#if canImport(Glibc)
    import Glibc
#endif

/// What the harness does with an input, from `SWIFTKA_FUZZ_MODE` (an environment variable,
/// so libFuzzer's child processes for -merge and -fork inherit it).
enum FuzzMode: String {
    /// One frame to a broker restarted from the template state (FuzzState).
    case frames
    /// One frame to an empty broker: no topics, groups or producers (the harness before state).
    case fresh
    /// Several frames, in order, to one broker restarted from the template (FuzzSequence).
    case sequence

    static let current: FuzzMode = {
        guard let raw = getenv("SWIFTKA_FUZZ_MODE") else { return .frames }
        guard let mode = FuzzMode(rawValue: String(cString: raw)) else {
            preconditionFailure("SWIFTKA_FUZZ_MODE must be frames, fresh or sequence")
        }
        return mode
    }()
}

/// Runs every decoder the broker reaches on one input, and checks the properties that must
/// hold whatever the bytes: no trap, decode-encode-decode gives the same value, the broker
/// answers only what RequestFraming and the codec accept, and its logs stay consistent.
enum FuzzTarget {
    static func run(_ input: ByteBuffer) {
        switch FuzzMode.current {
        case .fresh:
            var world = FuzzWorld.empty()
            runFrame(input, on: &world)
            RecordBatchChecks.check(input)
        case .frames:
            var world = FuzzState.template.world()
            runFrame(input, on: &world)
            RecordBatchChecks.check(input)
        case .sequence:
            FuzzSequence.run(input)
        }
    }

    /// One frame through the codecs and `world`, with every check.
    static func runFrame(_ frame: ByteBuffer, on world: inout FuzzWorld) {
        let decoded = checkFraming(frame)
        let before = LogInvariants.marks(world.broker)
        let reply = world.handle(frame)
        checkReply(reply, frame: frame, requestDecoded: decoded)
        checkDeferred(world.broker.takeDeferred())
        LogInvariants.check(world.broker, since: before)
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

    /// (c) The broker's answer to the frame.
    private static func checkReply(_ reply: BrokerReply, frame: ByteBuffer, requestDecoded: Bool?) {
        switch reply {
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

    /// Answers to parked requests (completed by this frame or by time) must be frames the
    /// codec reads back, like direct answers.
    static func checkDeferred(_ replies: [DeferredReply]) {
        for reply in replies {
            precondition(
                reply.trace.responseBytes == reply.frame.readableBytes,
                "deferred trace.responseBytes differs from the reply")
            guard let codec = FuzzCatalog.codec(for: reply.trace.apiKey) else {
                preconditionFailure("a deferred \(reply.trace.apiKey.name) answer, not in the catalog")
            }
            codec.checkResponseFrame(reply.frame, reply.trace)
        }
    }
}
