// Repl room: the KRaft quorum and the metadata log as text: the layouts of
// kafka-metadata-quorum.sh describe --status / --replication, and one line per metadata record.

import Cluster

enum QuorumRenderer {
    static func age(_ timestamp: Int64, now: Int64) -> String {
        timestamp < 0 ? "-" : "\(max(0, now - timestamp)) ms ago"
    }

    static func status(_ q: QuorumInfo, clusterId: String, now: Int64) -> String {
        let leaderEnd = q.voters.first { $0.replicaId == q.leaderId }?.logEndOffset ?? q.highWatermark
        let followers = (q.voters + q.observers).filter { $0.replicaId != q.leaderId }
        let maxLag = followers.map { max(0, leaderEnd - $0.logEndOffset) }.max() ?? 0
        let maxLagMs = followers.compactMap { $0.lastCaughtUpTimestamp >= 0 ? max(0, now - $0.lastCaughtUpTimestamp) : nil }.max() ?? 0
        func ids(_ r: [QuorumReplica]) -> String { "[" + r.map { "\($0.replicaId)" }.joined(separator: ",") + "]" }
        return """
            ClusterId:              \(clusterId)
            LeaderId:               \(q.leaderId)
            LeaderEpoch:            \(q.leaderEpoch)
            HighWatermark:          \(q.highWatermark)
            MaxFollowerLag:         \(maxLag)
            MaxFollowerLagTimeMs:   \(maxLagMs)
            CurrentVoters:          \(ids(q.voters))
            CurrentObservers:       \(ids(q.observers))
            """
    }

    static func replication(_ q: QuorumInfo, now: Int64) -> String {
        let leaderEnd = q.voters.first { $0.replicaId == q.leaderId }?.logEndOffset ?? q.highWatermark
        func row(_ r: QuorumReplica, _ kind: String) -> [String] {
            let status = r.replicaId == q.leaderId ? "Leader" : kind
            return ["\(r.replicaId)", "\(r.logEndOffset)", "\(max(0, leaderEnd - r.logEndOffset))",
                    age(r.lastFetchTimestamp, now: now), age(r.lastCaughtUpTimestamp, now: now), status]
        }
        let rows = q.voters.sorted { ($0.replicaId == q.leaderId ? 0 : 1, $0.replicaId) < ($1.replicaId == q.leaderId ? 0 : 1, $1.replicaId) }
            .map { row($0, "Follower") } + q.observers.map { row($0, "Observer") }
        return Table(headers: ["NodeId", "LogEndOffset", "Lag", "LastFetchTimestamp", "LastCaughtUpTimestamp", "Status"], rows: rows).render()
    }
}

enum MetadataRenderer {
    /// One line per record: offset, leader epoch, Kafka's record type and its fields.
    static func lines(_ batches: [MetadataBatch]) -> [String] {
        var out: [String] = []
        for batch in batches {
            switch batch.content {
            case .leaderChange(let change):
                out.append("offset \(batch.baseOffset)  epoch \(batch.leaderEpoch)  LeaderChange  leaderId=\(change.leaderId) voters=\(change.voters.map(String.init)) grantingVoters=\(change.grantingVoters.map(String.init))")
            case .records(let records):
                for (i, record) in records.enumerated() {
                    let fields = record.fields.map { "\($0.0)=\($0.1)" }.joined(separator: " ")
                    out.append("offset \(batch.baseOffset + Int64(i))  epoch \(batch.leaderEpoch)  \(record.typeName)  \(fields)")
                }
            }
        }
        return out
    }
}
