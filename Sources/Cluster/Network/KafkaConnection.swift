// Network room: a client connection to one broker. Sends request frames, matches responses to
// requests by order and correlation id, and decodes them with the request's Response type.

import DequeModule
import NIOCore
import NIOPosix

/// Why a request on a `KafkaConnection` did not get an answer.
public enum ConnectionError: Error, Equatable, CustomStringConvertible {
    case closed
    case correlationMismatch(expected: Int32, got: Int32)
    case decode(String)

    public var description: String {
        switch self {
        case .closed: return "the connection closed before the response arrived"
        case .correlationMismatch(let e, let g): return "response correlation id \(g), expected \(e)"
        case .decode(let reason): return "could not decode the response: \(reason)"
        }
    }
}

/// Pairs outgoing frames with incoming ones in order, as Kafka answers in order per connection.
final class ResponseMatcher: ChannelDuplexHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundIn = (ByteBuffer, EventLoopPromise<ByteBuffer>?)
    typealias OutboundOut = ByteBuffer

    private var waiting = Deque<EventLoopPromise<ByteBuffer>>()

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        let (frame, response) = unwrapOutboundIn(data)
        if let response { waiting.append(response) }
        context.write(wrapOutboundOut(frame), promise: promise)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let frame = unwrapInboundIn(data)
        waiting.popFirst()?.succeed(frame)
    }

    func channelInactive(context: ChannelHandlerContext) {
        while let p = waiting.popFirst() { p.fail(ConnectionError.closed) }
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        while let p = waiting.popFirst() { p.fail(error) }
        context.close(promise: nil)
    }
}

/// One TCP connection to a Kafka broker (ours or a real one).
///
/// Thread-safe: the channel serialises writes, and the correlation counter is only touched on
/// the channel's event loop. Mirrors the role of Kafka's `NetworkClient` for one node.
public final class KafkaConnection: Sendable {
    public let channel: any Channel
    public let clientId: String
    private let correlation: NIOLoopBoundBox<Int32>

    private init(channel: any Channel, clientId: String) {
        self.channel = channel
        self.clientId = clientId
        self.correlation = NIOLoopBoundBox.makeBoxSendingValue(Int32(0), eventLoop: channel.eventLoop)
    }

    public static func connect(
        host: String, port: Int, clientId: String = "swiftka-learn", group: any EventLoopGroup
    ) async throws -> KafkaConnection {
        let channel = try await ClientBootstrap(group: group)
            .channelOption(.tcpOption(.tcp_nodelay), value: 1)
            .connectTimeout(.seconds(5))
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(KafkaFrameDecoder()))
                    try channel.pipeline.syncOperations.addHandler(ResponseMatcher())
                }
            }
            .connect(host: host, port: port)
            .get()
        return KafkaConnection(channel: channel, clientId: clientId)
    }

    /// Sends a request at `version` and decodes its response.
    public func send<R: KafkaRequest>(_ request: R, version: Int16) async throws -> R.Response {
        var reader = WireReader(try await exchange(request, version: version))
        do {
            return try R.Response(from: &reader, version: version)
        } catch {
            throw ConnectionError.decode(error.description)
        }
    }

    /// Sends a request and returns its response body (the bytes after the response header,
    /// which is read and checked here). For callers that decode the body themselves: an ApiVersions answer to a version
    /// the broker does not speak comes back as v0, whatever version was asked for.
    public func exchange<R: KafkaRequest>(_ request: R, version: Int16) async throws -> ByteBuffer {
        let (id, responseFuture) = try await write(request, version: version, expectResponse: true)
        guard let responseFuture else { throw ConnectionError.closed }
        let frame = try await responseFuture.get()
        var reader = WireReader(frame)
        do {
            let header = try ResponseHeader(from: &reader, headerVersion: R.responseHeaderVersion(version))
            guard header.correlationId == id else {
                throw ConnectionError.correlationMismatch(expected: id, got: header.correlationId)
            }
            return reader.readRest()
        } catch let error as DecodeError {
            throw ConnectionError.decode(error.description)
        }
    }

    /// Sends a request that gets no response (Produce with acks=0: the broker answers nothing,
    /// so no response may be waited for, or the next answer would be matched to it). Returns
    /// once the frame is written.
    public func sendWithoutResponse<R: KafkaRequest>(_ request: R, version: Int16) async throws {
        _ = try await write(request, version: version, expectResponse: false)
    }

    /// Frames the request with the next correlation id on the channel's event loop and writes
    /// it. A write that fails (the channel closed) also fails the response, which would
    /// otherwise never arrive.
    private func write<R: KafkaRequest>(
        _ request: R, version: Int16, expectResponse: Bool
    ) async throws -> (Int32, EventLoopFuture<ByteBuffer>?) {
        let channel = self.channel
        let clientId = self.clientId
        let box = self.correlation
        let (id, responseFuture, written) = try await channel.eventLoop.submit {
            () -> (Int32, EventLoopFuture<ByteBuffer>?, EventLoopFuture<Void>) in
            box.value &+= 1
            let id = box.value
            let frame = RequestFraming.requestFrame(request, version: version, correlationId: id, clientId: clientId)
            let response: EventLoopPromise<ByteBuffer>? = expectResponse ? channel.eventLoop.makePromise() : nil
            let written = channel.eventLoop.makePromise(of: Void.self)
            if let response {
                // Completing a promise twice is ignored by NIO, so this cannot clash with the
                // matcher failing it on close.
                written.futureResult.whenFailure { response.fail($0) }
            }
            channel.writeAndFlush((frame, response), promise: written)
            return (id, response?.futureResult, written.futureResult)
        }.get()
        if !expectResponse { try await written.get() }
        return (id, responseFuture)
    }

    /// Writes raw bytes and, when `expectResponse`, waits for the next frame (tests of
    /// malformed input; the frame is returned without its size prefix).
    public func sendRaw(_ bytes: ByteBuffer, expectResponse: Bool = true) async throws -> ByteBuffer? {
        let channel = self.channel
        let promise: EventLoopPromise<ByteBuffer>? = expectResponse ? channel.eventLoop.makePromise() : nil
        do {
            try await channel.writeAndFlush((bytes, promise))
        } catch {
            promise?.fail(error)
            throw error
        }
        return try await promise?.futureResult.get()
    }

    public func close() async {
        try? await channel.close()
    }
}
