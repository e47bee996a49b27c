// Node room: the metadata image each running node's broker serves, published at the edge so the
// REPL can read one named node's view synchronously (only where Kafka has no API for it).

/// The newest image of each running node.
///
/// `@unchecked Sendable`: `images` is only touched under `lock`.
public final class ImageBoard: @unchecked Sendable {
    private let lock = NIOLockLite()
    private var images: [NodeID: MetadataImage] = [:]

    public init() {}

    public func publish(_ id: NodeID, _ image: MetadataImage) { lock.withLock { images[id] = image } }
    public func forget(_ id: NodeID) { lock.withLock { _ = images.removeValue(forKey: id) } }
    public func image(of id: NodeID?) -> MetadataImage? { id.flatMap { id in lock.withLock { images[id] } } }
    /// The running node whose committed image is the newest (ties: the lowest id): the
    /// freshest committed view, which the REPL reads by default.
    public var newestNode: NodeID? {
        lock.withLock { images.keys.sorted().max { (images[$0]?.offset ?? -1) < (images[$1]?.offset ?? -1) } }
    }

    /// Whether every published image has reached the newest one's offset.
    public var converged: Bool {
        lock.withLock {
            let offsets = images.values.map(\.offset)
            return offsets.min() == offsets.max()
        }
    }
}
