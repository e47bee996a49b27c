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
    /// Seeds the controller's choices (topic ids, where placement starts). nil: derived from
    /// the cluster id, so one data directory always decides the same way.
    public var seed: UInt64?

    public init(brokerCount: Int = 3, dataDirectory: String, fresh: Bool = false,
                ports: PortPlan = .ephemeral, host: String = "127.0.0.1", seed: UInt64? = nil) {
        self.seed = seed
        self.brokerCount = brokerCount
        self.dataDirectory = dataDirectory
        self.fresh = fresh
        self.ports = ports
        self.host = host
    }
}

/// One broker in a status snapshot.
public struct BrokerStatus: Sendable, Equatable {
    public var id: NodeID
    public var host: String
    public var port: Int
    public var state: BrokerState
    public var uptime: Duration?
    public var connections: Int
    public var address: String { "\(host):\(port)" }
}

/// An immutable picture of the cluster for the REPL, taken at one moment.
public struct ClusterStatus: Sendable {
    public var clusterID: String
    public var dataDirectory: String
    public var brokers: [BrokerStatus]
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
    public let config: EmbeddedClusterConfig
    public let dataDirectory: DataDirectory
    private let group: MultiThreadedEventLoopGroup
    private var nodes: [NodeID: LiveNode] = [:]
    private var states: [NodeID: BrokerState] = [:]
    private var ports: [NodeID: Int] = [:]
    /// Every node reports answered requests here; the REPL's `trace on` attaches a sink.
    public nonisolated let trace = TraceSwitch()
    /// What nodes want the learner to know (recovery cuts, retention deletions).
    public nonisolated let notices = NoticeBoard()
    public nonisolated let nodeIDs: [NodeID]
    /// The cluster's metadata: controller decisions, their log on disk, the current image.
    public nonisolated let metadata: ClusterMetadataService
    private let liveNodes = LiveNodeTable()

    /// Locks the data directory; `start()` then brings the nodes up.
    public init(config: EmbeddedClusterConfig) throws(ClusterError) {
        self.config = config
        self.dataDirectory = try DataDirectory(
            path: config.dataDirectory, brokerCount: config.brokerCount, fresh: config.fresh)
        self.group = MultiThreadedEventLoopGroup(numberOfThreads: min(2, System.coreCount))
        self.nodeIDs = (1...config.brokerCount).map { NodeID(Int32($0)) }
        // FNV-1a of the cluster id: stable across runs, unlike Swift's seeded hashValue.
        let seed = config.seed ?? dataDirectory.clusterID.utf8.reduce(0xCBF2_9CE4_8422_2325 as UInt64) { ($0 ^ UInt64($1)) &* 0x100_0000_01B3 }
        self.metadata = try ClusterMetadataService(dataDirectory: config.dataDirectory, seed: seed)
        let table = liveNodes
        metadata.setPublisher { image in
            for node in table.all() { node.apply(image: image) }
        }
    }

    public nonisolated var clusterID: String { dataDirectory.clusterID }

