// Repl room: `calc placement` output: the arithmetic of the notes, each partition's replicas in
// the `Replicas:` form of kafka-topics.sh --describe, and a table of the load per broker. Pure.

import Cluster

public enum PlacementRenderer {
    /// Partition lines shown before the rest are summed up (the table still counts them all).
    static let partitionLinesMax = 50

    public static func render(_ summary: PlacementSummary, seed: UInt64) -> String {
        let n = summary.brokers.count
        let p = summary.partitions.count
        let r = summary.replicationFactor
        var lines = [
            "\(p) partition\(p == 1 ? "" : "s") × replication factor \(r) = \(summary.totalReplicas) replicas on \(n) broker\(n == 1 ? "" : "s"): "
                + "\(number(summary.averageReplicas)) per broker on average.",
            "Placed by the controller's StripedReplicaPlacer (the code 'topic create' runs) on brokers \(brokerRange(summary)), "
                + "all unfenced, no racks, random seed \(seed); the first replica is the preferred leader:",
        ]
        for (i, replicas) in summary.partitions.prefix(partitionLinesMax).enumerated() {
            let list = replicas.map(\.description).joined(separator: ",")
            lines.append("\tPartition: \(i)\tLeader: \(replicas.first?.description ?? "none")\tReplicas: \(list)")
        }
        if p > partitionLinesMax { lines.append("\t… \(p - partitionLinesMax) more partitions, counted below") }
        var rows = summary.brokers.map { [$0.broker.description, "\($0.replicas)", "\($0.leaders)"] }
        rows.append(["average", number(summary.averageReplicas), number(summary.averageLeaders)])
        lines.append(Table(headers: ["BROKER", "REPLICAS", "LEADER OF"], rows: rows).render())
        lines.append(rounds(summary))
        return lines.joined(separator: "\n")
    }

    /// Why the counts are what they are: full rounds are even, an unfinished one is not.
    static func rounds(_ summary: PlacementSummary) -> String {
        let n = summary.brokers.count
        let p = summary.partitions.count
        let full = summary.fullRounds
        let rest = summary.partitionsAfterFullRounds
        var text = "The placer works in rounds of \(n) partition\(n == 1 ? "" : "s"), one led by each broker; "
            + "a full round gives every broker \(summary.replicationFactor) replica\(summary.replicationFactor == 1 ? "" : "s"), "
            + "and each new round starts from a fresh shuffle. "
        let spread = summary.fewestReplicas == summary.mostReplicas
            ? "every broker holds \(summary.mostReplicas) replicas"
            : "the brokers hold between \(summary.fewestReplicas) and \(summary.mostReplicas) replicas here, "
                + "not \(number(summary.averageReplicas)) each"
        switch (full, rest) {
        case (_, 0):
            text += "\(p) partitions = \(full) full round\(full == 1 ? "" : "s"): \(spread) and leads \(full)."
        case (0, _):
            text += "\(p) partition\(p == 1 ? " is" : "s are") less than one round: \(spread)."
        default:
            text += "\(p) partitions = \(full) full round\(full == 1 ? "" : "s") + \(rest) partition\(rest == 1 ? "" : "s") of the next: \(spread)."
        }
        return text
    }

    /// What a learner should not read into one draw.
    public static let drawNote = "The random draw decides which brokers share a partition: another --seed draws again, "
        + "and a real cluster's controller draws from its own seed, so 'topic create' places on other brokers "
        + "with the same spread."

    /// "1-6", or the ids when they are not a run.
    static func brokerRange(_ summary: PlacementSummary) -> String {
        let ids = summary.brokers.map(\.broker.rawValue)
        guard let first = ids.first, let last = ids.last else { return "(none)" }
        if ids == Array(first...last) { return first == last ? "\(first)" : "\(first)-\(last)" }
        return ids.map(String.init).joined(separator: ",")
    }

    /// 5, 1.67, 2.5: whole numbers plain, else at most two decimals.
    static func number(_ value: Double) -> String {
        let hundredths = Int64((value * 100).rounded())
        if hundredths % 100 == 0 { return "\(hundredths / 100)" }
        let fraction = hundredths % 100
        let digits = fraction % 10 == 0 ? "\(fraction / 10)" : (fraction < 10 ? "0\(fraction)" : "\(fraction)")
        return "\(hundredths / 100).\(digits)"
    }
}
