// Repl room: the data group: produce (one record, or many), consume, and offsets, through the
// REPL's own producer and consumer over real sockets.

import Cluster

/// `--acks all|1|0` (or -1) as Kafka's producer config value.
func parseAcks(_ text: String?) throws(ReplError) -> Int16 {
    switch text {
    case nil, "all", "-1": return -1
    case "1": return 1
    case "0": return 0
    case let other?: throw .usage("--acks takes all, 1 or 0, not '\(other)'")
    }
}

enum ProduceCommand: ReplCommand {
    static let spec = CommandSpec(
        ["produce"], group: "data",
        synopsis: "produce TOPIC [--key K] [--partition P] [--acks all|1|0] [--header k=v]... VALUE | produce TOPIC --count N [--size BYTES] [--keys K]",
        help: "Sends a record and says where it went and why: the partition (chosen by you, by murmur2 of the key, or by the sticky partitioner when there is no key) and the offset the leader gave it. With --count it sends N records as fast as batching allows and reports records/s and MB/s; --keys K spreads them over K keys.",
        examples: ["produce orders --key order-42 \"created\"", "produce orders --partition 1 hello", "produce orders --count 100000 --size 100"],
        arguments: [.topic, .free], positionalCount: 1...2,
        flags: [FlagSpec("--key", value: .free, help: "the record key"), FlagSpec("--partition", value: .number(0...Limits.partitionsPerTopicMax), help: "send to this partition"),
                FlagSpec("--acks", value: .free, help: "all (default), 1 or 0"), FlagSpec("--header", value: .free, help: "a header key=value; repeat for more"),
                FlagSpec("--count", value: .number(1...BulkProduce.countMax), help: "bulk: how many records"), FlagSpec("--size", value: .number(0...1_000_000), help: "bulk: value bytes per record (default 100)"),
                FlagSpec("--keys", value: .number(1...1_000_000), help: "bulk: spread over this many keys")])

    /// How long a produce waits for its answer before saying that it is still waiting.
    static let slowAnswer: Duration = .seconds(2)

    static func run(_ invocation: Invocation, in session: Session) async throws(ReplError) {
        let topic = invocation.positionals[0]
        let acks = try parseAcks(invocation.value("--acks"))
        try await requireTopic(topic, session: session)
        if invocation.has("--count") {
            guard invocation.positionals.count == 1 else { throw .usage("bulk produce (--count) takes no VALUE") }
            return try await BulkProduce.run(invocation, topic: topic, acks: acks, session: session)
        }
        guard invocation.positionals.count == 2 else { throw .usage("give the record's VALUE (quote it if it has spaces)") }
        let value = invocation.positionals[1]
        let key = invocation.value("--key")
        let partition = try invocation.int("--partition", in: 0...Limits.partitionsPerTopicMax).map { Int32($0) }
        let headers = try keyValues(invocation.values("--header"), flag: "--header").map { RecordHeader(key: $0.0, value: Array($0.1.utf8)) }
        let producer = try await session.clients.producer(acks: acks)
        let pending: PendingRecord
        do {
            pending = try await producer.enqueue(topic: topic, key: key.map { Array($0.utf8) }, value: Array(value.utf8), headers: headers, partition: partition)
        } catch {
            throw describeClientError(error, doing: "Not written to \(topic)")
        }
        let tp = TopicPartition(topic, pending.partition)
        let down = await leaderDown(tp, session: session)
        if let down {
            session.out.line("Waiting for a leader of \(tp): \(down). The producer retries until delivery.timeout.ms "
                             + "(\(producer.config.deliveryTimeout.milliseconds / 1000) s here); Ctrl-C stops waiting…", .dim)
        }
        // The answer is awaited in short looks so that Ctrl-C returns to the prompt at once; a
        // wait that goes on says why, rather than blocking silently.
        let clock = ContinuousClock()
        let started = clock.now
        var said = down != nil
        while !pending.isDone {
            if Task.isCancelled {
                throw .failed("Stopped waiting (Ctrl-C). The producer still holds the record for \(tp) and retries until delivery.timeout.ms.")
            }
            if !said && clock.now - started >= Self.slowAnswer {
                said = true
                session.out.line("No answer yet for \(tp): the producer retries until delivery.timeout.ms "
                                 + "(\(producer.config.deliveryTimeout.milliseconds / 1000) s here), then names the last error; "
                                 + "Ctrl-C stops waiting…", .dim)
            }
            try? await Task.sleep(for: .milliseconds(5))
        }
        do {
            let m = try await pending.metadata()
            session.out.line(RecordRenderer.produced(m, key: key, acks: acks))
            if acks == -1, let replicas = await replicasOf(tp, session: session), replicas.replicas.count > 1 {
                session.out.line("  acks=all: the leader answered once every in-sync replica had the record "
                                 + "(ISR now \(replicas.isr.map(String.init).joined(separator: ",")) of replicas "
                                 + "\(replicas.replicas.map(String.init).joined(separator: ",")))", .dim)
            }
        } catch {
            if let down {
                let name = ErrorNames.found(in: describeClientError(error, doing: "").message).first ?? "REQUEST_TIMED_OUT"
                throw .failed("Not written to \(tp): the producer gave up after delivery.timeout.ms (\(name)): \(down). Try: \(down.fix)")
            }
            throw describeClientError(error, doing: "Not written to \(tp)")
        }
    }
}

