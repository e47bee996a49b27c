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
        let channel = self.channel
        let clientId = self.clientId
        let box = self.correlation
        let (id, responseFuture) = try await channel.eventLoop.submit { () -> (Int32, EventLoopFuture<ByteBuffer>) in
            box.value &+= 1
            let id = box.value
            let frame = RequestFraming.requestFrame(request, version: version, correlationId: id, clientId: clientId)
            let promise = channel.eventLoop.makePromise(of: ByteBuffer.self)
            channel.writeAndFlush((frame, Optional(promise)), promise: nil)
            return (id, promise.futureResult)
        }.get()
        let frame = try await responseFuture.get()
        var reader = WireReader(frame)
        do {
            let header = try ResponseHeader(from: &reader, headerVersion: R.responseHeaderVersion(version))
            guard header.correlationId == id else {
                throw ConnectionError.correlationMismatch(expected: id, got: header.correlationId)
            }
            return try R.Response(from: &reader, version: version)
        } catch let error as DecodeError {
            throw ConnectionError.decode(error.description)
        }
    }

    /// Writes raw bytes and, when `expectResponse`, waits for the next frame (tests of
    /// malformed input; the frame is returned without its size prefix).
    public func sendRaw(_ bytes: ByteBuffer, expectResponse: Bool = true) async throws -> ByteBuffer? {
        let channel = self.channel
        let promise: EventLoopPromise<ByteBuffer>? = expectResponse ? channel.eventLoop.makePromise() : nil
        try await channel.writeAndFlush((bytes, promise))
        return try await promise?.futureResult.get()
    }

    public func close() async {
        try? await channel.close()
    }
}
