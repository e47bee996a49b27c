// Node test support: a seeded whole-cluster run with a replicated topic (RF 3,
// min.insync.replicas=2): a producer with acks=all writes while nodes crash, stop, restart and
// links are cut; invariants are checked as it goes and after faults stop.

import NIOCore
import Testing

@testable import Cluster

struct ReplicationSimulationRun {
    static let topic = "r"
    static let partitions: Int32 = 2

    var sim: ClusterSimulation
    var rng: SplitMix64
    /// Acknowledged values by partition and offset.
    var acknowledged: [TopicPartition: [Int64: String]] = [:]
    var nextValue = 0
    var nextConnection = 1_000
    var pending: [(node: NodeID, connection: ConnectionID, tp: TopicPartition, value: String)] = []
    /// The highest high watermark each leader served in each leader epoch.
    var leaderHighWatermarks: [String: Int64] = [:]
    /// Who led each partition in each leader epoch: never two nodes.
    var epochLeaders: [String: NodeID] = [:]
    /// Records a consumer could have read (below a leader's high watermark), by partition
    /// and offset: none may later disappear or change.
    var visible: [TopicPartition: [Int64: String]] = [:]
    var crashesAllowed: Bool
    // Offset commits (ReplicationSimulationRun+Commits.swift).
    var nextCommit: Int64 = 0
    var acknowledgedCommit: Int64 = -1
    var pendingCommits: [(node: NodeID, connection: ConnectionID, offset: Int64)] = []

    init(seed: UInt64, crashes: Bool = true, cuts: Bool = true) {
        var options = ClusterSimulation.Options()
        options.maxDelayMs = 3
        sim = ClusterSimulation(seed: seed, options: options)
        rng = SplitMix64(seed: seed ^ 0xA5A5)
        crashesAllowed = crashes
        self.cuts = cuts
    }

    let cuts: Bool

    mutating func draw(_ n: UInt64) -> UInt64 { rng.next() % max(1, n) }

    // MARK: - Setup

    /// Waits for a controller, creates the topic, waits until every replica is in sync.
    mutating func createTopic() throws {
        guard sim.run(until: .seconds(10), { ClusterSimulationRun.agreed($0) }) else {
            throw InvariantViolation(name: "clusterStarts", detail: ClusterSimulationRun.describe(sim))
        }
        let request = CreateTopicsRequest(topics: [.init(
            name: Self.topic, numPartitions: Self.partitions, replicationFactor: 3, configs: [.init(name: "min.insync.replicas", value: "2")])])
        let frame = RequestFraming.requestFrame(request, version: 4, correlationId: 1, clientId: "sim-admin")
        let node = sim.activeController ?? sim.ids[0]
        _ = sim.clientRequest(frame, to: node, connection: ConnectionID(1))
        guard sim.run(until: .seconds(10), { Self.fullyInSync($0) }) else {
            throw InvariantViolation(name: "topicCreatedInSync", detail: describe())
        }
    }

    static func fullyInSync(_ s: ClusterSimulation) -> Bool {
        guard let active = s.activeController, let image = s.nodes[active]?.committedImage, let topic = image.topic(topic),
            topic.partitions.count == Int(partitions)
        else { return false }
        for p in topic.partitions {
            guard let leader = p.leader, p.isr.count == 3, let leaderLog = s.nodes[leader]?.broker.logs[TopicPartition(topic: topic.name, partition: p.partition)]
            else { return false }
            for replica in p.replicas {
                guard let log = s.nodes[replica]?.broker.logs[TopicPartition(topic: topic.name, partition: p.partition)],
                    log.logEndOffset == leaderLog.logEndOffset, log.highWatermark == leaderLog.logEndOffset
                else { return false }
            }
        }
        return true
    }

    // MARK: - Producing

    /// One acks=all record to the partition's current leader (as the producer's metadata says).
    mutating func produce(to partition: Int32) {
        let tp = TopicPartition(topic: Self.topic, partition: partition)
        let leader = sim.activeController.flatMap { sim.nodes[$0]?.committedImage.partition(Self.topic, partition)?.leader }
        guard let leader, sim.nodes[leader] != nil else { return }
        nextValue += 1
        let value = "v\(nextValue)"
        var builder = RecordBatchBuilder()
        try? builder.append(.init(key: nil, value: Array(value.utf8), timestamp: 1_700_000_000_000))
        guard let batch = try? builder.build() else { return }
        let request = ProduceRequest(acks: -1, timeoutMs: 2_000, topicData: [.init(name: Self.topic, partitionData: [.init(index: partition, records: batch)])])
        let frame = RequestFraming.requestFrame(request, version: 8, correlationId: Int32(nextValue), clientId: "sim-producer")
        let connection = ConnectionID(nextConnection)
        nextConnection += 1
        sim.note("producer sends \(value) to \(leader) for \(tp)")
        if let answer = sim.clientRequest(frame, to: leader, connection: connection) {
            record(answer, tp: tp, value: value)
        } else {
            pending.append((leader, connection, tp, value))
        }
    }

