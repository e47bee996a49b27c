// Node room: what live nodes know about each other at the edge: where each CONTROLLER listener
// is, and which links the learner has cut (`link cut A B`). Both are consulted on every send.

/// Controller addresses and cut links, shared by a cluster's live nodes.
///
/// `@unchecked Sendable`: `ports` and `cuts` are only touched under `lock`.
public final class PeerDirectory: @unchecked Sendable {
    private let lock = NIOLockLite()
    private var ports: [NodeID: Int] = [:]
    private var cuts: Set<[NodeID]> = []
    public let host: String

    public init(host: String) { self.host = host }

    public func setControllerPort(_ id: NodeID, _ port: Int?) { lock.withLock { ports[id] = port } }
    public func controllerPort(_ id: NodeID) -> Int? { lock.withLock { ports[id] } }

    /// Drops all traffic between `a` and `b`, both ways, until `heal`.
    public func cut(_ a: NodeID, _ b: NodeID) { lock.withLock { _ = cuts.insert([a, b].sorted()) } }
    public func heal(_ a: NodeID, _ b: NodeID) { lock.withLock { _ = cuts.remove([a, b].sorted()) } }
    public func isCut(_ a: NodeID, _ b: NodeID) -> Bool { lock.withLock { cuts.contains([a, b].sorted()) } }
    public var cutLinks: [[NodeID]] { lock.withLock { cuts.sorted { $0.lexicographicallyPrecedes($1) } } }
}
