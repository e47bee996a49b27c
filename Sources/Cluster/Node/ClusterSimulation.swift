// Node room: a whole cluster of `Node`s on one thread with a seeded network, disk and clock.
// Frames between nodes are the real Kafka encodings; the network delays, reorders, loses and
// cuts them, and nodes crash and restart from their in-memory disks. Tests and (later) a
// step-through mode drive it; nothing here reads a clock or the system's entropy.

import NIOCore

/// A deterministic world for a cluster: same seed, same run.
public struct ClusterSimulation {
    public struct Options: Sendable, CustomStringConvertible {
        public var nodes = 3
        public var voters = 3
        public var lossPercent: UInt64 = 0
        public var maxDelayMs: UInt64 = 5
        public var raft = RaftConfig(voters: [])
        public var controller = QuorumControllerConfig()

        public init() {}

        public var description: String { "nodes \(nodes) voters \(voters) loss \(lossPercent)% delay ≤\(maxDelayMs)ms" }
    }

    /// A frame in flight. `incarnation` numbers make a restarted node deaf to its old life's
    /// connections, as TCP makes it.
    struct Packet {
        var at: Instant
        var seq: Int
        var from: NodeID
        var fromIncarnation: Int
        var to: NodeID
        var toIncarnation: Int?
        var frame: ByteBuffer
        var isResponse: Bool
        /// A replica Fetch for the broker listener (not the CONTROLLER one).
        var toBrokerListener = false
    }

    public let seed: UInt64
    public let options: Options
    public private(set) var now = Instant.zero
    public let ids: [NodeID]
    public private(set) var nodes: [NodeID: Node] = [:]
    public private(set) var disks: [NodeID: MemoryFileSystem] = [:]
    public private(set) var events: [ClusterEvent] = []
    /// One line per thing the simulation did, for failure reports and the step-through view.
    public private(set) var trace: [String] = []
    public var traceLimit = 2_000
    /// Links that drop everything, both ways.
    public var cut: Set<[NodeID]> = []
    public var lossPercent: UInt64
    var rng: SplitMix64
    var queue: [Packet] = []
    var seq = 0
    var incarnations: [NodeID: Int] = [:]
    var configs: [NodeID: NodeConfig] = [:]
    /// Client answers by (node, connection).
    public private(set) var clientReplies: [(node: NodeID, connection: ConnectionID, frame: ByteBuffer)] = []

    public init(seed: UInt64, options: Options) {
        self.seed = seed
        self.options = options
        self.lossPercent = options.lossPercent
        rng = SplitMix64(seed: seed)
        ids = (1...options.nodes).map { NodeID(Int32($0)) }
        let voters = Array(ids.prefix(options.voters))
        for id in ids {
            var raft = options.raft
            raft.voters = voters
            configs[id] = NodeConfig(
                id: id, clusterId: "sim-\(seed)", host: "127.0.0.1", brokerPort: 9091 + Int(id.rawValue),
                controllerPort: 9191 + Int(id.rawValue), raft: raft, controller: options.controller)
            configs[id]?.controllerSeed = seed
            configs[id]?.offsetsTopicReplicationFactor = NodeConfig.offsetsTopicReplicationFactor(brokerCount: options.nodes)
            disks[id] = MemoryFileSystem()
            start(id)
        }
    }

    mutating func draw(_ n: UInt64) -> UInt64 { rng.next() % max(1, n) }

    public mutating func note(_ line: String) {
        trace.append("[t=\(now.nanoseconds / 1_000_000)ms] \(line)")
        if trace.count > traceLimit { trace.removeFirst(traceLimit / 2) }
    }

    // MARK: - Lifecycle

    /// Starts (or restarts) a node from its disk.
    public mutating func start(_ id: NodeID) {
        guard nodes[id] == nil, let config = configs[id], let disk = disks[id] else { return }
        incarnations[id, default: 0] += 1
        do {
            let node = try Node(
                config: config, fs: disk, nodeDirectory: "/node-\(id)",
                seed: seed &* 31 &+ UInt64(incarnations[id] ?? 0) &* 1_000_003 &+ UInt64(id.rawValue), now: now,
                wallClockMs: wallClockMs)
            nodes[id] = node
            note("start \(id)")
        } catch {
            note("start \(id) failed: \(error)")
        }
    }

    /// A crash: the process is gone. By default the machine went with it and the disk keeps
    /// only what was synced; `.keepWrittenBytes` is kill -9 of the process alone (the kernel
    /// still has what it wrote), as the REPL's `broker kill` does.
    public mutating func kill(_ id: NodeID, _ mode: MemoryFileSystem.CrashMode = .loseUnsyncedBytes) {
        guard nodes.removeValue(forKey: id) != nil else { return }
        stopping[id] = nil
        disks[id]?.crash(mode)
        note("kill \(id)" + (mode == .keepWrittenBytes ? " (process only)" : ""))
    }

