// Network room: node-to-node connections. Inbound ones arrive on a node's CONTROLLER listener
// and carry quorum and controller requests; outbound ones carry this node's requests to a peer
// and bring the answers back. Both only frame and forward; the node decides.

import DequeModule
import NIOCore

/// The last handler of an inbound CONTROLLER-listener connection.
final class PeerRequestHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private let node: LiveNode
    let connection: Int

    init(node: LiveNode, connection: Int) {
        self.node = node
        self.connection = connection
    }

    func handlerRemoved(context: ChannelHandlerContext) { node.peerConnectionClosed(connection) }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if !node.handlePeerRequest(unwrapInboundIn(data), connection: connection) { context.close(promise: nil) }
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) { context.close(promise: nil) }
}

/// The last handler of an outbound connection to a peer: every frame read is a response.
final class PeerResponseHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer

    private let node: LiveNode
    let peer: NodeID

    init(node: LiveNode, peer: NodeID) {
        self.node = node
        self.peer = peer
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        node.handlePeerResponse(unwrapInboundIn(data), from: peer)
    }

    func channelInactive(context: ChannelHandlerContext) {
        node.peerLinkClosed(peer, channel: context.channel)
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) { context.close(promise: nil) }
}