/// The partition's replicas and ISR as a client sees them (Metadata), for the acks=all line.
private func replicasOf(_ tp: TopicPartition, session: Session) async -> MetadataCache.Partition? {
    guard let described = try? await session.clients.admin().describeTopics([tp.topic]).first else { return nil }
    return described.partitions.first { $0.partition == tp.partition }
}

/// A partition whose leader is not running: why, and what to type to bring it back.
struct LeaderDown: CustomStringConvertible {
    var reason: String
    var fix: String
    var description: String { reason }
}

/// Why `tp` cannot be written or read now, when its leader is not running; nil when it can.
@MainActor
func leaderDown(_ tp: TopicPartition, session: Session) async -> LeaderDown? {
    guard let partition = session.cluster.image.partition(tp.topic, tp.partition) else { return nil }
    let brokers = (await session.cluster.status()).brokers
    guard let leader = session.cluster.leader(of: tp) else {
        // The controller took the leadership away when it fenced the replica's broker.
        let down = partition.replicas.compactMap { id in brokers.first { $0.id == id && $0.state != .running } }
        if let first = down.first, down.count == partition.replicas.count {
            let who = partition.replicas.count == 1 ? "its only replica, broker \(first.id), is \(first.state)"
                : "its replicas (\(down.map(\.id.description).joined(separator: ", "))) are down"
            return LeaderDown(reason: "\(who), so it has no leader (LEADER_NOT_AVAILABLE)", fix: "broker start \(first.id)")
        }
        return LeaderDown(reason: "it has no leader (LEADER_NOT_AVAILABLE)", fix: "broker list")
    }
    let state = brokers.first { $0.id == leader }?.state
    guard let state, state != .running else { return nil }
    let only = partition.replicas.count <= 1 ? " (it holds the only copy)" : ""
    return LeaderDown(reason: "its leader, broker \(leader), is \(state)\(only)", fix: "broker start \(leader)")
}

/// Fails at once, naming Kafka's error, when `topic` does not exist (a producer would wait
/// max.block.ms for it to appear, as auto-creation is off here).
@MainActor
func requireTopic(_ topic: String, session: Session) async throws(ReplError) {
    let described: [TopicDescription]
    do { described = try await session.clients.admin().describeTopics([topic]) } catch {
        throw describeClientError(error, doing: "Cannot look up '\(topic)'")
    }
    guard let d = described.first, d.errorCode == .none else {
        if described.first?.errorCode == .invalidTopicException { throw .failed(missingTopic(topic, .invalidTopicException)) }
        let names = session.cluster.image.topicNames
        throw .failed("UNKNOWN_TOPIC_OR_PARTITION: there is no topic '\(topic)' (topics are not created automatically here). "
                      + (names.isEmpty ? "Try: topic create \(topic)" : "Topics: \(names.joined(separator: ", ")). Try: topic create \(topic)"))
    }
}

/// `produce --count`: many records, pipelined, with a progress bar and the rates at the end.
@MainActor
enum BulkProduce {
    static let countMax = 10_000_000

