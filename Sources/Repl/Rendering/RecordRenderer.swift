// Repl room: consumed records as an aligned table (partition, offset, timestamp, key, value,
// headers), and where a produced record went and why. Pure but for the local time zone.

import Cluster

public enum RecordRenderer {
    public static func text(_ bytes: [UInt8]?) -> String {
        guard let bytes else { return "null" }
        let s = String(decoding: bytes, as: UTF8.self)
        let shown = s.count > 60 ? String(s.prefix(57)) + "..." : s
        return shown.isEmpty ? "\"\"" : shown
    }

    public static func table(_ records: [ConsumedRecord]) -> String {
        let withHeaders = records.contains { !$0.headers.isEmpty }
        let rows = records.map { r -> [String] in
            var row = ["\(r.partition)", "\(r.offset)", timestamp(r.timestamp, r.timestampType), text(r.key), text(r.value)]
            if withHeaders {
                row.append(r.headers.map { "\($0.key)=\(text($0.value))" }.joined(separator: ","))
            }
            return row
        }
        var headers = ["PARTITION", "OFFSET", "TIMESTAMP", "KEY", "VALUE"]
        if withHeaders { headers.append("HEADERS") }
        return Table(headers: headers, rows: rows).render()
    }

    /// As kafka-console-consumer.sh prints it with print.timestamp=true (`CreateTime:1767225600123`),
    /// with the local time of day it stands for beside it.
    public static func timestamp(_ ms: Int64, _ type: TimestampType) -> String {
        let name = type == .logAppendTime ? "LogAppendTime" : "CreateTime"
        return ms < 0 ? "NoTimestampType" : "\(name):\(ms) (\(LocalTime.timeOfDay(ms)))"
    }

    /// `→ orders-2 @ offset 17 (key "order-42": murmur2(key) = …, 456 % 3 = 2)`
    public static func produced(_ m: RecordMetadata, key: String?, acks: Int16) -> String {
        let position = acks == 0 ? ", no offset: acks=0 does not wait for an answer" : " @ offset \(m.offset)"
        let why: String
        switch m.partitionChoice {
        case .explicit: why = "partition chosen with --partition"
        case .keyHash: why = "key \"\(key ?? "")\": \(m.partitionChoice)"
        case .sticky: why = "no key: the sticky partitioner's current partition"
        }
        return "→ \(m.topic)-\(m.partition)\(position) (\(why))"
    }
}
