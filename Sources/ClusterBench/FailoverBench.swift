// Benchmark scenario "failover" (the "Replication and failover" issue): an RF 3 topic with
// min.insync.replicas=2 and one acks=all writer per partition; the leader of a partition is
// killed (or stopped cleanly) and the time to the first acknowledged write on the moved
// leader is measured, with the controller's steps in between.

import Cluster
import Foundation

enum FailoverBench {
    static let topic = "failover"
    static let partitions: Int32 = 3
    /// The whole scenario's bound: writers stop by then whatever happens.
    static let writersBound: Duration = .seconds(900)
    /// Each wait inside a run (for the moved leader's first ack, for a restart to catch up).
    static let waitBound: Duration = .seconds(30)

    enum Mode: String {
        case kill = "kill -9 (`broker kill`)"
        case stop = "clean stop (`broker stop`: controlled shutdown)"
        case killController = "kill -9 of a leader that is also the active controller"
    }

    static func run(_ options: Options) async throws {
        let (cluster, dir) = try await startCluster(label: "failover")
        defer { removeScratch(dir) }
        let session = cluster.config.controller.brokerSessionTimeout
        let target = millis(session * 2)
        print(
            "\n== failover: 3 brokers, topic '\(topic)' with \(partitions) partitions, RF 3, min.insync.replicas=2"
        )
        print(
            "   one writer per partition: acks=all, linger.ms=0, one record of 100 B at a time, Kafka's retry defaults "
                + "(retry.backoff.ms=100, retry.backoff.max.ms=1000, enable.idempotence=true)")
        print(
            "   in use: broker.session.timeout.ms=\(session.milliseconds), "
                + "broker.heartbeat.interval.ms=\(cluster.config.controller.brokerHeartbeatInterval.milliseconds); "
                + "the broker is restarted and back in every ISR before the next run")
        let client = try KafkaClient(
            bootstrapServers: await cluster.status().brokers.map(\.address))
        let created = try await Admin(client: client).createTopics([
            NewTopic(
                name: topic, numPartitions: partitions, replicationFactor: 3,
                configs: ["min.insync.replicas": "2"])
        ])
        guard created.first?.succeeded == true else {
            throw BenchError.failed("creating \(topic) failed: \(created)")
        }
        try await waitForFullISR(cluster)
        var config = ProducerConfig()
        config.acks = -1
        config.linger = .zero
        let producer = try Producer(client: client, config: config)
        let log = AckLog()
        let writers = startWriters(producer, log: log)
        try await steadyRate(log)
        var medians: [Mode: Double] = [:]
        for mode in [Mode.kill, .stop, .killController] {
            var figures: [Double] = []
            var stalled = 0
            print("-- \(mode.rawValue)")
            runs: for run in 1...options.repetitions {
                switch try await measure(cluster, log: log, mode: mode, run: run) {
                case .measured(let ms): figures.append(ms)
                case .stalled: stalled += 1
                case .skipped: break runs
                }
            }
            if stalled > 0 {
                print(
                    "\(stalled) of \(figures.count + stalled) runs got no ack on the moved leader within \(waitBound.milliseconds) ms (left out of the median)"
                )
            }
            guard !figures.isEmpty else { continue }
            medians[mode] = median(figures)
            let line =
                String(format: "median of %d: %.1f ms from the ", figures.count, median(figures))
                + (mode == .stop ? "stop" : "kill")
                + " to the first acks=all ack on the moved leader"
            switch mode {
            case .kill:
                print(
                    line
                        + String(
                            format: " (target <= 2 x broker.session.timeout.ms = %.0f ms: ", target)
                        + verdict(median(figures), atMost: target) + ")")
            case .stop:
                print(line)
            case .killController:
                // No target of its own: a new controller is elected first, and only then does
                // the dead broker's session run out on it.
                print(
                    line
                        + " (election, then a whole broker.session.timeout.ms on the new controller)"
                )
            }
        }
        if let kill = medians[.kill], let stop = medians[.stop] {
            print(
                String(
                    format: "clean stop against kill: %.1f ms against %.1f ms (%.1fx faster)", stop,
                    kill, kill / stop))
        }
        await log.stop()
        for writer in writers { await writer.value }
        let (errors, lastError) = await log.errorSummary
        print(
            "writers: \(await log.total) records acknowledged, \(errors) sends failed\(lastError.map { " (last: \($0))" } ?? "")"
        )
        await producer.close()
        await client.close()
        await cluster.shutdown()
    }

    // MARK: - Writers

    /// One acks=all writer per partition, one record at a time, each ack stamped on arrival.
    static func startWriters(_ producer: Producer, log: AckLog) -> [Task<Void, Never>] {
        let deadline = clock.now + writersBound
        let value = [UInt8](repeating: 0x61, count: 100)
        return (0..<partitions).map { partition in
            Task {
                while await !log.stopped, clock.now < deadline {
                    let sent = clock.now
                    do {
                        let metadata = try await producer.send(
                            topic: topic, value: value, partition: partition)
                        let acked = clock.now
                        await log.record(
                            AckLog.Ack(
                                partition: partition, sentAt: sent, ackedAt: acked,
                                offset: metadata.offset))
                    } catch {
                        await log.failed("\(error)")
                        try? await Task.sleep(for: .milliseconds(10))
                    }
                }
            }
        }
    }