    /// Starts every node; returns once every listener accepts connections.
    public func start() async throws(ClusterError) {
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
                for started in nodes.keys {
                    await nodes[started]?.kill()
                    liveNodes.set(started, nil)
                    metadata.setRunning(started, false)
                }
                nodes = [:]
                states = [:]
                throw error
            }
        }
    }

    private func startNode(_ id: NodeID, port: Int) async throws(ClusterError) {
        var observers = NodeObservers()
        observers.trace = trace
        observers.notices = notices
        do {
            let identity = BrokerIdentity(nodeID: id, clusterID: clusterID, host: config.host, port: port)
            let node = try await LiveNode.start(
                identity: identity, controller: metadata, logDirectory: dataDirectory.nodeDirectory(id),
                image: metadata.image, eventLoop: group.next(), observers: observers)
            nodes[id] = node
            states[id] = .running
            ports[id] = node.port
            liveNodes.set(id, node)
            metadata.setRunning(id, true)
            try metadata.register(id, host: config.host, port: node.port)
            node.apply(image: metadata.image)
        } catch let error as ClusterError {
            throw error
        } catch let error as IOError where error.errnoCode == EADDRINUSE {
            throw .portInUse(port: port)
        } catch {
            throw .io("Broker \(id) could not listen on \(config.host):\(port): \(error)")
        }
    }

    /// The running node with this id, for read-only inspection by the REPL.
    public func node(_ id: NodeID) -> LiveNode? { nodes[id] }

    private func requireKnown(_ id: NodeID) throws(ClusterError) {
        guard nodeIDs.contains(id) else { throw .noSuchBroker(id, known: nodeIDs) }
    }

    /// Crashes a running broker (see `LiveNode.kill`).
    public func kill(_ id: NodeID) async throws(ClusterError) -> BrokerTransition {
        try requireKnown(id)
        guard let node = nodes[id] else { throw .brokerNotRunning(id, state: states[id] ?? .stopped) }
        liveNodes.set(id, nil)
        metadata.setRunning(id, false)
        let dropped = await node.kill()
        nodes[id] = nil
        states[id] = .killed
        return BrokerTransition(id: id, from: .running, to: .killed, connectionsClosed: dropped,
                                address: "\(config.host):\(node.port)")
    }

    /// Shuts a running broker down cleanly.
    public func stop(_ id: NodeID) async throws(ClusterError) -> BrokerTransition {
        try requireKnown(id)
        guard let node = nodes[id] else { throw .brokerNotRunning(id, state: states[id] ?? .stopped) }
        liveNodes.set(id, nil)
        metadata.setRunning(id, false)
        let closed = await node.stop()
        nodes[id] = nil
        states[id] = .stopped
        return BrokerTransition(id: id, from: .running, to: .stopped, connectionsClosed: closed,
                                address: "\(config.host):\(node.port)")
    }

    /// Starts a fresh node instance for a stopped or killed broker, on the port it had, from
    /// its data directory.
    public func restart(_ id: NodeID) async throws(ClusterError) -> BrokerTransition {
        try requireKnown(id)
        guard nodes[id] == nil else { throw .brokerAlreadyRunning(id) }
        let previous = states[id] ?? .stopped
        try await startNode(id, port: ports[id] ?? 0)
        return BrokerTransition(id: id, from: previous, to: .running, connectionsClosed: 0,
                                address: "\(config.host):\(ports[id] ?? 0)")
    }

    /// Waits until every running node has done the work already queued on its event loop,
    /// such as applying the newest metadata image. The REPL settles before it shows notices, so
    /// that a note from another broker (a deleted log) appears under the command that caused it.
    public func settle() async {
        for id in nodeIDs {
            _ = await nodes[id]?.inspect { _ in true }
        }
    }

    public func state(of id: NodeID) -> BrokerState? { states[id] }

    public func status() async -> ClusterStatus {
        var brokers: [BrokerStatus] = []
        for id in nodeIDs {
            let node = nodes[id]
            brokers.append(BrokerStatus(
                id: id, host: config.host, port: ports[id] ?? 0, state: states[id] ?? .stopped,
                uptime: node?.uptime, connections: await node?.connectionCount() ?? 0))
        }
        return ClusterStatus(clusterID: clusterID, dataDirectory: config.dataDirectory, brokers: brokers)
    }

    /// Stops every running broker cleanly and releases the event loops.
    public func shutdown() async {
        for id in nodeIDs {
            if let node = nodes[id] {
                liveNodes.set(id, nil)
                metadata.setRunning(id, false)
                await node.stop()
                nodes[id] = nil
                states[id] = .stopped
            }
        }
        try? await group.shutdownGracefully()
        dataDirectory.release()
    }
}

/// The running nodes, readable from the metadata publisher (any thread).
final class LiveNodeTable: @unchecked Sendable {
    // @unchecked: `nodes` is only touched under `lock`.
    private let lock = NSLock()
    private var nodes: [NodeID: LiveNode] = [:]

    func set(_ id: NodeID, _ node: LiveNode?) { lock.withLock { nodes[id] = node } }
    func all() -> [LiveNode] { lock.withLock { nodes.keys.sorted().compactMap { nodes[$0] } } }
}
