// Repl room: `log segments` and `log dump` output, the latter in the line format of Kafka's
// `kafka-dump-log.sh --files … [--print-data-log]`. Pure: snapshots in, text out.

import Cluster

public enum LogRenderer {
    public static func segments(_ snap: PartitionLogSnapshot) -> String {
        let rows = snap.segments.map { s in
            [s.logFileName, "\(s.baseOffset)", "\(s.nextOffset - 1)", "\(s.sizeInBytes)",
             s.firstTimestamp < 0 ? "-" : "\(s.firstTimestamp)", s.largestTimestamp < 0 ? "-" : "\(s.largestTimestamp)",
             s.isActive ? "yes" : ""]
        }
        let header = "\(snap.topicPartition) on broker \(snap.broker): log start offset \(snap.logStartOffset), "
            + "log end offset \(snap.logEndOffset), \(snap.segments.count) segment(s), \(snap.sizeInBytes) bytes"
        return header + "\n" + Table(headers: ["FILE", "BASE-OFFSET", "LAST-OFFSET", "SIZE", "FIRST-TIMESTAMP", "LARGEST-TIMESTAMP", "ACTIVE"], rows: rows).render()
    }

    public static func dump(_ d: SegmentDump, directory: String) -> String {
        var lines = ["Dumping \(directory)/\(d.segment.logFileName)", "Log starting offset: \(d.segment.baseOffset)"]
        for b in d.batches {
            let h = b.header
            let timeName = h.timestampType == .logAppendTime ? "LogAppendTime" : "CreateTime"
            lines.append(
                "baseOffset: \(h.baseOffset) lastOffset: \(h.lastOffset) count: \(h.recordsCount) "
                    + "baseSequence: \(h.baseSequence) lastSequence: \(h.lastSequence) producerId: \(h.producerId) "
                    + "producerEpoch: \(h.producerEpoch) partitionLeaderEpoch: \(h.partitionLeaderEpoch) "
                    + "isTransactional: \(h.isTransactional) isControl: \(h.isControl) position: \(b.position) "
                    + "\(timeName): \(h.maxTimestamp) size: \(h.totalSize) magic: \(h.magic) "
                    + "compresscodec: \(h.compression) crc: \(h.crc) isvalid: true")
            if let problem = b.recordsProblem { lines.append("| (records not shown: \(problem))") }
            for r in b.records ?? [] {
                let keyText = r.key.map { String(decoding: $0, as: UTF8.self) }
                let valueText = r.value.map { String(decoding: $0, as: UTF8.self) }
                let headerKeys = r.headers.map(\.key).joined(separator: ",")
                lines.append(
                    "| offset: \(r.offset) \(timeName): \(r.timestamp) keySize: \(r.key.map { "\($0.count)" } ?? "-1") "
                        + "valueSize: \(r.value.map { "\($0.count)" } ?? "-1") sequence: \(h.baseSequence < 0 ? -1 : Int64(h.baseSequence) + r.offset - h.baseOffset) "
                        + "headerKeys: [\(headerKeys)] key: \(keyText ?? "null") payload: \(valueText ?? "null")")
            }
        }
        if let stop = d.stopReason { lines.append("(walk \(stop))") }
        return lines.joined(separator: "\n")
    }
}
