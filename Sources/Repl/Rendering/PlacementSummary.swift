// Repl room: what a replica placement comes to per broker: replicas and preferred leaders on
// each, the average the course notes reason with, and the rounds the striped placer walks. Pure.

import Cluster

/// The per-broker load of a topic's replica lists, as `calc placement` prints it.
///
/// The notes divide (partitions × replication factor / brokers); a learner then finds on
/// disk what the placer really did, which is not always the average. Kafka's
/// `StripedReplicaPlacer` walks the brokers in rounds of as many partitions as there are
/// (unfenced) brokers: a full round gives every broker RF replicas and one preferred
/// leadership, and the partitions of an unfinished round cover the brokers unevenly.
public struct PlacementSummary: Sendable, Equatable {
    /// One broker's share: replicas it holds and partitions it leads (the first replica, the
    /// preferred leader, leads a partition once it is created).
    public struct BrokerLoad: Sendable, Equatable {
        public var broker: NodeID
        public var replicas: Int
        public var leaders: Int
    }

    /// Each partition's replicas, preferred leader first, in partition order.
    public var partitions: [[NodeID]]
    /// Every broker placement could use, in id order, those given nothing included.
    public var brokers: [BrokerLoad]

    public init(partitions: [[NodeID]], brokers: [NodeID]) {
        self.partitions = partitions
        var replicas: [NodeID: Int] = [:]
        var leaders: [NodeID: Int] = [:]
        for list in partitions {
            for id in list { replicas[id, default: 0] += 1 }
            if let leader = list.first { leaders[leader, default: 0] += 1 }
        }
        // A broker outside `brokers` would be a placer bug; list it rather than hide a replica.
        let ids = Set(brokers).union(replicas.keys).sorted()
        self.brokers = ids.map { BrokerLoad(broker: $0, replicas: replicas[$0] ?? 0, leaders: leaders[$0] ?? 0) }
    }

    public var totalReplicas: Int { partitions.reduce(0) { $0 + $1.count } }
    public var replicationFactor: Int { partitions.first?.count ?? 0 }

    public var averageReplicas: Double {
        brokers.isEmpty ? 0 : Double(totalReplicas) / Double(brokers.count)
    }

    public var averageLeaders: Double {
        brokers.isEmpty ? 0 : Double(partitions.count) / Double(brokers.count)
    }

    public var fewestReplicas: Int { brokers.map(\.replicas).min() ?? 0 }
    public var mostReplicas: Int { brokers.map(\.replicas).max() ?? 0 }

    /// Rounds in which every broker led one partition (the placer reshuffles between rounds).
    public var fullRounds: Int { brokers.isEmpty ? 0 : partitions.count / brokers.count }
    /// Partitions of the last, unfinished round.
    public var partitionsAfterFullRounds: Int { brokers.isEmpty ? 0 : partitions.count % brokers.count }
}
