// Node room: one live node on real sockets. Owns the broker value, its listener, its
// connections and its one timer; everything mutable here is touched only on the node's loop.

import NIOCore
import NIOPosix

/// What a node tells the world outside: each request it answered, and notices for the learner.
public struct NodeObservers: Sendable {
    public var trace = TraceSwitch()
    public var notices = NoticeBoard()
    public init() {}
}

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
    private var connections: [ConnectionID: (channel: any Channel, handler: BrokerConnectionHandler)] = [:]
    private var nextConnection = 1
    private var timer: Scheduled<Void>?
    private var timerDeadline: Instant?
    private let clock = ContinuousClock()
    private let startedAt: ContinuousClock.Instant
    private let observers: NodeObservers
    private var stopped = false
    private var parkedSince: [ConnectionID: Instant] = [:]

    private init(broker: Broker, eventLoop: any EventLoop, observers: NodeObservers) {
        self.nodeID = broker.identity.nodeID
        self.eventLoop = eventLoop
        self.host = broker.identity.host
        self.port = broker.identity.port
        self.broker = broker
        self.startedAt = clock.now
        self.observers = observers
    }

    /// Recovers the node's logs from its data directory, binds its listener and returns once
    /// it accepts connections. Port 0 asks the kernel for an ephemeral port.
    public static func start(
        identity: BrokerIdentity, controller: (any ControllerLink)?, logDirectory: String,
        image: MetadataImage, eventLoop: any EventLoop, observers: NodeObservers = NodeObservers()
    ) async throws -> LiveNode {
        let broker = Broker(identity: identity, controller: controller, logDirectory: logDirectory, fs: PosixFileSystem())
        let node = LiveNode(broker: broker, eventLoop: eventLoop, observers: observers)
        try await eventLoop.submit {
            node.broker.loadCheckpoints()
            node.broker.apply(image: image, now: node.now, wallClockMs: node.wallClockMs)
            node.afterWork()
        }.get()
        let channel = try await ServerBootstrap(group: eventLoop)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .serverChannelOption(.backlog, value: 128)
            .childChannelOption(.tcpOption(.tcp_nodelay), value: 1)
            .childChannelInitializer { child in
                child.eventLoop.makeCompletedFuture {
                    guard let handler = node.accept(child) else { throw ChannelError.ioOnClosedChannel }
                    try child.pipeline.syncOperations.addHandler(ByteToMessageHandler(KafkaFrameDecoder()))
                    try child.pipeline.syncOperations.addHandler(handler)
                }
            }
            .bind(host: identity.host, port: identity.port)
            .get()
        let bound = channel.localAddress?.port ?? identity.port
        try await eventLoop.submit {
            node.serverChannel = channel
            node.port = bound
            node.broker.identity.port = bound
        }.get()
        return node
    }

    public var uptime: Duration { clock.now - startedAt }
    private var now: Instant { Instant(nanoseconds: (clock.now - startedAt).nanosecondsClamped) }
    private var wallClockMs: Int64 { WallClock.milliseconds() }

    // MARK: - Called on the event loop

    private func accept(_ child: any Channel) -> BrokerConnectionHandler? {
        eventLoop.preconditionInEventLoop()
        guard connections.count < Limits.connectionsPerBrokerMax, serverChannel != nil, !stopped else { return nil }
        let id = ConnectionID(nextConnection)
        nextConnection += 1
        let handler = BrokerConnectionHandler(node: self, connection: id)
        connections[id] = (child, handler)
        return handler
    }

    func connectionClosed(_ id: ConnectionID) {
        eventLoop.preconditionInEventLoop()
        connections[id] = nil
        parkedSince[id] = nil
        broker.connectionClosed(id)
    }

    func handle(frame: ByteBuffer, connection: ConnectionID, peer: String, clientHost: String) -> BrokerReply {
        eventLoop.preconditionInEventLoop()
        guard !stopped else { return .close(reason: "broker stopped", nil) }
        let arrived = now
        let reply = broker.handle(
            frame: frame, connection: connection, clientHost: clientHost, now: arrived, wallClockMs: wallClockMs)
        switch reply {
        case .respond(_, let trace), .noResponse(let trace), .close(_, let trace?):
            emit(trace, peer: peer, since: arrived)
        case .close(_, nil):
            break
        case .parked:
            parkedSince[connection] = arrived
        }
        afterWork()
        return reply
    }

    /// After any work: answer parked requests that became ready, pass notices on, and re-arm
    /// the one timer for the broker's next deadline.
    private func afterWork() {
        for reply in broker.takeDeferred() { deliver(reply) }
        for notice in broker.drainNotices() { observers.notices.post(notice) }
        let deadline = broker.nextDeadline
        if let armed = timerDeadline, armed <= deadline, timer != nil { return }
        timer?.cancel()
        timerDeadline = deadline
        let delay = TimeAmount.nanoseconds(max(0, (deadline - now).nanosecondsClamped))
        timer = eventLoop.scheduleTask(in: delay) { [weak self] in self?.wake() }
    }

    private func wake() {
        timer = nil
        timerDeadline = nil
        guard !stopped else { return }
        for reply in broker.tick(now: now, wallClockMs: wallClockMs) { deliver(reply) }
        afterWork()
    }

    private func deliver(_ reply: DeferredReply) {
        guard let entry = connections[reply.connection] else { return }
        let since = parkedSince.removeValue(forKey: reply.connection) ?? now
        emit(reply.trace, peer: entry.channel.remoteAddress?.description ?? "?", since: since)
        entry.handler.deliverDeferred(reply.frame)
    }

    private func emit(_ trace: RequestTrace, peer: String, since: Instant) {
        observers.trace.emit(TraceEvent(wallClockMs: wallClockMs, node: nodeID, peer: peer, trace: trace, latency: now - since))
    }

    /// Adopts a new metadata image (pushed by the cluster after every metadata change).
    public func apply(image: MetadataImage) {
        eventLoop.execute {
            guard !self.stopped else { return }
            self.broker.apply(image: image, now: self.now, wallClockMs: self.wallClockMs)
            self.afterWork()
        }
    }

    /// A read-only look at this node's logs for the REPL (`log segments`, `offsets`).
    public func inspect<T: Sendable>(_ body: @escaping @Sendable (Broker) -> T) async -> T? {
        try? await eventLoop.submit { self.stopped ? nil : body(self.broker) }.get()
    }

    // MARK: - Lifecycle

    /// The number of open client connections.
    public func connectionCount() async -> Int {
        (try? await eventLoop.submit { self.connections.count }.get()) ?? 0
    }

    /// A crash: the listener and every connection close at once, log files are released
    /// without flushing, trimming or checkpoints, and the caller drops this instance with all
    /// its in-memory state. Returns connections dropped.
    @discardableResult
    public func kill() async -> Int {
        (try? await eventLoop.submit { () -> Int in
            self.stopped = true
            self.timer?.cancel()
            let open = self.connections.values.map(\.channel)
            self.serverChannel?.close(promise: nil)
            self.serverChannel = nil
            for channel in open { channel.close(promise: nil) }
            for tp in self.broker.logs.keys { self.broker.logs[tp]?.abandon() }
            return open.count
        }.get()) ?? 0
    }

    /// A clean shutdown: stop accepting, let responses already written reach their clients,
    /// close every connection, then flush and close the logs and write the checkpoints and the
    /// clean-shutdown marker. Returns the connections closed.
    @discardableResult
    public func stop() async -> Int {
        let (server, open): ((any Channel)?, [any Channel]) =
            (try? await eventLoop.submit { () -> ((any Channel)?, [any Channel]) in
                let server = self.serverChannel
                self.serverChannel = nil
                return (server, self.connections.values.map(\.channel))
            }.get()) ?? (nil, [])
        try? await server?.close()
        for channel in open {
            // An empty write completes after every earlier write on the channel has.
            try? await channel.writeAndFlush(ByteBuffer())
            try? await channel.close()
        }
        try? await eventLoop.submit {
            self.stopped = true
            self.timer?.cancel()
            self.broker.shutdownCleanly()
        }.get()
        return open.count
    }
}
