// Node room: one live node on real sockets. Owns the pure `Node`, its two listeners (PLAINTEXT
// for clients, CONTROLLER for peers), its outbound peer links and its one timer; everything
// mutable here is touched only on the node's event loop.

import NIOCore
import NIOPosix

/// What a node tells the world outside: each request it answered, notices, cluster events.
public struct NodeObservers: Sendable {
    public var trace = TraceSwitch()
    public var notices = NoticeBoard()
    public var events = EventLog()
    /// Where the node publishes the metadata image its broker serves, for the REPL.
    public var images: ImageBoard? = nil
    public init() {}
}

/// A node of the embedded cluster running over SwiftNIO on 127.0.0.1.
///
/// `@unchecked Sendable` is safe because every mutable property is read and written only on
/// `eventLoop` (each entry point asserts it or hops there first), which is NIO's own model for
/// channel handlers. The `Node` value inside is the pure part; this class is the thin edge.
public final class LiveNode: @unchecked Sendable {
    public let nodeID: NodeID
    public let eventLoop: any EventLoop
    public let host: String
    public private(set) var port: Int
    public private(set) var controllerPort: Int
    private var node: Node?
    private var serverChannel: (any Channel)?
    private var controllerChannel: (any Channel)?
    private var connections: [ConnectionID: (channel: any Channel, handler: BrokerConnectionHandler)] = [:]
    private var nextConnection = 1
    private var peerInbound: [Int: any Channel] = [:]
    private var nextPeerConnection = 1
    private var peerLinks: [PeerAddress: PeerLink] = [:]
    private var timer: Scheduled<Void>?
    private var timerDeadline: Instant?
    private let clock = ContinuousClock()
    private let startedAt: ContinuousClock.Instant
    private let observers: NodeObservers
    private let directory: PeerDirectory
    private var stopped = false
    private var parkedSince: [ConnectionID: Instant] = [:]
    private var publishedImageOffset: Int64 = .min

    /// Which of a peer's listeners a link goes to: CONTROLLER for Raft and the controller,
    /// the broker's PLAINTEXT one for replica Fetches (as Kafka's inter-broker listener).
    private struct PeerAddress: Hashable {
        var peer: NodeID
        var toBroker: Bool
    }

    /// An outbound connection to one peer listener, and what waits for it.
    private struct PeerLink {
        var channel: (any Channel)?
        var queued: [ByteBuffer] = []
        var connecting = false
        var retryAfter: Instant?
    }

    private init(config: NodeConfig, eventLoop: any EventLoop, observers: NodeObservers, directory: PeerDirectory) {
        self.nodeID = config.id
        self.eventLoop = eventLoop
        self.host = config.host
        self.port = config.brokerPort
        self.controllerPort = config.controllerPort
        self.startedAt = clock.now
        self.observers = observers
        self.directory = directory
    }

    /// Binds both listeners, then recovers the node from `nodeDirectory` (its metadata log,
    /// quorum state and partition logs) and returns once it accepts connections. Port 0 asks
    /// the kernel for an ephemeral port.
    public static func start(
        config: NodeConfig, nodeDirectory: String, seed: UInt64, eventLoop: any EventLoop,
        observers: NodeObservers = NodeObservers(), directory: PeerDirectory
    ) async throws -> LiveNode {
        let live = LiveNode(config: config, eventLoop: eventLoop, observers: observers, directory: directory)
        let broker = try await ServerBootstrap(group: eventLoop)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .serverChannelOption(.backlog, value: 128)
            .childChannelOption(.tcpOption(.tcp_nodelay), value: 1)
            .childChannelInitializer { child in
                child.eventLoop.makeCompletedFuture {
                    guard let handler = live.accept(child) else { throw ChannelError.ioOnClosedChannel }
                    try child.pipeline.syncOperations.addHandler(ByteToMessageHandler(KafkaFrameDecoder()))
                    try child.pipeline.syncOperations.addHandler(handler)
                }
            }
            .bind(host: config.host, port: config.brokerPort).get()
        let controller: any Channel
        do {
            controller = try await ServerBootstrap(group: eventLoop)
                .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
                .childChannelOption(.tcpOption(.tcp_nodelay), value: 1)
                .childChannelInitializer { child in
                    child.eventLoop.makeCompletedFuture {
                        guard let handler = live.acceptPeer(child) else { throw ChannelError.ioOnClosedChannel }
                        try child.pipeline.syncOperations.addHandler(ByteToMessageHandler(KafkaFrameDecoder()))
                        try child.pipeline.syncOperations.addHandler(handler)
                    }
                }
                .bind(host: config.host, port: config.controllerPort).get()
        } catch {
            try? await broker.close()
            throw error
        }
        var boundConfig = config
        boundConfig.brokerPort = broker.localAddress?.port ?? config.brokerPort
        boundConfig.controllerPort = controller.localAddress?.port ?? config.controllerPort
        let bound = boundConfig
        let wallClock = WallClock.milliseconds()
        try await eventLoop.submit {
            live.serverChannel = broker
            live.controllerChannel = controller
            live.port = bound.brokerPort
            live.controllerPort = bound.controllerPort
            live.node = try Node(config: bound, fs: PosixFileSystem(), nodeDirectory: nodeDirectory, seed: seed,
                                 now: live.now, wallClockMs: wallClock)
            directory.setControllerPort(config.id, bound.controllerPort)
            directory.setBrokerPort(config.id, bound.brokerPort)
            live.afterWork(NodeEffects())
        }.get()
        return live
    }