    /// A clean stop, as `LiveNode.stop` does it: the node asks for a controlled shutdown and
    /// stays up until the controller has recorded it or `stopWaitMax` passes; then a leader
    /// still in office hands the quorum over, and the process ends.
    public mutating func stop(_ id: NodeID) {
        guard var node = nodes[id], stopping[id] == nil else { return }
        let effects = node.beginShutdown(now: now, wallClockMs: wallClockMs)
        nodes[id] = node
        stopping[id] = now + Self.stopWaitMax
        note("stop \(id) begins")
        carryOut(effects, from: id)
        finishStops()
    }

    /// Set when time stopped moving (a deadline that never advances); nothing runs after.
    public private(set) var stalled: String?
    var stepsAtThisInstant = 0
    static let stepsPerInstantMax = 100_000

    /// Nodes in a clean stop, by the time they give up waiting for the controller.
    public private(set) var stopping: [NodeID: Instant] = [:]
    static let stopWaitMax: Duration = .seconds(2)

    /// Runs until every clean stop under way has ended.
    public mutating func awaitStops() {
        while let last = stopping.values.max(), runNext(until: last) {}
        finishStops()
    }

    mutating func finishStops() {
        for (id, deadline) in stopping.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
            guard var node = nodes[id] else { stopping[id] = nil; continue }
            guard node.controlledShutdownComplete || now >= deadline else { continue }
            let effects = node.resignIfLeader(now: now, wallClockMs: wallClockMs)
            carryOut(effects, from: id)
            node.closeCleanly()
            nodes[id] = nil
            stopping[id] = nil
            note("stop \(id) ends" + (node.controlledShutdownComplete ? "" : " (the controller never answered)"))
        }
    }

    var wallClockMs: Int64 { 1_700_000_000_000 + now.nanoseconds / 1_000_000 }

    // MARK: - Running

    /// When the next packet lands or the next node wakes.
    public var nextEventTime: Instant? {
        let wake = ids.compactMap { nodes[$0]?.nextDeadline }.min()
        return [queue.first?.at, wake, stopping.values.min()].compactMap { $0 }.min()
    }

    /// Delivers the next packet or wakes the next due nodes; returns false when nothing is due before `limit`.
    @discardableResult
    public mutating func runNext(until limit: Instant) -> Bool {
        guard stalled == nil, let next = nextEventTime, next <= limit else {
            now = max(now, limit)
            return false
        }
        if next > now {
            stepsAtThisInstant = 0
        } else {
            stepsAtThisInstant += 1
            // A node whose deadline stays in the past would spin the world (and a live node
            // its event loop): stop and say so instead of hanging the test.
            if stepsAtThisInstant > Self.stepsPerInstantMax {
                stalled = "more than \(Self.stepsPerInstantMax) steps at t=\(now); due: "
                    + ids.filter { (nodes[$0]?.nextDeadline ?? .init(nanoseconds: .max)) <= now }.map(\.description).joined(separator: ",")
                note("stalled: \(stalled ?? "")")
                return false
            }
        }
        now = max(now, next)
        if let packet = queue.first, packet.at <= now {
            queue.removeFirst()
            deliver(packet)
        } else {
            for id in ids {
                guard var node = nodes[id], node.nextDeadline <= now else { continue }
                let effects = node.tick(now: now, wallClockMs: wallClockMs)
                nodes[id] = node
                carryOut(effects, from: id)
            }
        }
        finishStops()
        return true
    }

    /// Runs until `duration` of virtual time has passed.
    public mutating func run(for duration: Duration) {
        let limit = now + duration
        while runNext(until: limit) {}
    }

    /// Runs until `condition` holds or `bound` passes; returns whether it held.
    public mutating func run(until bound: Duration, _ condition: (ClusterSimulation) -> Bool) -> Bool {
        let limit = now + bound
        while !condition(self) {
            guard runNext(until: limit) else { return condition(self) }
        }
        return true
    }

    private mutating func deliver(_ packet: Packet) {
        guard var node = nodes[packet.to], incarnations[packet.to] == (packet.toIncarnation ?? incarnations[packet.to]),
            incarnations[packet.from] == packet.fromIncarnation || packet.isResponse,
            !cut.contains([packet.from, packet.to].sorted())
        else { return }
        var frame = packet.frame
        frame.moveReaderIndex(forwardBy: 4)  // the size prefix, as the frame decoder strips it
        if packet.toBrokerListener {
            // A follower's connection to this broker's PLAINTEXT listener, one per incarnation.
            let connection = Self.replicaConnection(from: packet.from, incarnation: packet.fromIncarnation)
            let (reply, effects) = node.handleClientRequest(
                frame, connection: connection, clientHost: "/127.0.0.1", now: now, wallClockMs: wallClockMs)
            nodes[packet.to] = node
            carryOut(effects, from: packet.to)
            if case .respond(let out, _) = reply { answerReplica(out, from: packet.to, connection: connection) }
        } else if packet.isResponse {
            let effects = node.handlePeerResponse(frame, from: packet.from, now: now, wallClockMs: wallClockMs)
            nodes[packet.to] = node
            carryOut(effects, from: packet.to)
        } else {
            let reply = PeerReplyTo(peer: packet.from, connection: packet.fromIncarnation)
            let (effects, _) = node.handlePeerRequest(frame, reply: reply, now: now, wallClockMs: wallClockMs)
            nodes[packet.to] = node
            carryOut(effects, from: packet.to)
        }
    }

    mutating func carryOut(_ effects: NodeEffects, from id: NodeID) {
        for event in effects.events {
            events.append(event)
            note("\(event.node) \(event.kind)")
        }
        for (to, frame) in effects.peerRequests {
            enqueue(Packet(at: now, seq: 0, from: id, fromIncarnation: incarnations[id] ?? 0, to: to, toIncarnation: nil,
                           frame: frame, isResponse: false))
        }
        for (reply, frame) in effects.peerResponses {
            guard let peer = reply.peer else { continue }
            enqueue(Packet(at: now, seq: 0, from: id, fromIncarnation: incarnations[id] ?? 0, to: peer,
                           toIncarnation: reply.connection, frame: frame, isResponse: true))
        }
        for (to, frame) in effects.replicaRequests {
            enqueue(Packet(at: now, seq: 0, from: id, fromIncarnation: incarnations[id] ?? 0, to: to, toIncarnation: nil,
                           frame: frame, isResponse: false, toBrokerListener: true))
        }
        for reply in effects.clientReplies {
            if reply.connection.rawValue < 0 {
                answerReplica(reply.frame, from: id, connection: reply.connection)
            } else {
                clientReplies.append((id, reply.connection, reply.frame))
            }
        }
    }

    /// Replica links get negative connection ids that name the follower and its incarnation.
    static func replicaConnection(from peer: NodeID, incarnation: Int) -> ConnectionID {
        ConnectionID(-(Int(peer.rawValue) * 1_000_000 + incarnation))
    }

    private mutating func answerReplica(_ frame: ByteBuffer, from id: NodeID, connection: ConnectionID) {
        let code = -connection.rawValue
        let peer = NodeID(Int32(code / 1_000_000))
        enqueue(Packet(at: now, seq: 0, from: id, fromIncarnation: incarnations[id] ?? 0, to: peer,
                       toIncarnation: code % 1_000_000, frame: frame, isResponse: true))
    }

    private mutating func enqueue(_ packet: Packet) {
        var p = packet
        if lossPercent > 0 && draw(100) < lossPercent { return }
        if cut.contains([p.from, p.to].sorted()) { return }
        seq += 1
        p.seq = seq
        p.at = now + .milliseconds(Int64(1 + draw(options.maxDelayMs)))
        let index = queue.firstIndex { ($0.at, $0.seq) > (p.at, p.seq) } ?? queue.endIndex
        queue.insert(p, at: index)
    }

    // MARK: - Clients

    /// Sends a client request frame (size prefix included) to `node`'s broker listener on
    /// `connection`; an immediate answer is returned, a later one lands in `clientReplies`.
    public mutating func clientRequest(_ frame: ByteBuffer, to id: NodeID, connection: ConnectionID) -> ByteBuffer? {
        guard var node = nodes[id] else { return nil }
        var body = frame
        body.moveReaderIndex(forwardBy: 4)
        let (reply, effects) = node.handleClientRequest(body, connection: connection, clientHost: "/127.0.0.1", now: now, wallClockMs: wallClockMs)
        nodes[id] = node
        carryOut(effects, from: id)
        if case .respond(let out, _) = reply { return out }
        return nil
    }

    /// Takes the client answers that arrived for `connection` on `node`.
    public mutating func takeClientReplies(node id: NodeID, connection: ConnectionID) -> [ByteBuffer] {
        let mine = clientReplies.filter { $0.node == id && $0.connection == connection }.map(\.frame)
        clientReplies.removeAll { $0.node == id && $0.connection == connection }
        return mine
    }

    /// The node that leads the quorum with the highest epoch, if any runs.
    public var leader: NodeID? {
        ids.filter { nodes[$0]?.raft.isLeader == true }.max { (nodes[$0]?.raft.epoch ?? 0) < (nodes[$1]?.raft.epoch ?? 0) }
    }

    /// The active controller, if one runs.
    public var activeController: NodeID? {
        ids.first { nodes[$0]?.controller != nil && nodes[$0]?.raft.isLeader == true }
    }
}