    /// The writers' pace before anything fails: what a failover interrupts.
    static func steadyRate(_ log: AckLog) async throws {
        try await Task.sleep(for: .seconds(1))
        let from = clock.now
        try await Task.sleep(for: .seconds(2))
        var perPartition: [String] = []
        var latencies: [Double] = []
        for p in 0..<partitions {
            let acks = await log.acks(partition: p, after: from)
            perPartition.append(String(format: "%.0f", Double(acks.count) / 2))
            latencies += acks.map { millis($0.ackedAt - $0.sentAt) }
        }
        let l = Percentiles(latencies)
        print(
            "   writers before the first run: \(perPartition.joined(separator: ", ")) acks/s per partition, "
                + String(format: "send-to-ack p50 %.2f ms, p99 %.2f ms", l.p50, l.p99))
    }

    // MARK: - One run

    enum Outcome {
        case measured(Double)
        /// No ack on the moved leader within `waitBound`.
        case stalled
        /// No partition fits this mode now.
        case skipped
    }

    /// Kills or stops the leader of a partition, waits for the first ack that the moved leader
    /// gave, then restarts the broker and waits for every ISR to be whole again.
    static func measure(_ cluster: EmbeddedCluster, log: AckLog, mode: Mode, run: Int) async throws
        -> Outcome
    {
        guard let controller = await cluster.status().controller else {
            throw BenchError.notReady("no active controller before run \(run)")
        }
        let image = cluster.image
        let choices = (0..<partitions).filter { p in
            guard let leader = image.partition(topic, p)?.leader else { return false }
            return mode == .killController ? leader == controller : leader != controller
        }
        guard let partition = choices.first, let before = image.partition(topic, partition),
            let old = before.leader
        else {
            print(
                "run \(run): skipped, no partition whose leader \(mode == .killController ? "is" : "is not") the active controller \(controller)"
            )
            return .skipped
        }
        let tp = TopicPartition(topic, partition)
        // The writer must be acknowledged on the old leader first, so the gap is the failover's.
        try await waitForAck(log, partition: partition, after: clock.now)
        let stream = cluster.events.subscribe()
        let collector = Task {
            await collectEvents(stream, within: .seconds(10)) { seen in
                seen.contains { $0.event.movesLeader(of: tp) }
                    && seen.contains { $0.event.fencedBroker == old }
            }
        }
        let begin = clock.now
        if mode == .stop {
            _ = try await cluster.stop(old)
        } else {
            _ = try await cluster.kill(old)
        }
        let acted = clock.now
        let ack = try await firstAckOnMovedLeader(
            cluster, log: log, tp: tp, after: begin, oldLeaderEpoch: before.leaderEpoch)
        let seen = await collector.value
        let fenced = first(seen) { $0.fencedBroker == old }
        let moved = first(seen) { $0.movesLeader(of: tp) }
        var line =
            "run \(run): \(mode == .stop ? "stopped" : "killed") broker \(old), leader of \(topic)-\(partition) "
            + "(leader epoch \(before.leaderEpoch); controller \(controller)); the call took \(KRaftBench.format(millis(acted - begin))); "
            + "fenced +\(KRaftBench.format(fenced.map { millis($0.at - begin) })), "
            + "leader moved +\(KRaftBench.format(moved.map { millis($0.at - begin) })), "
        let outcome: Outcome
        if let ack {
            let total = millis(ack.ack.ackedAt - begin)
            line +=
                "first ack on broker \(ack.leader) +\(KRaftBench.format(total)) (offset \(ack.ack.offset), leader epoch \(ack.leaderEpoch))"
            outcome = .measured(total)
        } else {
            line +=
                "NO ack on the moved leader within \(waitBound.milliseconds) ms; "
                + (await describeReplicas(cluster, tp))
            outcome = .stalled
        }
        print(line)
        _ = try await cluster.restart(old)
        guard await cluster.waitUntilReady(bound: waitBound) else {
            throw BenchError.notReady("the cluster did not get ready after restarting \(old)")
        }
        try await waitForFullISR(cluster)
        return outcome
    }

    /// The partition as the image and each replica's log see it: why writes may be refused.
    static func describeReplicas(_ cluster: EmbeddedCluster, _ tp: TopicPartition) async -> String {
        let p = cluster.image.partition(tp.topic, tp.partition)
        var out =
            "now leader \(p?.leader.map { "\($0)" } ?? "none") in leader epoch \(p?.leaderEpoch ?? -1), "
            + "isr \((p?.isr ?? []).map(\.description).joined(separator: ","))"
        for id in cluster.nodeIDs {
            let state = await cluster.withLog(tp, on: id) { log in
                "log end offset \(log.logEndOffset), latest leader epoch \(log.latestEpoch.map(String.init) ?? "none")"
            }
            out += "; broker \(id): \(state ?? "down")"
        }
        return out
    }

