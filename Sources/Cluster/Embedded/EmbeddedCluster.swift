// Embedded room: the in-process cluster the REPL and `serve` run. Starts, kills, stops and
// restarts nodes and reports their state; shared control, so an actor.

import Foundation
import NIOCore
import NIOPosix

/// A broker's lifecycle state as the learner sees it.
public enum BrokerState: String, Sendable, Equatable, CustomStringConvertible {
    case running
    /// Shut down cleanly by `broker stop`.
    case stopped
    /// Crashed by `broker kill`: nothing flushed, in-memory state gone.
    case killed

    public var description: String { rawValue }
}

/// How brokers choose their listener ports.
public enum PortPlan: Sendable, Equatable {
    /// Kernel-chosen ports (tests).
    case ephemeral
    /// Exactly base, base+1, ...; a port in use is an error (`serve --port`).
    case fixed(base: Int)
    /// base, base+1, ... when all are free, else ephemeral (the REPL's default).
    case preferred(base: Int)
}

public struct EmbeddedClusterConfig: Sendable {
    public var brokerCount: Int
    public var dataDirectory: String
    public var fresh: Bool
    public var ports: PortPlan
    public var host: String
    /// Seeds the nodes' choices (election jitter, topic ids, placement). nil: derived from
    /// the cluster id, so one data directory always decides the same way.
    public var seed: UInt64?
    /// How many nodes vote in the KRaft quorum (`--controllers`): all of a cluster of up to
    /// 3, else 3. Odd, so that a majority is well defined.
    public var controllers: Int?
    /// The quorum's and the controller's timings (Kafka's names, learning defaults).
    public var raft: RaftConfig
    public var controller: QuorumControllerConfig

    public init(brokerCount: Int = 3, dataDirectory: String, fresh: Bool = false,
                ports: PortPlan = .ephemeral, host: String = "127.0.0.1", seed: UInt64? = nil,
                controllers: Int? = nil, raft: RaftConfig = RaftConfig(voters: []),
                controller: QuorumControllerConfig = QuorumControllerConfig()) {
        self.seed = seed
        self.brokerCount = brokerCount
        self.dataDirectory = dataDirectory
        self.fresh = fresh
        self.ports = ports
        self.host = host
        self.controllers = controllers
        self.raft = raft
        self.controller = controller
    }

    public var voters: [NodeID] { NodeConfig.voters(brokerCount: brokerCount, controllers: controllers) }
}

/// One broker in a status snapshot.
public struct BrokerStatus: Sendable, Equatable {
    public var id: NodeID
    public var host: String
    public var port: Int
    public var state: BrokerState
    public var uptime: Duration?
    public var connections: Int
    /// Whether this node votes in the KRaft quorum (`process.roles` includes controller).
    public var isVoter: Bool
    /// Fenced by the controller in the current metadata (nil: not registered yet).
    public var fenced: Bool?
    /// Its Raft role ("leader", "follower", "observer"...) while it runs.
    public var quorumRole: String?
    public var address: String { "\(host):\(port)" }
}

/// An immutable picture of the cluster for the REPL, taken at one moment.
public struct ClusterStatus: Sendable {
    public var clusterID: String
    public var dataDirectory: String
    public var brokers: [BrokerStatus]
    /// The active controller (the quorum leader), if one is known.
    public var controller: NodeID?
    public var leaderEpoch: Int32?
    /// `host:port` of every broker, comma-separated, as clients' `bootstrap.servers` wants.
    public var bootstrap: String { brokers.map(\.address).joined(separator: ",") }
}

/// The result of a kill, stop or start: what changed, for the REPL to show.
public struct BrokerTransition: Sendable, Equatable {
    public var id: NodeID
    public var from: BrokerState
    public var to: BrokerState
    public var connectionsClosed: Int
    public var address: String
}

