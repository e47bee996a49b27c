// Repl room: `cluster restart`: the whole cluster stopped cleanly and started again, with as
// many brokers as the learner asks for, so a placement worked out on paper can be checked.

import Cluster

enum ClusterRestartCommand: ReplCommand {
    static let spec = CommandSpec(
        ["cluster", "restart"], group: "cluster", synopsis: "cluster restart [--brokers N] [--controllers C]",
        help: "Stops every broker cleanly and starts a cluster of N brokers (1 to \(Limits.brokersMax)) in its place. The cluster the REPL started with keeps its data directory: restarted at its own size, it comes back with its topics. Another size starts empty in a scratch directory beside it, deleted when you leave it or quit: a cluster's KRaft metadata names its brokers and voters, so it cannot move to another count. Without --brokers, goes back to the cluster the REPL started with. A new cluster's first C brokers vote in the KRaft quorum (default: all of up to 3, else 3); the others are observers. Group members started with 'group join' are stopped first; the REPL's client, 'trace' and the lessons move to the new cluster.",
        examples: ["cluster restart --brokers 6", "cluster restart --brokers 5 --controllers 5", "cluster restart"],
        flags: [FlagSpec("--brokers", value: .number(1...Limits.brokersMax),
                         help: "brokers of the new cluster, 1 to \(Limits.brokersMax) (default: as many as the REPL started with)"),
                FlagSpec("--controllers", value: .number(1...Limits.brokersMax),
                         help: "how many of them vote in the KRaft quorum, 1 to N (a new cluster of another size only)")])

    static func run(_ invocation: Invocation, in session: Session) async throws(ReplError) {
        let brokers = try invocation.int("--brokers", in: 1...Limits.brokersMax) ?? session.starting.brokerCount
        let controllers = try invocation.int("--controllers", in: 1...Limits.brokersMax)
        let plan = try RestartPlan(brokers: brokers, controllers: controllers, starting: session.starting)
        let out = session.out
        let current = session.cluster.config
        out.line(session.onScratchCluster
                 ? "Stopping the \(current.brokerCount)-broker scratch cluster cleanly…"
                 : "Stopping the \(current.brokerCount)-broker cluster cleanly (its topics and data stay in \(current.dataDirectory))…",
                 .dim)
        let report = try await session.restartCluster(plan)
        for line in describe(report, starting: session.starting) { out.line(line) }
        out.lines(await started(session))
    }

    /// What became of the old cluster's members and data, and what the new one holds.
    static func describe(_ report: ClusterRestartReport, starting: StartingCluster) -> [String] {
        var lines: [String] = []
        if !report.stoppedMembers.isEmpty {
            lines.append("Stopped group member(s) \(report.stoppedMembers.joined(separator: ", ")) first: their groups "
                + "live on the old cluster. 'group join' starts new ones here.")
        }
        if let deleted = report.deletedScratch {
            lines.append("Deleted the \(report.previousBrokerCount)-broker scratch cluster's data in \(deleted).")
        }
        let plan = report.plan
        if plan.isStartingCluster {
            lines.append("Started the \(plan.brokerCount)-broker cluster the REPL started with, from \(plan.dataDirectory): "
                + "its brokers reopened their logs, so its topics, records and committed offsets are back.")
        } else {
            lines.append("Started a new, empty \(plan.brokerCount)-broker cluster in \(plan.dataDirectory): topics, records "
                + "and groups are not carried over from the \(report.previousBrokerCount)-broker cluster. It is scratch: "
                + "deleted when you leave it or quit; 'cluster restart' goes back to the "
                + "\(starting.brokerCount)-broker cluster the REPL started with.")
        }
        return lines
    }

    /// The new cluster as a learner meets it: who votes in the quorum, and where to connect.
    static func started(_ session: Session) async -> String {
        let config = session.cluster.config
        let voters = config.voters
        let observers = session.cluster.nodeIDs.filter { !voters.contains($0) }
        var quorum = "KRaft quorum: \(voters.count == 1 ? "broker" : "brokers") \(ids(voters)) \(voters.count == 1 ? "votes (the controller)" : "vote (controllers)")"
        quorum += observers.isEmpty ? "." : "; \(ids(observers)) \(observers.count == 1 ? "is an observer" : "are observers") (brokers only)."
        let status = await session.cluster.status()
        let running = status.brokers.filter { $0.state == .running }.count
        return [
            "\(running) of \(status.brokers.count) brokers running. " + quorum,
            "Bootstrap servers: \(status.bootstrap)",
        ].joined(separator: "\n")
    }

    static func ids(_ list: [NodeID]) -> String {
        guard let first = list.first, let last = list.last else { return "(none)" }
        if list.count > 2 && list.map(\.rawValue) == Array(first.rawValue...last.rawValue) { return "\(first)-\(last)" }
        return list.map(\.description).joined(separator: ", ")
    }
}
