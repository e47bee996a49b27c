// Repl room: renders a cluster status snapshot: `status` and `broker list`. Pure.

import Cluster

public enum StatusRenderer {
    public static func render(_ status: ClusterStatus) -> String {
        let running = status.brokers.filter { $0.state == .running }.count
        return [
            "Cluster id:  \(status.clusterID)",
            "Bootstrap:   \(status.bootstrap)",
            "Data dir:    \(status.dataDirectory)",
            "Brokers:     \(running) of \(status.brokers.count) running",
            "",
            brokerTable(status),
        ].joined(separator: "\n")
    }

    public static func brokerTable(_ status: ClusterStatus) -> String {
        let rows = status.brokers.map { b in
            let registration = b.fenced.map { $0 ? "fenced" : "unfenced" } ?? "-"
            var quorum = (b.isVoter ? "voter" : "observer")
            // An observer's Raft role is "observer": said once.
            if let role = b.quorumRole, role != quorum { quorum += ", \(role)" }
            if status.controller == b.id { quorum += " (active controller)" }
            return [b.id.description, b.address, b.state.description, registration, quorum, b.uptime.map(formatDuration) ?? "-"]
        }
        return Table(headers: ["ID", "ADDRESS", "STATE", "REGISTRATION", "KRAFT QUORUM", "UPTIME"], rows: rows).render()
    }
}