    static func run(_ invocation: Invocation, topic: String, acks: Int16, session: Session) async throws(ReplError) {
        guard let count = try invocation.int("--count", in: 1...countMax) else { return }
        let size = try invocation.int("--size", in: 0...1_000_000) ?? 100
        let keys = try invocation.int("--keys", in: 1...1_000_000)
        let batch = await session.clients.bulkBatchSize(for: topic)
        let producer = try await session.clients.producer(acks: acks, batchSize: batch.size)
        let value = [UInt8](repeating: 0x61, count: size)
        let clock = ContinuousClock()
        let start = clock.now
        let bar = ProgressBar(total: count, out: session.out, enabled: !session.scriptMode)
        let (sent, failed, firstError) = try await BulkProduce.send(
            count: count, to: topic, with: producer, value: value, key: { i in keys.map { Array("key-\(i % $0)".utf8) } },
            progress: bar.update)
        bar.finish()
        let elapsed = clock.now - start
        let seconds = max(Double(elapsed.nanosecondsClamped) / 1e9, 1e-9)
        let rate = Double(sent) / seconds
        let mbps = Double(sent * size) / seconds / 1_000_000
        session.out.line("Sent \(Numbers.grouped(Int64(sent - failed))) records of \(size) B to \(topic) in \(formatDuration(elapsed)): "
                         + "\(Numbers.grouped(Int64(rate))) records/s, \(Numbers.oneDecimal(mbps)) MB/s (acks=\(acks == -1 ? "all" : "\(acks)"), batch.size=\(batch.size)\(batch.limitedBy.map { " to fit \($0)" } ?? "")).")
        if sent < count {
            session.out.line("Interrupted after \(Numbers.grouped(Int64(sent))) of \(Numbers.grouped(Int64(count))) records: every record sent before Ctrl-C has its answer (counted above); the rest were never sent.", .note)
        }
        if failed > 0 { throw .failed("\(failed) record(s) failed; the first: \(firstError ?? "?")") }
    }
}

extension BulkProduce {
    /// Sends `count` records through `producer` as one stream: records are enqueued as fast
    /// as `buffer.memory` lets them in, while answers are collected per batch. Stops enqueuing
    /// at Ctrl-C, then waits for what was already enqueued, so every record sent is accounted
    /// for: `sent` of them were answered, `failed` of those refused. A record that cannot even
    /// be enqueued ends the run the same way and is thrown after the wait.
    static func send(
        count: Int, to topic: String, with producer: Producer, value: [UInt8], key: (Int) -> [UInt8]?,
        progress: (Int) -> Void = { _ in }
    ) async throws(ReplError) -> (sent: Int, failed: Int, firstError: String?) {
        var pending = PendingBatches()
        var answered = 0
        var failed = 0
        var firstError: KafkaClientError? = nil
        func absorb(_ batch: PendingBatches.Answered) {
            answered += batch.acknowledged + batch.failed
            failed += batch.failed
            if firstError == nil { firstError = batch.firstError }
        }
        var enqueued = 0
        var stop: ReplError? = nil
        while enqueued < count && !Task.isCancelled {
            do {
                pending.add(try await producer.enqueue(topic: topic, key: key(enqueued), value: value))
            } catch {
                stop = describeClientError(error, doing: "Stopped after \(enqueued) records")
                break
            }
            enqueued += 1
            // Checking answers costs a lock per batch; every few thousand records is often
            // enough for a smooth progress bar.
            if enqueued % 4096 == 0 {
                absorb(pending.takeAnswered())
                progress(answered)
                // An enqueue with room in the buffer never suspends: yield, or the main actor
                // would not run the Ctrl-C handler until every record was enqueued.
                await Task.yield()
            }
        }
        while !pending.isEmpty {
            absorb(await pending.waitOldest())
            progress(answered)
        }
        if let stop { throw stop }
        return (answered, failed, firstError.map { describeClientError($0, doing: "Not written").message })
    }
}

/// A one-line progress bar redrawn in place (off under --script so transcripts stay stable).
@MainActor
final class ProgressBar {
    let total: Int
    let out: Output
    let enabled: Bool
    private var lastPercent = -1

    init(total: Int, out: Output, enabled: Bool) {
        self.total = total
        self.out = out
        self.enabled = enabled
    }

    func update(_ done: Int) {
        guard enabled, total > 0 else { return }
        let percent = done * 100 / total
        guard percent != lastPercent else { return }
        lastPercent = percent
        let filled = percent * 30 / 100
        out.raw("\r[" + String(repeating: "#", count: filled) + String(repeating: ".", count: 30 - filled) + "] \(percent)% (\(done)/\(total))")
    }

    func finish() { if enabled && lastPercent >= 0 { out.raw("\n") } }
}

