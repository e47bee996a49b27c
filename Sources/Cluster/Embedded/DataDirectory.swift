// Embedded room: the cluster's data directory on disk: its lock, the facts it remembers
// about its cluster (id, broker count) and one folder per node, laid out as Kafka's log dirs.

import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Why a cluster could not start or a broker command was refused. Each message says what
/// to do instead, because the reader is the learner.
public enum ClusterError: Error, Equatable, CustomStringConvertible {
    case dataDirectoryLocked(path: String)
    case brokerCountMismatch(path: String, existing: Int, requested: Int)
    case controllerCountMismatch(path: String, existing: Int, requested: Int)
    case portInUse(port: Int)
    case noSuchBroker(NodeID, known: [NodeID])
    case brokerNotRunning(NodeID, state: BrokerState)
    case brokerAlreadyRunning(NodeID)
    case io(String)

    public var description: String {
        switch self {
        case .dataDirectoryLocked(let path):
            return "The data directory \(path) is in use by another swiftka-learn. Stop that one, "
                + "or use --data-dir DIR or --ephemeral for a separate cluster."
        case .brokerCountMismatch(let path, let existing, let requested):
            return "The data directory \(path) holds a \(existing)-broker cluster, but --brokers \(requested) "
                + "was asked for. Use --brokers \(existing), --fresh to wipe it, or --data-dir DIR for another."
        case .controllerCountMismatch(let path, let existing, let requested):
            return "The data directory \(path) holds a cluster whose KRaft quorum has \(existing) voter(s), but "
                + "--controllers \(requested) was asked for: its metadata log belongs to those voters. Use --controllers "
                + "\(existing), --fresh to wipe it, or --data-dir DIR for another."
        case .portInUse(let port):
            return "Port \(port) on 127.0.0.1 is already in use. Choose another with --port P."
        case .noSuchBroker(let id, let known):
            return "No broker \(id). Brokers: \(known.map(\.description).joined(separator: ", "))."
        case .brokerNotRunning(let id, let state):
            return "Broker \(id) is already \(state). Try: broker start \(id)"
        case .brokerAlreadyRunning(let id):
            return "Broker \(id) is already running. Try: broker kill \(id) or broker stop \(id)"
        case .io(let message):
            return message
        }
    }
}

/// The on-disk home of one embedded cluster, locked while a process uses it.
///
/// Like Kafka, each node's folder holds a `meta.properties` naming the cluster and node, so a
/// folder can never be started as part of a different cluster.
public final class DataDirectory: @unchecked Sendable {
    // @unchecked: the lock descriptor is only read or cleared under `lockGuard`.
    public let path: String
    public let clusterID: String
    public let brokerCount: Int
    private var lockDescriptor: Int32
    private let lockGuard = NSLock()

    static let clusterFile = "cluster.properties"
    static let lockFile = ".lock"

    /// Opens (creating if needed) and locks the directory for a cluster of `brokerCount` nodes
    /// of which the first `controllers` vote in the quorum (nil: Kafka's choice here, every
    /// node of up to 3). A directory made with other counts is refused, never rewritten.
    public init(path: String, brokerCount: Int, controllers: Int? = nil, fresh: Bool) throws(ClusterError) {
        let voters = controllers ?? min(brokerCount, 3)
        let fm = FileManager.default
        if fresh { try? fm.removeItem(atPath: path) }
        do {
            try fm.createDirectory(atPath: path, withIntermediateDirectories: true)
        } catch {
            throw .io("Cannot create the data directory \(path): \(error.localizedDescription)")
        }
        let fd = open(path + "/" + Self.lockFile, O_RDWR | O_CREAT, 0o644)
        guard fd >= 0 else { throw .io("Cannot open \(path)/\(Self.lockFile): errno \(errno)") }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            close(fd)
            throw .dataDirectoryLocked(path: path)
        }
        let propertiesPath = path + "/" + Self.clusterFile
        if let text = try? String(contentsOfFile: propertiesPath, encoding: .utf8) {
            let props = Self.parseProperties(text)
            let existing = props["broker.count"].flatMap(Int.init) ?? brokerCount
            guard existing == brokerCount else {
                close(fd)
                throw .brokerCountMismatch(path: path, existing: existing, requested: brokerCount)
            }
            // Written since `--controllers` exists; older directories used the default.
            let existingVoters = props["controller.count"].flatMap(Int.init) ?? min(existing, 3)
            guard existingVoters == voters else {
                close(fd)
                throw .controllerCountMismatch(path: path, existing: existingVoters, requested: voters)
            }
            clusterID = props["cluster.id"] ?? Self.newClusterID()
        } else {
            clusterID = Self.newClusterID()
            let text = "# swiftka-learn embedded cluster\ncluster.id=\(clusterID)\nbroker.count=\(brokerCount)\n"
                + "controller.count=\(voters)\n"
            do {
                try text.write(toFile: propertiesPath, atomically: true, encoding: .utf8)
            } catch {
                close(fd)
                throw .io("Cannot write \(propertiesPath): \(error.localizedDescription)")
            }
        }
        self.path = path
        self.brokerCount = brokerCount
        self.lockDescriptor = fd
        for id in 1...brokerCount { try prepareNodeDirectory(NodeID(Int32(id))) }
    }

    deinit { release() }

    /// Unlocks the directory so another process (or a later cluster) may use it. Idempotent.
    public func release() {
        lockGuard.lock()
        defer { lockGuard.unlock() }
        guard lockDescriptor >= 0 else { return }
        close(lockDescriptor)
        lockDescriptor = -1
    }

    public func nodeDirectory(_ id: NodeID) -> String { "\(path)/node-\(id)" }

    /// Creates `node-<id>/` with Kafka's `meta.properties` (version 1, cluster.id, node.id).
    private func prepareNodeDirectory(_ id: NodeID) throws(ClusterError) {
        let dir = nodeDirectory(id)
        do {
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
            let meta = dir + "/meta.properties"
            if !FileManager.default.fileExists(atPath: meta) {
                let text = "#\nversion=1\ncluster.id=\(clusterID)\nnode.id=\(id)\n"
                try text.write(toFile: meta, atomically: true, encoding: .utf8)
            }
        } catch {
            throw .io("Cannot prepare \(dir): \(error.localizedDescription)")
        }
    }

    static func parseProperties(_ text: String) -> [String: String] {
        var out: [String: String] = [:]
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            guard let eq = line.firstIndex(of: "=") else { continue }
            out[String(line[..<eq]).trimmingCharacters(in: .whitespaces)] =
                String(line[line.index(after: eq)...]).trimmingCharacters(in: .whitespaces)
        }
        return out
    }

    /// A new cluster id in Kafka's form (a random UUID, URL-safe base64). Random at the edge
    /// is fine: the id is data from here on, never a decision input.
    static func newClusterID() -> String {
        var rng = SystemRandomNumberGenerator()
        return Uuid(mostSignificantBits: rng.next(), leastSignificantBits: rng.next()).description
    }
}
