// Network room: one client connection to one broker. Frames in, replies out, in order; it
// decides nothing and calls its node on the node's own event loop, so no hop is needed.

import DequeModule
import NIOCore

/// The pipeline's last handler: passes each frame to the node and writes the reply.
///
/// Kafka answers requests on one connection in order and reads no further request while one
/// is in flight. So while a request is parked (a long-poll fetch), later frames wait here, and
/// past `Limits.queuedRequestsPerConnectionMax` the channel stops reading.
final class BrokerConnectionHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private let node: LiveNode
    let connection: ConnectionID
    private var context: ChannelHandlerContext?
    private var waiting = Deque<ByteBuffer>()
    private var parked = false
    /// The node is handling a frame of this connection right now.
    private var handling = false
    /// The request being handled parked and was answered before the node returned (a replica
    /// Fetch whose own fetch offset moved the high watermark): it must not be marked parked,
    /// or no answer would ever come to release the connection.
    private var answeredWhileHandling = false

    init(node: LiveNode, connection: ConnectionID) {
        self.node = node
        self.connection = connection
    }

    func handlerAdded(context: ChannelHandlerContext) { self.context = context }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.context = nil
        node.connectionClosed(connection)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let frame = unwrapInboundIn(data)
        if parked {
            waiting.append(frame)
            if waiting.count >= Limits.queuedRequestsPerConnectionMax {
                context.channel.setOption(ChannelOptions.autoRead, value: false).whenComplete { _ in }
            }
            return
        }
        process(frame, context: context)
    }

    private func process(_ frame: ByteBuffer, context: ChannelHandlerContext) {
        let peer = context.remoteAddress?.hostAndPort ?? "?"
        // Kafka prints a member's client_host as "/<ip>".
        let clientHost = "/" + (context.remoteAddress?.ipAddress ?? "unknown")
        handling = true
        answeredWhileHandling = false
        let reply = node.handle(frame: frame, connection: connection, peer: peer, clientHost: clientHost)
        handling = false
        switch reply {
        case .respond(let bytes, _):
            context.writeAndFlush(wrapOutboundOut(bytes), promise: nil)
        case .noResponse:
            break
        case .parked:
            parked = !answeredWhileHandling
        case .close:
            context.close(promise: nil)
        }
    }

    /// The reply to this connection's parked request: write it, then run what waited.
    func deliverDeferred(_ bytes: ByteBuffer) {
        guard let context else { return }
        context.writeAndFlush(wrapOutboundOut(bytes), promise: nil)
        if handling {
            answeredWhileHandling = true
            return
        }
        parked = false
        while !parked, let next = waiting.popFirst() { process(next, context: context) }
        if !parked { context.channel.setOption(ChannelOptions.autoRead, value: true).whenComplete { _ in } }
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        // A framing error (oversized or negative size) or a socket error: Kafka closes the
        // connection and keeps serving everyone else; so do we.
        context.close(promise: nil)
    }
}
