// Repl room: the storage group: a partition's segment files, what is inside one, and the
// retention arithmetic of the course notes.

import Cluster

/// Parses `TOPIC PARTITION` arguments into a partition that exists, or says what does.
@MainActor
func topicPartition(_ topic: String, _ partition: String, session: Session) throws(ReplError) -> TopicPartition {
    let image = session.cluster.image
    guard let t = image.topic(topic) else {
        let names = image.topicNames
        throw .failed("No topic '\(topic)'." + (names.isEmpty ? " There are no topics yet. Try: topic create \(topic)" : " Topics: \(names.joined(separator: ", ")). Try: topic describe \(names[0])"))
    }
    guard let p = Int32(partition), p >= 0, Int(p) < t.partitions.count else {
        throw .usage("'\(topic)' has partitions 0 to \(t.partitions.count - 1), not '\(partition)'")
    }
    return TopicPartition(topic: topic, partition: p)
}

@MainActor
func optionalBroker(_ invocation: Invocation, session: Session) throws(ReplError) -> NodeID? {
    guard let text = invocation.value("--broker") else { return nil }
    return try brokerID(text, session: session)
}

enum LogSegmentsCommand: ReplCommand {
    static let spec = CommandSpec(
        ["log", "segments"], group: "storage", synopsis: "log segments TOPIC PARTITION [--broker N]",
        help: "Lists a partition's segment files on a broker (default: its leader): base offset, last offset, size, timestamps, and which one is active (takes new appends). A segment rolls at segment.bytes or segment.ms.",
        examples: ["log segments orders 0", "log segments orders 1 --broker 2"], arguments: [.topic, .number(0...Int(Int32.max))],
        positionalCount: 2...2, flags: [FlagSpec("--broker", value: .brokerID, help: "read the copy on this broker")])

    static func run(_ invocation: Invocation, in session: Session) async throws(ReplError) {
        let tp = try topicPartition(invocation.positionals[0], invocation.positionals[1], session: session)
        let broker = try optionalBroker(invocation, session: session)
        guard let snap = await session.cluster.snapshot(tp, broker: broker) else {
            throw .failed("No log of \(tp) is readable on broker \(broker?.description ?? session.cluster.leader(of: tp)?.description ?? "-") (down, or not a replica). Try: broker list")
        }
        session.out.lines(LogRenderer.segments(snap))
    }
}

enum LogDumpCommand: ReplCommand {
    static let spec = CommandSpec(
        ["log", "dump"], group: "storage", synopsis: "log dump TOPIC PARTITION [--broker N] [--segment BASE] [--records]",
        help: "Shows the record batches stored in one segment file, one line per batch, in the format of kafka-dump-log.sh; --records adds one '| offset:' line per record with key and value.",
        examples: ["log dump orders 0 --records", "log dump orders 0 --segment 120"], arguments: [.topic, .number(0...Int(Int32.max))],
        positionalCount: 2...2,
        flags: [FlagSpec("--broker", value: .brokerID, help: "read the copy on this broker"),
                FlagSpec("--segment", value: .number(0...Int.max), help: "the segment's base offset (default: the first)"),
                FlagSpec("--records", help: "also print every record (kafka-dump-log.sh --print-data-log)")])

    static func run(_ invocation: Invocation, in session: Session) async throws(ReplError) {
        let tp = try topicPartition(invocation.positionals[0], invocation.positionals[1], session: session)
        let broker = try optionalBroker(invocation, session: session)
        var segment: Int64? = nil
        if let text = invocation.value("--segment") {
            guard let base = Int64(text), base >= 0 else { throw .usage("--segment takes a base offset, not '\(text)'") }
            segment = base
        }
        switch await session.cluster.dump(tp, broker: broker, segment: segment, records: invocation.has("--records")) {
        case .success(let d):
            session.out.lines(LogRenderer.dump(d, directory: "node-\(d.broker)/\(tp)"))
        case .failure(.noSuchSegment(let bases)):
            throw .failed("No segment with base offset \(segment ?? 0). Segments: \(bases.map { "\($0)" }.joined(separator: ", ")). Try: log segments \(tp.topic) \(tp.partition)")
        case .failure(.noLeader):
            throw .failed("\(tp) has no leader right now.")
        case .failure(.brokerDownOrNoLog(let id)):
            throw .failed("Broker \(id) is down or holds no copy of \(tp). Try: broker list")
        }
    }
}

enum CalcRetentionCommand: ReplCommand {
    static let spec = CommandSpec(
        ["calc", "retention"], group: "storage",
        synopsis: "calc retention --rate EVENTS_PER_SEC --size BYTES --days D [--replication-factor R]",
        help: "Works out, step by step, how much disk a topic needs to keep D days of data (retention.ms) at a steady event rate, and with R copies.",
        examples: ["calc retention --rate 1000 --size 500 --days 7", "calc retention --rate 1000 --size 500 --days 7 --replication-factor 3"],
        flags: [FlagSpec("--rate", value: .number(1...100_000_000), help: "events per second"),
                FlagSpec("--size", value: .number(1...100_000_000), help: "bytes per event"),
                FlagSpec("--days", value: .number(1...36_500), help: "days kept (Kafka's default retention.ms is 7 days)"),
                FlagSpec("--replication-factor", value: .number(1...9), help: "copies of every partition")])

    static func run(_ invocation: Invocation, in session: Session) async throws(ReplError) {
        guard let rate = try invocation.int("--rate", in: 1...100_000_000), let size = try invocation.int("--size", in: 1...100_000_000),
              let days = try invocation.int("--days", in: 1...36_500)
        else { throw .usage("--rate, --size and --days are all needed") }
        let factor = try invocation.int("--replication-factor", in: 1...9) ?? 1
        let perSecond = Int64(rate) * Int64(size)
        let (perDay, o1) = perSecond.multipliedReportingOverflow(by: 86_400)
        let (total, o2) = perDay.multipliedReportingOverflow(by: Int64(days))
        let (copies, o3) = total.multipliedReportingOverflow(by: Int64(factor))
        guard !o1, !o2, !o3 else { throw .failed("That is more bytes than this calculator can count; try smaller numbers.") }
        let out = session.out
        out.line("\(Numbers.grouped(Int64(rate))) events/s × \(Numbers.grouped(Int64(size))) B = \(Numbers.grouped(perSecond)) B/s")
        out.line("\(Numbers.grouped(perSecond)) B/s × 86,400 s/day = \(Numbers.grouped(perDay)) B/day")
        out.line("\(Numbers.grouped(perDay)) B/day × \(days) day\(days == 1 ? "" : "s") = \(Numbers.grouped(total)) B ≈ \(Numbers.decimalBytes(Double(total)))")
        if factor > 1 {
            out.line("× replication factor \(factor) = \(Numbers.grouped(copies)) B ≈ \(Numbers.decimalBytes(Double(copies))) across the cluster")
        }
        out.line("Kafka keeps data for retention.ms (default 604800000 ms = 7 days) or until retention.bytes per partition, whichever comes first.", .dim)
    }
}
