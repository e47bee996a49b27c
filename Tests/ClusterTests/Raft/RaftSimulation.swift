// Raft tests: a seeded world of KRaft voters (and observers) on virtual time. Messages are
// delayed, reordered, lost and cut per link; nodes crash and restart from what they made
// durable; the leader proposes records. Safety is checked after every event, liveness once the
// faults stop.

@testable import Cluster

struct RaftSimulation {
    struct Options: CustomStringConvertible {
        var voters = 3
        var observers = 0
        var lossPercent: UInt64 = 5
        var maxDelayMs: UInt64 = 30
        var crashes = true
        var cuts = true
        var horizon: Duration = .seconds(30)
        /// After the horizon: how long a healed cluster may take to agree again.
        var settleBound: Duration = .seconds(20)

        var description: String {
            "voters \(voters) observers \(observers) loss \(lossPercent)% delay ≤\(maxDelayMs)ms crashes \(crashes) cuts \(cuts) horizon \(horizon)"
        }

        /// Swarm testing: each seed turns faults on and off and picks its own intensities.
        static func swarm(seed: UInt64) -> Options {
            var rng = SplitMix64(seed: seed ^ 0x5EED)
            var o = Options()
            o.voters = [1, 3, 3, 5][Int(rng.next() % 4)]
            o.observers = Int(rng.next() % 3)
            o.lossPercent = [0, 2, 10, 30][Int(rng.next() % 4)]
            o.maxDelayMs = [1, 20, 200][Int(rng.next() % 3)]
            o.crashes = rng.next() % 4 != 0
            o.cuts = rng.next() % 3 != 0
            return o
        }
    }

    struct Pending {
        var at: Instant
        var seq: Int
        var envelope: RaftEnvelope
    }

    let seed: UInt64
    let options: Options
    var rng: SplitMix64
    var now = Instant.zero
    let ids: [NodeID]
    let config: RaftConfig
    var nodes: [NodeID: RaftNode] = [:]
    /// What each node has made durable: its quorum state and its log.
    var disks: [NodeID: (QuorumStateData, RaftLog)] = [:]
    var queue: [Pending] = []
    var seq = 0
    var cut: Set<[NodeID]> = []
    var restarts: UInt64 = 0
    var trace: [String] = []
    var events = 0
    // The model the machines must match.
    var leaderOfEpoch: [Int32: NodeID] = [:]
    var committed: [MetadataBatch] = []
    var proposals = 0
    /// Faults have stopped: no more loss.
    var healed = false
    /// Replays trace every delivered message too.
    var verbose = false

    init(seed: UInt64, options: Options) {
        self.seed = seed
        self.options = options
        rng = SplitMix64(seed: seed)
        ids = (1...(options.voters + options.observers)).map { NodeID(Int32($0)) }
        config = RaftConfig(voters: Array(ids.prefix(options.voters)))
        for id in ids {
            disks[id] = (QuorumStateData(), RaftLog())
            start(id)
        }
    }

    mutating func draw(_ n: UInt64) -> UInt64 { rng.next() % max(1, n) }

    mutating func note(_ line: String) {
        trace.append("[t=\(now.nanoseconds / 1_000_000)ms] \(line)")
        if trace.count > 4000 { trace.removeFirst(2000) }
    }

    mutating func start(_ id: NodeID) {
        guard let (state, log) = disks[id] else { return }
        restarts += 1
        nodes[id] = RaftNode(id: id, config: config, log: log, quorumState: state, seed: seed &+ restarts &* 7919 &+ UInt64(id.rawValue), now: now)
    }

    // MARK: - Running

