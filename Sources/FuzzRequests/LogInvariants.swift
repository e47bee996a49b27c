// Fuzz harness: what must hold of a broker's partition logs whatever the requests: the log
// start offset, high watermark and log end offset stay ordered, and none goes back.

import Cluster

/// Checks between two moments of one broker. Clients have no API that truncates a leader's
/// log (only a follower truncates, to its leader): whatever a frame did, a partition that is
/// still the same topic (same topic id) keeps or raises its three offsets.
enum LogInvariants {
    struct Marks {
        var topicId: Uuid
        var logStart: Int64
        var highWatermark: Int64
        var logEnd: Int64
    }

    static func marks(_ broker: Broker) -> [TopicPartition: Marks] {
        broker.logs.mapValues {
            Marks(
                topicId: $0.topicId, logStart: $0.logStartOffset, highWatermark: $0.highWatermark,
                logEnd: $0.logEndOffset)
        }
    }

    static func check(_ broker: Broker, since before: [TopicPartition: Marks]) {
        for (tp, now) in marks(broker) {
            precondition(
                0 <= now.logStart && now.logStart <= now.highWatermark && now.highWatermark <= now.logEnd,
                "\(tp): log start \(now.logStart), high watermark \(now.highWatermark), log end \(now.logEnd) out of order")
            guard let was = before[tp], was.topicId == now.topicId else { continue }
            precondition(now.logEnd >= was.logEnd, "\(tp): log end went back from \(was.logEnd) to \(now.logEnd)")
            precondition(
                now.highWatermark >= was.highWatermark,
                "\(tp): high watermark went back from \(was.highWatermark) to \(now.highWatermark)")
            precondition(
                now.logStart >= was.logStart, "\(tp): log start went back from \(was.logStart) to \(now.logStart)")
        }
    }
}
