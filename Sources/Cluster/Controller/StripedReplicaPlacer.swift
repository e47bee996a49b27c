// Controller room: where the replicas of new partitions go. Kafka's striped placement:
// round robin over racks and over the brokers in each, from seeded random starting points,
// with the leader always on an unfenced broker.

/// A broker placement may use: registered and not in controlled shutdown (Kafka's
/// `UsableBroker`). Fenced brokers may hold followers, never a new leader.
public struct UsableBroker: Equatable, Sendable {
    public var id: NodeID
    public var rack: String?
    public var fenced: Bool

    public init(id: NodeID, rack: String? = nil, fenced: Bool = false) {
        self.id = id
        self.rack = rack
        self.fenced = fenced
    }
}

/// Placement is impossible (Kafka's `InvalidReplicationFactorException`), with Kafka's words.
public struct PlacementError: Error, Equatable, Sendable {
    public var message: String
}

/// The random draws placement makes, as Java's `Random.nextInt(bound)` offers them, so that a
/// test can replay Kafka's own placement tests draw for draw.
public protocol PlacementRandom {
    /// A number in `0..<bound`; `bound` is positive.
    mutating func nextInt(_ bound: Int) -> Int
}

extension SplitMix64: PlacementRandom {
    public mutating func nextInt(_ bound: Int) -> Int {
        precondition(bound > 0, "a random draw needs a positive bound")
        return Int(next() % UInt64(bound))
    }
}

/// Kafka's `StripedReplicaPlacer`.
///
/// Brokers are grouped by rack (no rack is a rack of its own); racks and the brokers within
/// each are walked round robin from random starting points. Each partition starts one rack
/// (and one broker) further on, which gives the "striped" pattern: with brokers 0-3 and
/// replication factor 3, partitions get 2,3,0 then 3,0,1 then 0,1,2... The first replica
/// (the preferred leader) is always unfenced; fenced brokers are used for followers only when
/// the unfenced ones run out. After as many partitions as there are unfenced brokers, racks
/// and broker lists are shuffled so the next round does not repeat the same replica sets.
///
/// Two choices differ from Kafka's code for determinism: racks are initialised in sorted order
/// (Kafka walks a HashMap), and a shuffle restarts every broker list's walk, where Kafka keeps
/// each list's position, which can leave a list that was last used in the matching epoch of
/// the previous round empty for the next one.
public enum StripedReplicaPlacer {
    /// Replicas for `partitions` new partitions, each a list of `replicationFactor` distinct
    /// brokers, preferred leader first. `existing` are the topic's current partitions in
    /// order: new ones continue their stripe instead of starting at a random broker (Kafka's
    /// placer does so since 4.1 for CreatePartitions).
    public static func place<R: PlacementRandom>(
        partitions: Int, replicationFactor: Int, brokers: [UsableBroker],
        existing: [[NodeID]] = [], random: inout R
    ) throws(PlacementError) -> [[NodeID]] {
        var racks = RackList(brokers: brokers, existing: existing, random: &random)
        try RackList.checkPositive(replicationFactor)
        try RackList.checkSomeUnfenced(racks.unfencedCount)
        try RackList.checkEnoughBrokers(replicationFactor, total: racks.totalCount)
        var out: [[NodeID]] = []
        out.reserveCapacity(partitions)
        for _ in 0..<max(partitions, 0) {
            out.append(try racks.place(replicationFactor: replicationFactor, random: &random))
        }
        return out
    }
}