/// An embedded, in-process cluster of `brokerCount` nodes on loopback.
///
/// Mirrors what `kafka-server-start.sh` does for each node, and what killing or stopping
/// a broker process does, so lessons act on real listeners and real data directories.
public actor EmbeddedCluster {
    public nonisolated let config: EmbeddedClusterConfig
    public let dataDirectory: DataDirectory
    private let group: MultiThreadedEventLoopGroup
    private var nodes: [NodeID: LiveNode] = [:]
    private var states: [NodeID: BrokerState] = [:]
    private var ports: [NodeID: Int] = [:]
    private var controllerPorts: [NodeID: Int] = [:]
    private var starts: UInt64 = 0
    private let seed: UInt64
    /// Every node reports answered requests here; the REPL's `trace on` attaches a sink.
    public nonisolated let trace = TraceSwitch()
    /// What nodes want the learner to know (recovery cuts, retention deletions).
    public nonisolated let notices = NoticeBoard()
    /// What happened: elections, fencing, leader changes, as typed events.
    public nonisolated let events = EventLog()
    /// Where each node's CONTROLLER listener is, and the links the learner has cut.
    public nonisolated let directory: PeerDirectory
    public nonisolated let nodeIDs: [NodeID]
    private nonisolated let images = ImageBoard()
    /// The timings every node runs with; `changeSetting` changes them while the cluster runs.
    public private(set) var settings: ClusterSettings

    /// Locks the data directory; `start()` then brings the nodes up.
    public init(config: EmbeddedClusterConfig) throws(ClusterError) {
        self.config = config
        self.settings = ClusterSettings(raft: config.raft, controller: config.controller, replicaFetch: ReplicaFetchConfig())
        self.dataDirectory = try DataDirectory(
            path: config.dataDirectory, brokerCount: config.brokerCount, controllers: config.voters.count, fresh: config.fresh)
        self.group = MultiThreadedEventLoopGroup(numberOfThreads: min(2, System.coreCount))
        self.nodeIDs = (1...config.brokerCount).map { NodeID(Int32($0)) }
        self.directory = PeerDirectory(host: config.host)
        // FNV-1a of the cluster id: stable across runs, unlike Swift's seeded hashValue.
        seed = config.seed ?? dataDirectory.clusterID.utf8.reduce(0xCBF2_9CE4_8422_2325 as UInt64) { ($0 ^ UInt64($1)) &* 0x100_0000_01B3 }
        try LegacyMetadataConversion.convertIfNeeded(
            dataDirectory: config.dataDirectory, voters: config.voters, nodeDirectory: dataDirectory.nodeDirectory)
    }

    public nonisolated var clusterID: String { dataDirectory.clusterID }

    /// The newest committed metadata image any running node serves.
    public nonisolated var image: MetadataImage { images.image(of: images.newestNode) ?? MetadataImage() }

    /// The image a given node serves, while it runs.
    public nonisolated func image(of id: NodeID) -> MetadataImage? { images.image(of: id) }

    /// Changes one timing for every running node and for nodes started later; returns the
    /// value it had. A refusal says why (unknown name, out of range, inconsistent).
    public func changeSetting(_ name: String, to value: String) async throws(ClusterSettings.Refusal) -> String {
        var changed = settings
        let before = settings.settings.first { $0.name == name }?.value ?? ""
        try changed.set(name, to: value)
        settings = changed
        for id in nodeIDs { await nodes[id]?.changeSettings(changed) }
        return before
    }

    /// Starts every node; returns once every listener accepts connections and the quorum has
    /// elected a controller (or a bound passed).
    public func start() async throws(ClusterError) {
        try await bindAll()
        // Kafka brokers serve once registered and unfenced; so does this cluster, within a bound.
        _ = await waitUntilReady(bound: .seconds(10))
    }

    private func bindAll() async throws(ClusterError) {
        switch config.ports {
        case .ephemeral:
            try await startAll { _ in 0 }
        case .fixed(let base):
            try await startAll { base + Int($0.rawValue) - 1 }
        case .preferred(let base):
            do {
                try await startAll { base + Int($0.rawValue) - 1 }
            } catch .portInUse {
                try await startAll { _ in 0 }
            }
        }
    }

    private func startAll(port: (NodeID) -> Int) async throws(ClusterError) {
        for id in nodeIDs {
            do {
                try await startNode(id, port: port(id))
            } catch {
                for started in nodes.keys { await nodes[started]?.kill() }
                nodes = [:]
                states = [:]
                throw error
            }
        }
    }

    private func nodeConfig(_ id: NodeID, port: Int) -> NodeConfig {
        var raft = settings.raft
        raft.voters = config.voters
        var node = NodeConfig(
            id: id, clusterId: clusterID, host: config.host, brokerPort: port, controllerPort: controllerPorts[id] ?? 0,
            raft: raft, controller: settings.controller)
        node.replicaFetch = settings.replicaFetch
        node.controllerSeed = seed
        node.offsetsTopicReplicationFactor = NodeConfig.offsetsTopicReplicationFactor(brokerCount: nodeIDs.count)
        return node
    }

    private func startNode(_ id: NodeID, port: Int) async throws(ClusterError) {
        var observers = NodeObservers()
        observers.trace = trace
        observers.notices = notices
        observers.events = events
        observers.images = images
        starts += 1
        do {
            let node = try await LiveNode.start(
                config: nodeConfig(id, port: port), nodeDirectory: dataDirectory.nodeDirectory(id),
                seed: seed &+ starts &* 0x9E37_79B9 &+ UInt64(id.rawValue), eventLoop: group.next(),
                observers: observers, directory: directory)
            nodes[id] = node
            states[id] = .running
            ports[id] = node.port
            controllerPorts[id] = node.controllerPort
        } catch let error as ClusterError {
            throw error
        } catch let error as IOError where error.errnoCode == EADDRINUSE {
            throw .portInUse(port: port)
        } catch {
            throw .io("Broker \(id) could not start on \(config.host):\(port): \(error)")
        }
    }

    /// The running node with this id, for read-only inspection by the REPL.
    public func node(_ id: NodeID) -> LiveNode? { nodes[id] }

    private func requireKnown(_ id: NodeID) throws(ClusterError) {
        guard nodeIDs.contains(id) else { throw .noSuchBroker(id, known: nodeIDs) }
    }

    /// Whether the voters still running (this one included) can commit a controlled
    /// shutdown; if not, waiting for the controller's answer would only wait out the bound.
    private func quorumCanRecordStop() -> Bool {
        let running = config.voters.filter { nodes[$0] != nil }.count
        return running >= config.voters.count / 2 + 1
    }

    private func note(_ id: NodeID, _ kind: ClusterEvent.Kind) {
        events.append([ClusterEvent(at: Instant(nanoseconds: 0), wallClockMs: WallClock.milliseconds(), node: id, kind: kind)])
    }

    /// Crashes a running broker (see `LiveNode.kill`).
    public func kill(_ id: NodeID) async throws(ClusterError) -> BrokerTransition {
        try requireKnown(id)
        guard let node = nodes[id] else { throw .brokerNotRunning(id, state: states[id] ?? .stopped) }
        images.forget(id)
        let dropped = await node.kill()
        nodes[id] = nil
        states[id] = .killed
        note(id, .nodeKilled)
        return BrokerTransition(id: id, from: .running, to: .killed, connectionsClosed: dropped,
                                address: "\(config.host):\(node.port)")
    }

    /// Shuts a running broker down cleanly.
    public func stop(_ id: NodeID) async throws(ClusterError) -> BrokerTransition {
        try requireKnown(id)
        guard let node = nodes[id] else { throw .brokerNotRunning(id, state: states[id] ?? .stopped) }
        images.forget(id)
        // Said first: the controlled shutdown (fencing, handing over) happens while it stops.
        note(id, .nodeStopped)
        let closed = await node.stop(awaitingController: quorumCanRecordStop())
        nodes[id] = nil
        states[id] = .stopped
        return BrokerTransition(id: id, from: .running, to: .stopped, connectionsClosed: closed,
                                address: "\(config.host):\(node.port)")
    }

    /// Starts a fresh node instance for a stopped or killed broker, on the ports it had, from
    /// its data directory.
    public func restart(_ id: NodeID) async throws(ClusterError) -> BrokerTransition {
        try requireKnown(id)
        guard nodes[id] == nil else { throw .brokerAlreadyRunning(id) }
        let previous = states[id] ?? .stopped
        try await startNode(id, port: ports[id] ?? 0)
        return BrokerTransition(id: id, from: previous, to: .running, connectionsClosed: 0,
                                address: "\(config.host):\(ports[id] ?? 0)")
    }

    /// Waits (bounded) until every running broker serves the newest committed metadata and has
    /// done the work already queued on its event loop. The REPL settles before it shows notices,
    /// so that a note from another broker (a deleted log) appears under the command that caused it.
    public func settle() async {
        _ = await waitForMetadataConvergence(bound: .seconds(3))
        for id in nodeIDs {
            _ = await nodes[id]?.inspect { _ in true }
        }
    }

    public func state(of id: NodeID) -> BrokerState? { states[id] }

    /// Cuts (or heals) the link between two nodes: all quorum and controller traffic between
    /// them is dropped, both ways, as a network partition would.
    public func setLink(_ a: NodeID, _ b: NodeID, cut: Bool) throws(ClusterError) {
        try requireKnown(a)
        try requireKnown(b)
        if cut { directory.cut(a, b) } else { directory.heal(a, b) }
    }

    /// The quorum as the running nodes see it: (node, role, epoch, leader, high watermark).
    public func quorumViews() async -> [QuorumView] {
        var out: [QuorumView] = []
        for id in nodeIDs {
            guard let node = nodes[id] else { continue }
            if let view = await node.inspectNode({ n in
                QuorumView(node: n.id, role: n.raft.roleName, epoch: n.raft.epoch, leader: n.raft.leaderId,
                           highWatermark: n.raft.highWatermark, logEndOffset: n.raft.log.endOffset, isVoter: n.raft.isVoter,
                           activeController: n.controller != nil && n.raft.isLeader)
            }) { out.append(view) }
        }
        return out
    }

    public func status() async -> ClusterStatus {
        let views = await quorumViews()
        let active = views.first { $0.activeController }
        let image = self.image
        var brokers: [BrokerStatus] = []
        for id in nodeIDs {
            let node = nodes[id]
            brokers.append(BrokerStatus(
                id: id, host: config.host, port: ports[id] ?? 0, state: states[id] ?? .stopped,
                uptime: node?.uptime, connections: await node?.connectionCount() ?? 0,
                isVoter: config.voters.contains(id), fenced: image.brokers[id]?.fenced,
                quorumRole: views.first { $0.node == id }?.role))
        }
        return ClusterStatus(clusterID: clusterID, dataDirectory: config.dataDirectory, brokers: brokers,
                             controller: active?.node, leaderEpoch: active?.epoch)
    }

    /// Waits until a controller is active and every running broker is registered and unfenced,
    /// or `bound` passes; returns whether it happened.
    public func waitUntilReady(bound: Duration = .seconds(10)) async -> Bool {
        let clock = ContinuousClock()
        let deadline = clock.now + bound
        while clock.now < deadline {
            let views = await quorumViews()
            var allUnfenced = true
            for id in nodeIDs {
                guard let node = nodes[id] else { continue }
                // Registered as this process (not a previous life) and unfenced.
                let registration = await node.inspectNode { n -> Bool in
                    guard let r = n.registration, !r.fenced else { return false }
                    return n.committedImage.brokers[n.id].map { $0.epoch == r.brokerEpoch && !$0.fenced } ?? false
                }
                if registration != true { allUnfenced = false }
            }
            if views.contains(where: { $0.activeController }) && allUnfenced { return true }
            try? await Task.sleep(for: .milliseconds(10))
        }
        return false
    }

    /// Waits (bounded) until every running broker serves the same committed metadata, e.g.
    /// after a topic was created through one of them. Returns whether that happened.
    public func waitForMetadataConvergence(bound: Duration = .seconds(5)) async -> Bool {
        let clock = ContinuousClock()
        let deadline = clock.now + bound
        while clock.now < deadline {
            if images.converged { return true }
            try? await Task.sleep(for: .milliseconds(5))
        }
        return images.converged
    }

    /// Stops every running broker cleanly and releases the event loops.
    public func shutdown() async {
        for id in nodeIDs {
            if let node = nodes[id] {
                images.forget(id)
                await node.stop(awaitingController: quorumCanRecordStop())
                nodes[id] = nil
                states[id] = .stopped
            }
        }
        try? await group.shutdownGracefully()
        dataDirectory.release()
    }
}

/// One node's view of the quorum.
public struct QuorumView: Sendable, Equatable {
    public var node: NodeID
    public var role: String
    public var epoch: Int32
    public var leader: NodeID?
    public var highWatermark: Int64
    public var logEndOffset: Int64
    public var isVoter: Bool
    public var activeController: Bool
}