enum ConsumeCommand: ReplCommand {
    static let spec = CommandSpec(
        ["consume"], group: "data",
        synopsis: "consume TOPIC [--from-beginning | --offset N] [--partition P] [--max N | --count N] [--follow] [--timeout-ms T] [--group G [--no-commit]]",
        help: "Reads records and prints partition, offset, timestamp, key and value. Without --from-beginning or --offset it starts at the end of each partition (auto.offset.reset=latest), so it shows only records produced after it starts. It stops after --max records (default 100) or when nothing arrives for --timeout-ms (default 2000); --follow waits for new records until Ctrl-C. With --count N it reads up to N records without printing them, with a progress bar, and reports the rate.",
        examples: ["consume orders --from-beginning", "consume orders --partition 1 --offset 2", "consume orders --follow"],
        arguments: [.topic], positionalCount: 1...1,
        flags: [FlagSpec("--from-beginning", help: "start at the earliest offset"), FlagSpec("--offset", value: .number(0...Int.max), help: "start at this offset (needs --partition)"),
                FlagSpec("--partition", value: .number(0...Limits.partitionsPerTopicMax), help: "read only this partition"), FlagSpec("--max", value: .number(1...1_000_000), help: "stop after this many records (default 100)"),
                FlagSpec("--follow", help: "keep waiting for new records until Ctrl-C"),
                FlagSpec("--count", value: .number(1...BulkConsume.countMax), help: "bulk: read this many records without printing them, then report records/s and MB/s"), FlagSpec("--timeout-ms", value: .number(1...600_000), help: "stop when nothing arrives for this long (default 2000)"),
                FlagSpec("--group", value: .group, help: "consume as a member of this group, committing what was read"),
                FlagSpec("--no-commit", help: "with --group: do not commit at the end, as if the consumer crashed first")])

    static func run(_ invocation: Invocation, in session: Session) async throws(ReplError) {
        let topic = invocation.positionals[0]
        let partitionArg = try invocation.int("--partition", in: 0...Limits.partitionsPerTopicMax).map { Int32($0) }
        let offset = try invocation.int("--offset", in: 0...Int.max).map { Int64($0) }
        if offset != nil && partitionArg == nil { throw .usage("--offset needs --partition, as in kafka-console-consumer.sh") }
        if offset != nil && invocation.has("--from-beginning") { throw .usage("use --from-beginning or --offset, not both") }
        if invocation.has("--count") && (invocation.has("--max") || invocation.has("--follow") || invocation.has("--group")) {
            throw .usage("--count reads in bulk without a group; drop --max/--follow/--group")
        }
        let maxRecords = invocation.has("--follow") ? Int.max : (try invocation.int("--max", in: 1...1_000_000) ?? 100)
        let idle = Duration.milliseconds(try invocation.int("--timeout-ms", in: 1...600_000) ?? 2000)
        if let group = invocation.value("--group") {
            if partitionArg != nil || offset != nil { throw .usage("--group consumes whatever partitions the group assigns; drop --partition/--offset") }
            return try await consumeInGroup(topic, group: group, fromBeginning: invocation.has("--from-beginning"),
                                            maxRecords: maxRecords, maxGiven: invocation.has("--max"), idle: idle,
                                            follow: invocation.has("--follow"), commit: !invocation.has("--no-commit"), session: session)
        }
        if invocation.has("--no-commit") {
            throw .usage("--no-commit goes with --group: only a group commits offsets")
        }
        let admin = try await session.clients.admin()
        let description: TopicDescription
        do {
            let found = try await admin.describeTopics([topic]).first
            guard let d = found, d.errorCode == .none else {
                throw ReplError.failed(missingTopic(topic, found?.errorCode ?? .unknownTopicOrPartition))
            }
            description = d
        } catch {
            throw describeClientError(error, doing: "Cannot read \(topic)")
        }
        let partitions = description.partitions.map(\.partition).sorted()
        if let p = partitionArg, !partitions.contains(p) {
            throw .usage("'\(topic)' has partitions 0 to \(partitions.count - 1), not \(p)")
        }
        var config = ConsumerConfig()
        config.autoOffsetReset = .none
        let consumer = try await session.clients.consumer(config)
        var assigned: [TopicPartition] = []
        for tp in (partitionArg.map { [$0] } ?? partitions).map({ TopicPartition(topic, $0) }) {
            // A partition whose leader is down cannot be read; say so rather than hang on it.
            if let down = await leaderDown(tp, session: session) {
                guard partitionArg == nil else { throw .failed("Cannot read \(tp): \(down). Try: \(down.fix)") }
                session.out.line("note: \(tp) is skipped: \(down). Try: \(down.fix)", .note)
                continue
            }
            assigned.append(tp)
        }
        guard !assigned.isEmpty else { throw .failed("No partition of \(topic) can be read now: every leader is down. Try: broker list") }
        let target: SeekTarget = offset.map { .offset($0) } ?? (invocation.has("--from-beginning") ? .earliest : .latest)
        do {
            await consumer.assign(assigned)
            for tp in assigned { try await consumer.seek(tp, to: target) }
        } catch {
            await consumer.close()
            throw describeClientError(error, doing: "Cannot start reading \(topic)")
        }
        let startedAt = target == .latest ? "the end (latest)" : (offset.map { "offset \($0)" } ?? "the beginning (earliest)")
        session.out.line("Reading \(assigned.map(\.description).joined(separator: ", ")) from \(startedAt)…", .dim)
        if invocation.has("--count") {
            return try await BulkConsume.run(invocation, topic: topic, consumer: consumer, idle: idle, session: session)
        }
        let total: Int
        do {
            total = try await readRecords(max: maxRecords, idle: idle, follow: invocation.has("--follow"), session: session) { n in
                try await consumer.poll(timeout: .milliseconds(250), maxRecords: n)
            }
        } catch {
            await consumer.close()
            if case KafkaClientError.offsetOutOfRange(let tp, let at)? = error as? KafkaClientError {
                throw .failed("OFFSET_OUT_OF_RANGE: offset \(at) of \(tp) is not in the log (it was never written, or retention deleted it). Try: offsets \(topic)")
            }
            throw describeClientError(error, doing: "Reading \(topic) failed")
        }
        await consumer.close()
        if Task.isCancelled {
            session.out.line("\(total) record(s) before Ctrl-C.", .dim)
        } else if total == 0 {
            session.out.line("No records arrived in \(idle.milliseconds) ms.", .note)
            if target == .latest {
                session.out.line("A consume without --from-beginning starts at the end of each partition (auto.offset.reset=latest): it only sees records produced after it started. Try: consume \(topic) --from-beginning", .note)
            }
        } else {
            session.out.line("\(total) record(s).", .dim)
        }
    }
}

