// Repl room: where `cluster restart` puts the next cluster: the data directory the REPL started
// with for its own broker count, a scratch directory beside it for any other. Pure.

import Cluster

/// The cluster the REPL was started with (`--brokers`, `--data-dir`, `--ephemeral`): its data
/// directory belongs to its broker count.
public struct StartingCluster: Sendable, Equatable {
    public var dataDirectory: String
    public var brokerCount: Int
    /// How many of its nodes vote in the KRaft quorum.
    public var voterCount: Int

    public init(dataDirectory: String, brokerCount: Int, voterCount: Int) {
        self.dataDirectory = dataDirectory
        self.brokerCount = brokerCount
        self.voterCount = voterCount
    }
}

/// The decision behind one `cluster restart`: how many brokers, which directory, and whether it
/// is wiped first.
///
/// A data directory holds one cluster's KRaft metadata log: its voters, its registered brokers
/// and every partition's replicas. A cluster of another size cannot take it over (replicas would
/// stay assigned to brokers that no longer exist, and the quorum's voters would change under a
/// log that names the old ones; Kafka moves partitions with kafka-reassign-partitions.sh and
/// changes voters one at a time, KIP-853). So another size starts empty, in a scratch directory
/// of its own, and the starting directory is left as it was: going back to its size brings its
/// topics back.
struct RestartPlan: Equatable {
    var brokerCount: Int
    var dataDirectory: String
    /// Whether the directory is wiped first. Only a scratch cluster is: it always starts empty.
    var fresh: Bool
    /// Voters of a scratch cluster (`--controllers`); nil for the default (all of up to 3
    /// brokers, else 3) and for the starting cluster, which keeps its own.
    var controllers: Int?

    /// Whether this is the cluster the REPL started with, data and all.
    var isStartingCluster: Bool { !fresh }

    /// Refuses voters a cluster cannot have: more than its brokers, or another number than the
    /// starting cluster's, whose metadata log names its voters (Kafka changes them one at a
    /// time with kafka-metadata-quorum.sh add-controller, KIP-853; a restart cannot).
    init(brokers: Int, controllers: Int? = nil, starting: StartingCluster) throws(ReplError) {
        if let controllers, !(1...brokers).contains(controllers) {
            throw .usage("--controllers takes 1 to \(brokers) (the voters are among the \(brokers) brokers), not \(controllers)")
        }
        brokerCount = brokers
        if brokers == starting.brokerCount {
            if let controllers, controllers != starting.voterCount {
                let other = brokers == Limits.brokersMax ? brokers - 1 : brokers + 1
                throw .usage("the \(brokers)-broker cluster the REPL started with keeps its \(starting.voterCount) voter(s), "
                    + "which its metadata log names; --controllers sets up a new, empty cluster of another size, "
                    + "e.g. cluster restart --brokers \(other) --controllers \(min(controllers, other))")
            }
            dataDirectory = starting.dataDirectory
            fresh = false
            self.controllers = nil
        } else {
            dataDirectory = Self.scratchDirectory(brokers: brokers, beside: starting.dataDirectory)
            fresh = true
            self.controllers = controllers
        }
    }

    /// `~/.swiftka-learn/data` → `~/.swiftka-learn/data-6-brokers`: beside the starting
    /// directory, never inside it, so neither cluster's files ever mix.
    static func scratchDirectory(brokers: Int, beside starting: String) -> String {
        var base = Substring(starting)
        while base.count > 1 && base.hasSuffix("/") { base = base.dropLast() }
        return "\(base)-\(brokers)-brokers"
    }
}