    mutating func collectAnswers() {
        var still: [(node: NodeID, connection: ConnectionID, tp: TopicPartition, value: String)] = []
        for p in pending {
            let frames = sim.takeClientReplies(node: p.node, connection: p.connection)
            if frames.isEmpty { still.append(p) }
            for frame in frames { record(frame, tp: p.tp, value: p.value) }
        }
        pending = still
    }

    mutating func record(_ frame: ByteBuffer, tp: TopicPartition, value: String) {
        var reader = WireReader(frame)
        guard (try? reader.readInt32("size")) != nil, (try? reader.readInt32("correlation")) != nil,
            let response = try? ProduceResponse(from: &reader, version: 8),
            let answer = response.responses.first?.partitionResponses.first
        else { return }
        sim.note("producer: \(value) → \(answer.errorCode.name) at \(answer.baseOffset)")
        if answer.errorCode == .none { acknowledged[tp, default: [:]][answer.baseOffset] = value }
    }

    // MARK: - Faults

    mutating func injectFault() {
        let id = sim.ids[Int(draw(UInt64(sim.ids.count)))]
        let down = sim.ids.filter { sim.nodes[$0] == nil || sim.stopping[$0] != nil }
        switch draw(100) {
        case 0..<42:
            produce(to: Int32(draw(UInt64(Self.partitions))))
        case 42..<50:
            commit()
        case 50..<56 where crashesAllowed:
            // kill -9 of the process, as `broker kill` does: what it wrote survives in the
            // kernel. (Power loss can lose an ISR member's tail; Kafka's promise then needs
            // another member to stay in the ISR, which the fault mix here cannot ensure.)
            sim.kill(id, .keepWrittenBytes)
        case 56..<62 where crashesAllowed && down.isEmpty:
            sim.stop(id)
        case 62..<75:
            if let back = down.first(where: { sim.nodes[$0] == nil }) { sim.start(back) }
        case 75..<82 where cuts:
            let other = sim.ids[Int(draw(UInt64(sim.ids.count)))]
            if other != id {
                sim.cut.insert([id, other].sorted())
                sim.note("cut \(id)-\(other)")
            }
        case 82..<92 where cuts:
            if let link = sim.cut.sorted(by: { $0.lexicographicallyPrecedes($1) }).first {
                sim.cut.remove(link)
                sim.note("heal \(link)")
            }
        default:
            break
        }
    }

    static func allIsrsFull(_ s: ClusterSimulation) -> Bool {
        guard let active = s.activeController, let topic = s.nodes[active]?.committedImage.topic(topic) else { return false }
        return topic.partitions.allSatisfy { $0.isr.count == 3 }
    }

    // MARK: - Invariants

    mutating func checkSafety() throws(InvariantViolation) {
        if let stalled = sim.stalled { throw InvariantViolation(name: "timeMovesOn", detail: stalled) }
        collectAnswers()
        collectCommitAnswers()
        for id in sim.ids {
            guard let node = sim.nodes[id] else { continue }
            for p in 0..<Self.partitions {
                let tp = TopicPartition(topic: Self.topic, partition: p)
                guard let replica = node.broker.partitionReplicas[tp], replica.isLeader, let log = node.broker.logs[tp] else { continue }
                let epochKey = "\(tp)/\(replica.leaderEpoch)"
                if let other = epochLeaders[epochKey], other != id {
                    throw InvariantViolation(
                        name: "oneLeaderPerEpoch", detail: "\(tp) leader epoch \(replica.leaderEpoch): \(other) and \(id)")
                }
                epochLeaders[epochKey] = id
                noteVisible(tp, log)
                let key = "\(id)#\(sim.incarnations[id] ?? 0)/\(tp)/\(replica.leaderEpoch)"
                if let before = leaderHighWatermarks[key], log.highWatermark < before {
                    throw InvariantViolation(
                        name: "highWatermarkNeverMovesBackward", detail: "\(key): \(before) → \(log.highWatermark)")
                }
                leaderHighWatermarks[key] = log.highWatermark
            }
        }
    }