    /// How long `stop()` waits for the controller to acknowledge a controlled shutdown.
    static let controlledShutdownWaitMax: Duration = .seconds(2)

    public var uptime: Duration { clock.now - startedAt }
    private var now: Instant { Instant(nanoseconds: (clock.now - startedAt).nanosecondsClamped) }
    private var wallClockMs: Int64 { WallClock.milliseconds() }

    // MARK: - Client connections (called on the event loop)

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
        node?.connectionClosed(id)
    }

    func handle(frame: ByteBuffer, connection: ConnectionID, peer: String, clientHost: String) -> BrokerReply {
        eventLoop.preconditionInEventLoop()
        guard !stopped, var current = node else { return .close(reason: "broker stopped", nil) }
        let arrived = now
        let (reply, effects) = current.handleClientRequest(
            frame, connection: connection, clientHost: clientHost, now: arrived, wallClockMs: wallClockMs)
        node = current
        switch reply {
        case .respond(_, let trace), .noResponse(let trace):
            emit(trace, peer: peer, since: arrived)
        case .close(_, let trace?):
            emit(trace, peer: peer, since: arrived)
            if trace.versionsServed != nil {
                // Only the edge knows the client's address, so the event is recorded here.
                observers.events.append([ClusterEvent(
                    at: arrived, wallClockMs: wallClockMs, node: nodeID, kind: .requestRefused(trace, peer: peer))])
            }
        case .close(_, nil):
            break
        case .parked:
            parkedSince[connection] = arrived
        }
        afterWork(effects)
        return reply
    }

    // MARK: - Peer connections (called on the event loop)

    private func acceptPeer(_ child: any Channel) -> PeerRequestHandler? {
        eventLoop.preconditionInEventLoop()
        guard !stopped, peerInbound.count < Limits.connectionsPerBrokerMax else { return nil }
        let id = nextPeerConnection
        nextPeerConnection += 1
        peerInbound[id] = child
        return PeerRequestHandler(node: self, connection: id)
    }

    func peerConnectionClosed(_ id: Int) { peerInbound[id] = nil }

    /// Returns false when the connection should close (a frame that does not parse).
    func handlePeerRequest(_ frame: ByteBuffer, connection: Int) -> Bool {
        eventLoop.preconditionInEventLoop()
        guard !stopped, var current = node else { return false }
        let (effects, keepOpen) = current.handlePeerRequest(
            frame, reply: PeerReplyTo(peer: nil, connection: connection), now: now, wallClockMs: wallClockMs)
        node = current
        afterWork(effects)
        return keepOpen
    }

    func handlePeerResponse(_ frame: ByteBuffer, from peer: NodeID) {
        eventLoop.preconditionInEventLoop()
        guard !stopped, var current = node, !directory.isCut(nodeID, peer) else { return }
        let effects = current.handlePeerResponse(frame, from: peer, now: now, wallClockMs: wallClockMs)
        node = current
        afterWork(effects)
    }

    func peerLinkClosed(_ peer: NodeID, channel: any Channel) {
        eventLoop.preconditionInEventLoop()
        for address in [PeerAddress(peer: peer, toBroker: false), PeerAddress(peer: peer, toBroker: true)] {
            guard let link = peerLinks[address], link.channel === channel else { continue }
            peerLinks[address] = nil
        }
    }

    private func sendToPeer(_ peer: NodeID, _ frame: ByteBuffer, toBroker: Bool = false) {
        guard !directory.isCut(nodeID, peer) else { return }
        let address = PeerAddress(peer: peer, toBroker: toBroker)
        guard let port = toBroker ? directory.brokerPort(peer) : directory.controllerPort(peer) else {
            return reportUnreachable(peer)
        }
        var link = peerLinks[address] ?? PeerLink()
        if let channel = link.channel {
            channel.writeAndFlush(frame, promise: nil)
            return
        }
        if let retry = link.retryAfter, now < retry { return }
        guard link.queued.count < Limits.raftInboundPerPeerMax * 4 else { return }
        link.queued.append(frame)
        if !link.connecting {
            link.connecting = true
            ClientBootstrap(group: eventLoop)
                .channelOption(.tcpOption(.tcp_nodelay), value: 1)
                .connectTimeout(.milliseconds(500))
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(KafkaFrameDecoder()))
                        // Made here, on the channel's loop: a handler is not Sendable.
                        try channel.pipeline.syncOperations.addHandler(PeerResponseHandler(node: self, peer: peer))
                    }
                }
                .connect(host: directory.host, port: port)
                .whenComplete { [self] result in self.peerConnected(address, result) }
        }
        peerLinks[address] = link
    }

    private func peerConnected(_ address: PeerAddress, _ result: Result<any Channel, any Error>) {
        eventLoop.preconditionInEventLoop()
        let peer = address.peer
        guard var link = peerLinks[address] else {
            if case .success(let channel) = result { channel.close(promise: nil) }
            return
        }
        link.connecting = false
        switch result {
        case .success(let channel):
            if stopped {
                channel.close(promise: nil)
                return
            }
            link.channel = channel
            for frame in link.queued { channel.write(frame, promise: nil) }
            channel.flush()
            link.queued = []
        case .failure:
            // The peer is down: drop what waited (Raft and the controller client retry on
            // their own timers) and do not hammer its port.
            link.queued = []
            link.retryAfter = now + .milliseconds(100)
            peerLinks[address] = link
            return reportUnreachable(peer)
        }
        peerLinks[address] = link
    }

    /// Tells the node that `peer` cannot be reached, on a later turn of the loop (this may be
    /// called while the node's own effects are being carried out).
    private func reportUnreachable(_ peer: NodeID) {
        eventLoop.execute { [self] in
            guard !stopped, var current = node else { return }
            let effects = current.peerUnreachable(peer, now: now, wallClockMs: wallClockMs)
            node = current
            afterWork(effects)
        }
    }

    // MARK: - Effects and time

    /// Carries a node's effects out, answers parked requests, re-arms the one timer.
    private func afterWork(_ effects: NodeEffects) {
        for (peer, frame) in effects.peerRequests { sendToPeer(peer, frame) }
        for (peer, frame) in effects.replicaRequests { sendToPeer(peer, frame, toBroker: true) }
        for (reply, frame) in effects.peerResponses {
            if let peer = reply.peer, directory.isCut(nodeID, peer) { continue }
            peerInbound[reply.connection]?.writeAndFlush(frame, promise: nil)
        }
        for reply in effects.clientReplies { deliver(reply) }
        for notice in effects.notices { observers.notices.post(notice) }
        observers.events.append(effects.events)
        guard let node, !stopped else { return }
        if node.committedImage.offset != publishedImageOffset {
            publishedImageOffset = node.committedImage.offset
            observers.images?.publish(nodeID, node.committedImage)
        }
        let deadline = node.nextDeadline
        if let armed = timerDeadline, armed <= deadline, timer != nil { return }
        timer?.cancel()
        timerDeadline = deadline
        let delay = TimeAmount.nanoseconds(max(0, min((deadline - now).nanosecondsClamped, 3_600_000_000_000)))
        timer = eventLoop.scheduleTask(in: delay) { [weak self] in self?.wake() }
    }

    private func wake() {
        timer = nil
        timerDeadline = nil
        guard !stopped, var current = node else { return }
        let effects = current.tick(now: now, wallClockMs: wallClockMs)
        node = current
        afterWork(effects)
    }

    private func deliver(_ reply: DeferredReply) {
        guard let entry = connections[reply.connection] else { return }
        let since = parkedSince.removeValue(forKey: reply.connection) ?? now
        emit(reply.trace, peer: entry.channel.remoteAddress?.hostAndPort ?? "?", since: since)
        entry.handler.deliverDeferred(reply.frame)
    }

    private func emit(_ trace: RequestTrace, peer: String, since: Instant) {
        observers.trace.emit(TraceEvent(wallClockMs: wallClockMs, node: nodeID, peer: peer, trace: trace, latency: now - since))
    }

    /// A read-only look at this node's broker for the REPL (`log segments`, `offsets`).
    public func inspect<T: Sendable>(_ body: @escaping @Sendable (Broker) -> T) async -> T? {
        try? await eventLoop.submit { self.stopped ? nil : self.node.map { body($0.broker) } }.get()
    }

    /// A read-only look at the whole node (quorum role, committed image).
    public func inspectNode<T: Sendable>(_ body: @escaping @Sendable (Node) -> T) async -> T? {
        try? await eventLoop.submit { self.stopped ? nil : self.node.map(body) }.get()
    }

    /// New timings for this node (`cluster config --set`); its timer is set again from them.
    public func changeSettings(_ settings: ClusterSettings) async {
        _ = try? await eventLoop.submit {
            guard !self.stopped, self.node != nil else { return }
            self.node?.changeSettings(settings)
            self.afterWork(NodeEffects())
        }.get()
    }

    // MARK: - Lifecycle

    public func connectionCount() async -> Int {
        (try? await eventLoop.submit { self.connections.count }.get()) ?? 0
    }

    private func closeEverything() -> Int {
        stopped = true
        timer?.cancel()
        let open = connections.values.map(\.channel)
        serverChannel?.close(promise: nil)
        controllerChannel?.close(promise: nil)
        serverChannel = nil
        controllerChannel = nil
        for channel in open { channel.close(promise: nil) }
        for channel in peerInbound.values { channel.close(promise: nil) }
        for link in peerLinks.values { link.channel?.close(promise: nil) }
        peerInbound = [:]
        peerLinks = [:]
        directory.setControllerPort(nodeID, nil)
        directory.setBrokerPort(nodeID, nil)
        return open.count
    }

    /// A crash: every listener and connection closes at once, log files are released without
    /// flushing, trimming or checkpoints, and the caller drops this instance with all its
    /// in-memory state. Returns client connections dropped.
    @discardableResult
    public func kill() async -> Int {
        (try? await eventLoop.submit { () -> Int in
            let dropped = self.closeEverything()
            if var current = self.node {
                for tp in current.broker.logs.keys { current.broker.logs[tp]?.abandon() }
                self.node = current
            }
            self.node = nil
            return dropped
        }.get()) ?? 0
    }

    /// A clean shutdown: hand quorum leadership over and ask for a controlled shutdown, let
    /// responses already written reach their clients, then flush the logs and write the
    /// checkpoints and the clean-shutdown marker. Returns client connections closed.
    @discardableResult
    public func stop(awaitingController: Bool = true) async -> Int {
        let (server, open): ((any Channel)?, [any Channel]) =
            (try? await eventLoop.submit { () -> ((any Channel)?, [any Channel]) in
                if var current = self.node {
                    let effects = current.beginShutdown(now: self.now, wallClockMs: self.wallClockMs)
                    self.node = current
                    self.afterWork(effects)
                }
                let server = self.serverChannel
                self.serverChannel = nil
                return (server, self.connections.values.map(\.channel))
            }.get()) ?? (nil, [])
        try? await server?.close()
        // Kafka's controlled shutdown: stay up (bounded) until the controller has recorded it,
        // so leadership and fencing are settled before the process goes.
        let clock = ContinuousClock()
        let deadline = clock.now + Self.controlledShutdownWaitMax
        while awaitingController, clock.now < deadline, await inspectNode({ $0.controlledShutdownComplete }) == false {
            try? await Task.sleep(for: .milliseconds(10))
        }
        try? await eventLoop.submit {
            guard var current = self.node else { return }
            let effects = current.resignIfLeader(now: self.now, wallClockMs: self.wallClockMs)
            self.node = current
            self.afterWork(effects)
        }.get()
        for channel in open {
            // An empty write completes after every earlier write on the channel has.
            try? await channel.writeAndFlush(ByteBuffer())
            try? await channel.close()
        }
        try? await eventLoop.submit {
            _ = self.closeEverything()
            self.node?.closeCleanly()
            self.node = nil
        }.get()
        return open.count
    }
}
