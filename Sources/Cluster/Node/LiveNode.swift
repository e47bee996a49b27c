// Node room: one live node on real sockets. Owns the broker value, its listener and its
// connections; everything mutable here is touched only on the node's event loop.

import NIOCore
import NIOPosix

/// A node of the embedded cluster running over SwiftNIO on 127.0.0.1.
///
/// `@unchecked Sendable` is safe because every mutable property is read and written only on
/// `eventLoop` (each entry point asserts it or hops there first), which is NIO's own model for
/// channel handlers. The broker value inside is the pure part; this class is the thin edge.
public final class LiveNode: @unchecked Sendable {
    public let nodeID: NodeID
    public let eventLoop: any EventLoop
    public let host: String
    public private(set) var port: Int
    private var broker: Broker
    private var serverChannel: (any Channel)?
    private var connections: [ObjectIdentifier: any Channel] = [:]
    private let clock = ContinuousClock()
    private let startedAt: ContinuousClock.Instant
    private let onTrace: @Sendable (NodeID, String, RequestTrace) -> Void

    private init(
        identity: BrokerIdentity, eventLoop: any EventLoop,
        onTrace: @escaping @Sendable (NodeID, String, RequestTrace) -> Void
    ) {
        self.nodeID = identity.nodeID
        self.eventLoop = eventLoop
        self.host = identity.host
        self.port = identity.port
        self.broker = Broker(identity: identity)
        self.startedAt = clock.now
        self.onTrace = onTrace
    }

    /// Binds the node's listener and returns once it accepts connections.
    /// Port 0 asks the kernel for an ephemeral port; the bound port is read back.
    public static func start(
        nodeID: NodeID, clusterID: String, host: String, port: Int, eventLoop: any EventLoop,
        onTrace: @escaping @Sendable (NodeID, String, RequestTrace) -> Void = { _, _, _ in }
    ) async throws -> LiveNode {
        let identity = BrokerIdentity(nodeID: nodeID, clusterID: clusterID, host: host, port: port)
        let node = LiveNode(identity: identity, eventLoop: eventLoop, onTrace: onTrace)
        let channel = try await ServerBootstrap(group: eventLoop)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .serverChannelOption(.backlog, value: 128)
            .childChannelOption(.tcpOption(.tcp_nodelay), value: 1)
            .childChannelInitializer { child in
                child.eventLoop.makeCompletedFuture {
                    guard node.accept(child) else {
                        throw ChannelError.ioOnClosedChannel
                    }
                    try child.pipeline.syncOperations.addHandler(ByteToMessageHandler(KafkaFrameDecoder()))
                    try child.pipeline.syncOperations.addHandler(BrokerConnectionHandler(node: node))
                }
            }
            .bind(host: host, port: port)
            .get()
        let bound = channel.localAddress?.port ?? port
        try await eventLoop.submit {
            node.serverChannel = channel
            node.port = bound
            node.broker.identity.port = bound
        }.get()
        return node
    }

    public var uptime: Duration { clock.now - startedAt }

    // MARK: - Called on the event loop

    private func accept(_ child: any Channel) -> Bool {
        eventLoop.preconditionInEventLoop()
        guard connections.count < Limits.connectionsPerBrokerMax, serverChannel != nil else { return false }
        let id = ObjectIdentifier(child)
        connections[id] = child
        child.closeFuture.whenComplete { [weak self] _ in self?.connections[id] = nil }
        return true
    }

    func handle(frame: ByteBuffer, peer: String) -> BrokerReply {
        eventLoop.preconditionInEventLoop()
        let now = Instant(nanoseconds: (clock.now - startedAt).nanosecondsClamped)
        let reply = broker.handle(frame: frame, now: now)
        switch reply {
        case .respond(_, let trace): onTrace(nodeID, peer, trace)
        case .close(_, let trace?): onTrace(nodeID, peer, trace)
        case .close(_, nil): break
        }
        return reply
    }

    func noteConnectionError(_ error: any Error, peer: String) {}

    // MARK: - Lifecycle

    /// The number of open client connections.
    public func connectionCount() async -> Int {
        (try? await eventLoop.submit { self.connections.count }.get()) ?? 0
    }

    /// A crash: the listener and every connection close at once, nothing is flushed, and the
    /// caller drops this instance with all its in-memory state. Returns connections dropped.
    @discardableResult
    public func kill() async -> Int {
        let dropped: Int = (try? await eventLoop.submit { () -> Int in
            let open = Array(self.connections.values)
            self.serverChannel?.close(promise: nil)
            self.serverChannel = nil
            for channel in open { channel.close(promise: nil) }
            return open.count
        }.get()) ?? 0
        return dropped
    }

    /// A clean shutdown: stop accepting, let responses already written reach their clients,
    /// then close every connection. Returns the connections closed.
    @discardableResult
    public func stop() async -> Int {
        let (server, open): ((any Channel)?, [any Channel]) =
            (try? await eventLoop.submit { () -> ((any Channel)?, [any Channel]) in
                let server = self.serverChannel
                self.serverChannel = nil
                return (server, Array(self.connections.values))
            }.get()) ?? (nil, [])
        try? await server?.close()
        for channel in open {
            // An empty write completes after every earlier write on the channel has.
            try? await channel.writeAndFlush(ByteBuffer())
            try? await channel.close()
        }
        return open.count
    }
}
