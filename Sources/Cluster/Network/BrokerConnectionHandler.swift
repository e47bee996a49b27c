// Network room: one client connection to one broker. Frames in, replies out; it decides
// nothing and calls its node on the node's own event loop, so no hop is needed.

import NIOCore

/// The pipeline's last handler: passes each frame to the node and writes the reply.
///
/// Requests on one connection are answered in order, as Kafka guarantees, because the node
/// answers each synchronously on this channel's event loop.
final class BrokerConnectionHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private let node: LiveNode

    init(node: LiveNode) { self.node = node }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let frame = unwrapInboundIn(data)
        let peer = context.remoteAddress?.description ?? "?"
        switch node.handle(frame: frame, peer: peer) {
        case .respond(let bytes, _):
            context.writeAndFlush(wrapOutboundOut(bytes), promise: nil)
        case .close:
            context.close(promise: nil)
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        // A framing error (oversized or negative size) or a socket error: Kafka closes the
        // connection and keeps serving everyone else; so do we.
        node.noteConnectionError(error, peer: context.remoteAddress?.description ?? "?")
        context.close(promise: nil)
    }
}