    /// Runs faults until the horizon, then heals everything and checks that the quorum agrees.
    mutating func run() throws(InvariantViolation) {
        let end = Instant.zero + options.horizon
        while now < end { try runNext(faults: true, until: end) }
        healEverything()
        let settle = now + options.settleBound
        var finalOffsets: Range<Int64>? = nil
        var proposedIn: Int32 = -1
        while now < settle {
            try runNext(faults: false, until: settle)
            // An uncommitted record may rightly be lost when leadership moves: propose again
            // in each new epoch until one commits everywhere.
            if let leader = currentLeader(), let node = nodes[leader], node.epoch != proposedIn, leaderIsSettled(leader) {
                if let offsets = propose(on: leader) {
                    finalOffsets = offsets
                    proposedIn = node.epoch
                }
            }
            if let range = finalOffsets, everyoneHas(range.upperBound) { return }
        }
        throw InvariantViolation(
            name: "quorumConvergesAfterFaultsStop",
            detail: "no agreed leader and high watermark \(options.settleBound) after healing: "
                + ids.map { id in nodes[id].map { "\(id):\($0.roleName)@\($0.epoch) hw \($0.highWatermark) end \($0.log.endOffset)" } ?? "\(id):down" }.joined(separator: ", "))
    }

    mutating func runNext(faults: Bool, until end: Instant) throws(InvariantViolation) {
        let nextMessage = queue.first?.at
        let nextWake = ids.compactMap { nodes[$0]?.nextDeadline }.min()
        let next = [nextMessage, nextWake, end].compactMap { $0 }.min() ?? end
        if faults, draw(100) < 3 {
            // A fault or a proposal happens somewhere between now and the next event.
            now = now + .milliseconds(Int64(draw(UInt64(max(1, (next - now).milliseconds)))))
            try injectFault()
            return
        }
        now = max(now, next)
        if let m = nextMessage, m <= now {
            let pending = queue.removeFirst()
            try deliver(pending.envelope)
        } else {
            for id in ids {
                guard var node = nodes[id], node.nextDeadline <= now else { continue }
                let effects = node.tick(now: now)
                nodes[id] = node
                try apply(effects, on: id)
            }
        }
    }

    mutating func injectFault() throws(InvariantViolation) {
        let roll = draw(100)
        let id = ids[Int(draw(UInt64(ids.count)))]
        switch roll {
        case 0..<40:
            if let leader = currentLeader() { _ = propose(on: leader) }
        case 40..<55 where options.crashes:
            if nodes[id] != nil {
                nodes[id] = nil
                note("crash \(id)")
            }
        case 55..<75 where options.crashes:
            if nodes[id] == nil {
                start(id)
                note("restart \(id)")
            }
        case 75..<85 where options.cuts:
            let other = ids[Int(draw(UInt64(ids.count)))]
            if other != id {
                cut.insert([id, other].sorted())
                note("cut \(id)-\(other)")
            }
        case 85..<95 where options.cuts:
            if let link = cut.sorted(by: { $0.lexicographicallyPrecedes($1) }).first {
                cut.remove(link)
                note("heal \(link)")
            }
        case 95..<100:
            if var node = nodes[id], node.isLeader {
                note("\(id) resigns")
                let effects = node.resign(now: now)
                nodes[id] = node
                try apply(effects, on: id)
            }
        default:
            break
        }
    }

    mutating func healEverything() {
        cut = []
        healed = true
        for id in ids where nodes[id] == nil { start(id) }
        note("heal everything")
    }

    mutating func deliver(_ envelope: RaftEnvelope) throws(InvariantViolation) {
        guard var node = nodes[envelope.to], !cut.contains([envelope.from, envelope.to].sorted()) else { return }
        if verbose { note("\(envelope.from)→\(envelope.to) #\(envelope.correlationId) \(envelope.message)") }
        let effects = node.step(envelope, now: now)
        nodes[envelope.to] = node
        try apply(effects, on: envelope.to)
    }