    /// The first ack for `tp` after `begin` whose record the moved leader wrote: its batch
    /// carries a leader epoch above the old one (acks the old leader gave while going are
    /// skipped). Nil when none came within `waitBound`.
    static func firstAckOnMovedLeader(
        _ cluster: EmbeddedCluster, log: AckLog, tp: TopicPartition,
        after begin: ContinuousClock.Instant,
        oldLeaderEpoch: Int32
    ) async throws -> (ack: AckLog.Ack, leader: NodeID, leaderEpoch: Int32)? {
        let deadline = clock.now + waitBound
        var checked = 0
        while clock.now < deadline {
            let acks = await log.acks(partition: tp.partition, after: begin)
            if let leader = cluster.leader(of: tp), checked < acks.count {
                for ack in acks[checked...] {
                    let offset = ack.offset
                    let epoch =
                        await cluster.withLog(tp, on: leader) { log -> Int32? in
                            guard
                                let data = try? log.read(
                                    from: offset, maxBytes: 1, upTo: log.logEndOffset)
                            else { return nil }
                            return RecordBatchHeader(data.records, at: data.records.readerIndex)?
                                .partitionLeaderEpoch
                        } ?? nil
                    // Not readable yet on the leader the image names: look again on the next pass.
                    guard let epoch else { break }
                    checked += 1
                    if epoch > oldLeaderEpoch { return (ack, leader, epoch) }
                }
            }
            try await Task.sleep(for: .milliseconds(2))
        }
        return nil
    }

    static func waitForAck(_ log: AckLog, partition: Int32, after instant: ContinuousClock.Instant)
        async throws
    {
        let deadline = clock.now + waitBound
        while clock.now < deadline {
            if await !log.acks(partition: partition, after: instant).isEmpty { return }
            try await Task.sleep(for: .milliseconds(1))
        }
        throw BenchError.failed("partition \(partition) was not acknowledged within \(waitBound)")
    }

    /// Waits until every partition of the topic has all three replicas in its ISR. A replica
    /// still out after `waitBound` is reported and its broker killed and restarted once, so the
    /// next run starts whole (the report says so: that is a finding, not part of a figure).
    static func waitForFullISR(_ cluster: EmbeddedCluster) async throws {
        if await fullISR(cluster) { return }
        var lagging: Set<NodeID> = []
        for p in 0..<partitions {
            let tp = TopicPartition(topic, p)
            guard let registration = cluster.image.partition(topic, p) else { continue }
            let out = registration.replicas.filter { !registration.isr.contains($0) }
            guard !out.isEmpty else { continue }
            lagging.formUnion(out)
            print(
                "   ISR of \(tp.topic)-\(p) still short after \(waitBound.milliseconds) ms: "
                    + (await describeReplicas(cluster, tp)))
        }
        for id in lagging.sorted() {
            print("   repair: killing and restarting broker \(id), which did not rejoin the ISR")
            _ = try await cluster.kill(id)
            _ = try await cluster.restart(id)
        }
        guard await cluster.waitUntilReady(bound: waitBound), await fullISR(cluster) else {
            throw BenchError.notReady(
                "the ISR of \(topic) did not get back to 3 replicas, even after restarting \(lagging.sorted())"
            )
        }
    }

    private static func fullISR(_ cluster: EmbeddedCluster) async -> Bool {
        let deadline = clock.now + waitBound
        while clock.now < deadline {
            let image = cluster.image
            if (0..<partitions).allSatisfy({ image.partition(topic, $0)?.isr.count == 3 }) {
                return true
            }
            try? await Task.sleep(for: .milliseconds(10))
        }
        return false
    }
}

/// What the writers saw: every acknowledgement, stamped when it arrived, and failures.
actor AckLog {
    struct Ack: Sendable {
        var partition: Int32
        var sentAt: ContinuousClock.Instant
        var ackedAt: ContinuousClock.Instant
        var offset: Int64
    }

    /// Older acks are dropped past this many per partition; a run only looks at the last seconds.
    static let kept = 100_000
    /// Per partition, in arrival order (one writer per partition, so also in `ackedAt` order).
    private var acks: [Int32: [Ack]] = [:]
    private(set) var total = 0
    private var errors = 0
    private var lastError: String?
    private(set) var stopped = false

    func record(_ ack: Ack) {
        acks[ack.partition, default: []].append(ack)
        total += 1
        if let count = acks[ack.partition]?.count, count > Self.kept {
            acks[ack.partition]?.removeFirst(count - Self.kept / 2)
        }
    }

    func failed(_ description: String) {
        errors += 1
        lastError = description
    }

    func stop() { stopped = true }

    var errorSummary: (Int, String?) { (errors, lastError) }

    /// Acks of `partition` that arrived after `instant`, in arrival order.
    func acks(partition: Int32, after instant: ContinuousClock.Instant) -> [Ack] {
        let all = acks[partition] ?? []
        var start = all.endIndex
        while start > all.startIndex, all[start - 1].ackedAt > instant { start -= 1 }
        return Array(all[start...])
    }
}
