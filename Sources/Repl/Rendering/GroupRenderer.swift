// Repl room: consumer groups in the layouts of kafka-consumer-groups.sh --describe (offsets,
// --members, --state) and --list. Pure: summaries in, text out.

import Cluster

public enum GroupRenderer {
    public static func offsets(_ g: GroupSummary) -> String {
        var owner: [TopicPartition: GroupSummary.Member] = [:]
        for m in g.members { for tp in m.assignment { owner[tp] = m } }
        let partitions = Set(g.offsets.map(\.topicPartition)).union(owner.keys).sorted()
        let rows = partitions.map { tp -> [String] in
            let committed = g.offsets.first { $0.topicPartition == tp }
            let m = owner[tp]
            return [g.groupId, tp.topic, "\(tp.partition)", committed.map { "\($0.committedOffset)" } ?? "-",
                    committed?.logEndOffset.map { "\($0)" } ?? "-", committed?.lag.map { "\($0)" } ?? "-",
                    m?.memberId ?? "-", m?.clientHost ?? "-", m?.clientId ?? "-"]
        }
        let table = Table(headers: ["GROUP", "TOPIC", "PARTITION", "CURRENT-OFFSET", "LOG-END-OFFSET", "LAG", "CONSUMER-ID", "HOST", "CLIENT-ID"], rows: rows).render()
        return g.members.isEmpty && rows.isEmpty ? "Consumer group '\(g.groupId)' has no active members and no committed offsets." : table
    }

    public static func members(_ g: GroupSummary) -> String {
        let rows = g.members.map { m in
            [g.groupId, m.memberId, m.clientHost, m.clientId, "\(m.assignment.count)", m.assignment.map(\.description).joined(separator: ",")]
        }
        if rows.isEmpty { return "Consumer group '\(g.groupId)' has no active members." }
        return Table(headers: ["GROUP", "CONSUMER-ID", "HOST", "CLIENT-ID", "#PARTITIONS", "ASSIGNMENT"], rows: rows).render()
    }

    public static func state(_ g: GroupSummary, coordinatorAddress: String) -> String {
        Table(headers: ["GROUP", "COORDINATOR (ID)", "ASSIGNMENT-STRATEGY", "STATE", "GENERATION", "#MEMBERS"],
              rows: [[g.groupId, "\(coordinatorAddress) (\(g.coordinator))", g.protocolName ?? "", g.state, "\(g.generation)", "\(g.members.count)"]]).render()
    }
}