/// The loop both consumes share: poll, print each batch as a table, note the offsets reached
/// for lesson checks; stop after `max` records, after `idle` without one (unless `follow`),
/// or at Ctrl-C. Returns how many records were printed; poll errors are the caller's.
@MainActor
func readRecords(
    max maxRecords: Int, idle: Duration, follow: Bool, session: Session,
    poll: (Int) async throws -> [ConsumedRecord]
) async throws -> Int {
    var total = 0
    let clock = ContinuousClock()
    var lastRecord = clock.now
    var ranges: [TopicPartition: ClosedRange<Int64>] = [:]
    defer { session.noteRead(ranges) }
    while total < maxRecords && !Task.isCancelled {
        let batch = try await poll(min(500, maxRecords - total))
        if batch.isEmpty {
            if !follow && clock.now - lastRecord >= idle { break }
            continue
        }
        lastRecord = clock.now
        session.out.lines(RecordRenderer.table(batch))
        for r in batch {
            session.consumed[r.topicPartition] = max(session.consumed[r.topicPartition] ?? -1, r.offset)
            if session.readRanges[r.topicPartition]?.contains(where: { $0.contains(r.offset) }) == true { session.rereadRecords += 1 }
            ranges[r.topicPartition] = ranges[r.topicPartition].map { min($0.lowerBound, r.offset)...max($0.upperBound, r.offset) } ?? r.offset...r.offset
        }
        total += batch.count
    }
    return total
}

