// Repl room: where `cluster restart` puts the next cluster: the data directory the REPL started
// with for its own broker count, a scratch directory beside it for any other. Pure.

/// The cluster the REPL was started with (`--brokers`, `--data-dir`, `--ephemeral`): its data
/// directory belongs to its broker count.
public struct StartingCluster: Sendable, Equatable {
    public var dataDirectory: String
    public var brokerCount: Int

    public init(dataDirectory: String, brokerCount: Int) {
        self.dataDirectory = dataDirectory
        self.brokerCount = brokerCount
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

    /// Whether this is the cluster the REPL started with, data and all.
    var isStartingCluster: Bool { !fresh }

    init(brokers: Int, starting: StartingCluster) {
        brokerCount = brokers
        if brokers == starting.brokerCount {
            dataDirectory = starting.dataDirectory
            fresh = false
        } else {
            dataDirectory = Self.scratchDirectory(brokers: brokers, beside: starting.dataDirectory)
            fresh = true
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
