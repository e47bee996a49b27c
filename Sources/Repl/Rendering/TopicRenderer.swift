// Repl room: `topic describe` in the layout of `kafka-topics.sh --describe` (tab-separated
// fields, one summary line, then one line per partition). Pure.

import Cluster

public enum TopicRenderer {
    public static func describe(_ topic: TopicDescription, overrides: [(String, String)]) -> String {
        let factor = topic.partitions.first?.replicas.count ?? 0
        let configs = overrides.map { "\($0.0)=\($0.1)" }.joined(separator: ",")
        var lines = ["Topic: \(topic.name)\tTopicId: \(topic.topicId)\tPartitionCount: \(topic.partitions.count)\t"
                     + "ReplicationFactor: \(factor)\tConfigs: \(configs)"]
        for p in topic.partitions.sorted(by: { $0.partition < $1.partition }) {
            lines.append("\tTopic: \(topic.name)\tPartition: \(p.partition)\tLeader: \(p.leader >= 0 ? "\(p.leader)" : "none")\t"
                         + "Replicas: \(list(p.replicas))\tIsr: \(list(p.isr))")
        }
        return lines.joined(separator: "\n")
    }

    static func list(_ ids: [Int32]) -> String { ids.map(String.init).joined(separator: ",") }
}