/// `consume --group`: a one-off group member that joins, reads, commits and leaves. It says
/// where it started (the group's committed offsets, or auto.offset.reset where there are
/// none), why it stopped, and what it committed.
@MainActor
func consumeInGroup(_ topic: String, group: String, fromBeginning: Bool, maxRecords: Int, maxGiven: Bool, idle: Duration,
                    follow: Bool, commit: Bool, session: Session) async throws(ReplError) {
    try await requireTopic(topic, session: session)
    let reset = fromBeginning ? "earliest" : "latest"
    let before = (await session.cluster.group(group))?.offsets.filter { $0.topicPartition.topic == topic } ?? []
    var config = GroupConsumerConfig(groupId: group)
    config.fetch.autoOffsetReset = fromBeginning ? .earliest : .latest
    config.enableAutoCommit = false
    config.sessionTimeout = .milliseconds(6_000)
    let consumer: GroupConsumer
    do {
        consumer = try GroupConsumer(client: try await session.clients.kafkaClient(), config: config)
        try await consumer.subscribe([topic])
    } catch { throw describeClientError(error, doing: "Cannot join group '\(group)'") }
    if before.isEmpty {
        session.out.line("Joining group \(group) to read \(topic): the group has no committed offset here, so it starts at "
                         + "auto.offset.reset=\(reset) (\(fromBeginning ? "the beginning" : "the end"))…", .dim)
    } else {
        let at = before.sorted { $0.topicPartition < $1.topicPartition }.map { "\($0.topicPartition)@\($0.committedOffset)" }
        session.out.line("Joining group \(group) to read \(topic): it resumes at the group's committed offsets (\(at.joined(separator: ", ")))"
                         + (fromBeginning ? "; --from-beginning only applies where the group has none, as in kafka-console-consumer.sh" : "")
                         + "…", .dim)
    }
    let total: Int
    do {
        total = try await readRecords(max: maxRecords, idle: idle, follow: follow, session: session) { n in
            try await consumer.poll(timeout: .milliseconds(250), maxRecords: n)
        }
    } catch {
        await consumer.leave()
        throw describeClientError(error, doing: "Reading \(topic) in group \(group) failed")
    }
    var committed: [TopicPartition: Int64] = [:]
    var commitFailure: String? = nil
    if commit {
        do { committed = try await consumer.commit() } catch {
            commitFailure = describeClientError(error, doing: "The commit failed").message
        }
    }
    await consumer.leave()
    var stopped = "\(total) record(s)"
    if Task.isCancelled {
        stopped += ", then Ctrl-C"
    } else if total >= maxRecords {
        stopped += ": stopped at --max \(maxRecords)" + (maxGiven ? "" : " (the default; --max N reads more)")
    }
    session.out.line(stopped + ".", .dim)
    if let commitFailure {
        session.out.line("note: " + commitFailure, .note)
    } else if !commit {
        session.out.line("Not committed (--no-commit), like a consumer that crashed before its commit: the next consumer "
                         + "in group \(group) starts from the last commit and reads these records again.", .note)
    } else {
        let list = committed.keys.sorted().map { "\($0)@\(committed[$0] ?? 0)" }.joined(separator: ", ")
        session.out.line("Committed \(list.isEmpty ? "nothing" : list) for group \(group): the next consumer in the group continues there.", .dim)
        let lag = ((await session.cluster.group(group))?.offsets ?? []).filter { $0.topicPartition.topic == topic }
            .reduce(Int64(0)) { $0 + ($1.lag ?? 0) }
        if lag > 0 { session.out.line("\(lag) more record(s) wait in \(topic) for group \(group) (its lag).", .dim) }
    }
    // Only worth saying when there was something to read: the new group started past it.
    if total == 0 && !fromBeginning && before.isEmpty && committed.values.contains(where: { $0 > 0 }) {
        session.out.line("A new group with no committed offsets starts at the end (auto.offset.reset=latest). Try: consume \(topic) --group \(group)-2 --from-beginning", .note)
    }
}

enum OffsetsCommand: ReplCommand {
    static let spec = CommandSpec(
        ["offsets"], group: "data", synopsis: "offsets TOPIC",
        help: "Shows each partition's earliest offset (the oldest record kept) and latest offset (the log end: the offset the next record gets), in the topic:partition:offset form of kafka-get-offsets.sh.",
        examples: ["offsets orders"], arguments: [.topic], positionalCount: 1...1)

    static func run(_ invocation: Invocation, in session: Session) async throws(ReplError) {
        let topic = invocation.positionals[0]
        let admin = try await session.clients.admin()
        let earliest: [ListedOffset]
        let latest: [ListedOffset]
        do {
            earliest = try await admin.listOffsets(topic: topic, spec: .earliest)
            latest = try await admin.listOffsets(topic: topic, spec: .latest)
        } catch {
            throw describeClientError(error, doing: "Cannot list offsets of '\(topic)'")
        }
        session.out.line("# latest (kafka-get-offsets.sh --time latest)", .dim)
        for o in latest.sorted(by: { $0.partition < $1.partition }) { session.out.line("\(topic):\(o.partition):\(o.offset)") }
        session.out.line("# earliest (kafka-get-offsets.sh --time earliest)", .dim)
        for o in earliest.sorted(by: { $0.partition < $1.partition }) { session.out.line("\(topic):\(o.partition):\(o.offset)") }
    }
}