    /// After faults stop: everything acknowledged is on the leader at its offset, exactly once,
    /// and every replica holds the same records.
    func checkConverged() throws(InvariantViolation) {
        guard let active = sim.activeController, let image = sim.nodes[active]?.committedImage else {
            throw InvariantViolation(name: "controllerAfterFaults", detail: describe())
        }
        for p in 0..<Self.partitions {
            let tp = TopicPartition(topic: Self.topic, partition: p)
            guard let leader = image.partition(Self.topic, p)?.leader, let log = sim.nodes[leader]?.broker.logs[tp] else {
                throw InvariantViolation(name: "leaderAfterFaults", detail: "\(tp): \(describe())")
            }
            let values = Self.values(log)
            for (offset, value) in acknowledged[tp] ?? [:] {
                guard values[offset] == value else {
                    throw InvariantViolation(
                        name: "acknowledgedRecordsSurvive",
                        detail: "\(tp) offset \(offset): acknowledged \(value), leader \(leader) has \(values[offset] ?? "nothing")")
                }
            }
            for (offset, value) in visible[tp] ?? [:] where values[offset] != value {
                throw InvariantViolation(
                    name: "visibleRecordsNeverTruncated",
                    detail: "\(tp) offset \(offset): a consumer could read \(value), leader \(leader) has \(values[offset] ?? "nothing")")
            }
            let seen = values.values.filter { v in (acknowledged[tp] ?? [:]).values.contains(v) }
            guard Set(seen).count == seen.count else {
                throw InvariantViolation(name: "acknowledgedRecordsOnce", detail: "\(tp) has a duplicate")
            }
            for id in sim.ids {
                guard let other = sim.nodes[id]?.broker.logs[tp] else { continue }
                guard Self.values(other) == values else {
                    throw InvariantViolation(name: "replicasConverge", detail: "\(tp) on \(id) differs from leader \(leader)")
                }
            }
        }
    }

    /// What a consumer of this leader could read now: every record below its high watermark
    /// (only the part not yet noted is read).
    mutating func noteVisible(_ tp: TopicPartition, _ log: PartitionLog) {
        let from = (visible[tp]?.keys.max()).map { $0 + 1 } ?? log.logStartOffset
        guard from < log.highWatermark else { return }
        for (offset, value) in Self.values(log, from: from, upTo: log.highWatermark) { visible[tp, default: [:]][offset] = value }
    }

    static func values(_ log: PartitionLog, from start: Int64? = nil, upTo end: Int64? = nil) -> [Int64: String] {
        var out: [Int64: String] = [:]
        var at = max(start ?? log.logStartOffset, log.logStartOffset)
        let limit = min(end ?? log.logEndOffset, log.logEndOffset)
        while at < limit {
            guard let data = try? log.read(from: at, maxBytes: 1 << 20, upTo: limit),
                let decoded = try? RecordBatchDecoder.decodeAll(data.records), let last = decoded.batches.last
            else { break }
            for batch in decoded.batches {
                for r in batch.records where r.offset >= at && r.offset < limit {
                    out[r.offset] = r.value.map { String(decoding: $0, as: UTF8.self) } ?? ""
                }
            }
            at = last.header.lastOffset + 1
        }
        return out
    }

    func describe() -> String {
        sim.ids.map { id in
            guard let n = sim.nodes[id] else { return "\(id): down" }
            let parts = (0..<Self.partitions).map { p -> String in
                let tp = TopicPartition(topic: Self.topic, partition: p)
                guard let log = n.broker.logs[tp] else { return "\(tp): -" }
                let r = n.broker.partitionReplicas[tp]
                return "\(tp) \(r?.isLeader == true ? "L" : "F")e\(r?.leaderEpoch ?? -1) isr\(r?.isr.map(\.rawValue) ?? []) leo \(log.logEndOffset) hw \(log.highWatermark)"
            }
            let fetchers = n.broker.fetchers.map { "fetch←\($0.key) \($0.value.partitions.map { "\($0.key)@\($0.value.fetchOffset)e\($0.value.currentLeaderEpoch)" }) inflight \($0.value.inflight) next \($0.value.nextFetchAt)" }
            return "\(id) reg \(n.registration.map { "\($0.brokerEpoch)" } ?? "-"): " + parts.joined(separator: ", ") + " " + fetchers.joined(separator: "; ")
        }.joined(separator: " | ")
    }

    /// The whole run: setup, faults with checks, heal, convergence.
    mutating func run(steps: Int = 300) throws {
        try createTopic()
        try createOffsetsTopic()
        for _ in 0..<steps {
            injectFault()
            _ = sim.runNext(until: sim.now + .milliseconds(Int64(1 + draw(100))))
            _ = sim.run(until: .milliseconds(Int64(draw(50)))) { _ in false }
            try checkSafety()
        }
        sim.cut = []
        sim.awaitStops()
        for id in sim.ids where sim.nodes[id] == nil { sim.start(id) }
        sim.note("heal everything")
        let settled = sim.run(until: .seconds(30)) { s in Self.fullyInSync(s) }
        try checkSafety()
        collectAnswersAfterTimeouts()
        guard settled else { throw InvariantViolation(name: "replicasCatchUpAfterFaults", detail: describe()) }
        try checkConverged()
        try checkCommitsSurvive()
    }

    /// Answers still outstanding after the heal arrive (or time out) within the produce timeout.
    mutating func collectAnswersAfterTimeouts() {
        // offsets.commit.timeout.ms (5 s) bounds the commits' wait.
        _ = sim.run(until: .seconds(6)) { _ in false }
        collectAnswers()
        collectCommitAnswers()
    }
}