    mutating func apply(_ effects: RaftEffects, on id: NodeID) throws(InvariantViolation) {
        events += 1
        // Durable first, as the host must do.
        if var disk = disks[id] {
            if let state = effects.quorumState { disk.0 = state }
            for change in effects.logChanges {
                switch change {
                case .append(let batch): disk.1.append(batch)
                case .truncate(let offset): disk.1.truncate(to: offset)
                }
            }
            disks[id] = disk
        }
        for event in effects.events { note("\(id) \(event)") }
        for envelope in effects.messages {
            let lost = !healed && options.lossPercent > 0 && draw(100) < options.lossPercent
            if lost || cut.contains([envelope.from, envelope.to].sorted()) { continue }
            seq += 1
            let at = now + .milliseconds(Int64(1 + draw(options.maxDelayMs)))
            let index = queue.firstIndex { ($0.at, $0.seq) > (at, seq) } ?? queue.endIndex
            queue.insert(Pending(at: at, seq: seq, envelope: envelope), at: index)
        }
        try checkInvariants(after: id)
    }

    mutating func propose(on leader: NodeID) -> Range<Int64>? {
        guard var node = nodes[leader] else { return nil }
        proposals += 1
        let record = MetadataRecord.topic(TopicRecord(name: "t\(proposals)", topicId: Uuid(mostSignificantBits: 1, leastSignificantBits: UInt64(proposals))))
        let (effects, offsets) = node.propose([record], now: now)
        nodes[leader] = node
        try? apply(effects, on: leader)
        return offsets
    }

    func currentLeader() -> NodeID? {
        ids.filter { nodes[$0]?.isLeader == true }.max { nodes[$0]!.epoch < nodes[$1]!.epoch }
    }

    /// The leader has committed its epoch's first record: proposals can commit.
    func leaderIsSettled(_ leader: NodeID) -> Bool {
        guard let node = nodes[leader] else { return false }
        return node.highWatermark > 0 && node.log.batches.last(where: { $0.baseOffset < node.highWatermark })?.leaderEpoch == node.epoch
    }

    func everyoneHas(_ offset: Int64) -> Bool {
        ids.allSatisfy { (nodes[$0]?.highWatermark ?? -1) >= offset }
    }

    // MARK: - Invariants

    mutating func checkInvariants(after id: NodeID) throws(InvariantViolation) {
        guard let node = nodes[id] else { return }
        // atMostOneLeaderPerEpoch
        if node.isLeader {
            if let other = leaderOfEpoch[node.epoch], other != id {
                throw InvariantViolation(name: "atMostOneLeaderPerEpoch", detail: "epoch \(node.epoch): \(other) and \(id)")
            }
            if leaderOfEpoch[node.epoch] == nil {
                leaderOfEpoch[node.epoch] = id
                // leaderHasEveryCommittedRecord: a new leader's log holds the whole committed prefix.
                try committedPrefixMatches(node, upTo: committedEnd, rule: "leaderHasEveryCommittedRecord")
            }
        }
        // committedPrefixesAgree: what this node calls committed matches what anyone ever did.
        try committedPrefixMatches(node, upTo: node.highWatermark, rule: "committedPrefixesAgree")
        for batch in node.log.batches where batch.baseOffset >= committedEnd && batch.lastOffset < node.highWatermark {
            guard batch.baseOffset == committedEnd else {
                throw InvariantViolation(name: "committedPrefixesAgree", detail: "gap at \(committedEnd) on \(id)")
            }
            committed.append(batch)
        }
        // Logs never hold a batch from an epoch later than their node knows.
        if node.log.lastEpoch > node.epoch {
            throw InvariantViolation(name: "logEpochNotAheadOfNode", detail: "\(id) log epoch \(node.log.lastEpoch) > \(node.epoch)")
        }
    }

    var committedEnd: Int64 { committed.last.map { $0.lastOffset + 1 } ?? 0 }

    func committedPrefixMatches(_ node: RaftNode, upTo end: Int64, rule: String) throws(InvariantViolation) {
        for batch in committed where batch.baseOffset < end {
            let mine = node.log.batch(containing: batch.baseOffset)
            guard mine == batch else {
                throw InvariantViolation(
                    name: rule,
                    detail: "\(node.id) at offset \(batch.baseOffset): has \(String(describing: mine)), committed \(batch)")
            }
        }
    }
}
