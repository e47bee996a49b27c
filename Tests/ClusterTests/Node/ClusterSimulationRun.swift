// Node tests: one seeded run of a whole simulated cluster (Raft + controller + broker per node)
// with crashes, clean stops, restarts, lost and delayed frames, cut links and clients creating
// topics. Safety is checked after every event; after the faults stop the cluster must agree.

import NIOCore

@testable import Cluster

struct ClusterSimulationRun {
    struct Faults: CustomStringConvertible {
        var crashes = true
        var cuts = true
        var horizon: Duration = .seconds(20)
        var settleBound: Duration = .seconds(30)
        var description: String { "crashes \(crashes) cuts \(cuts) horizon \(horizon)" }

        static func swarm(seed: UInt64) -> (ClusterSimulation.Options, Faults) {
            var rng = SplitMix64(seed: seed ^ 0xC1A5)
            var options = ClusterSimulation.Options()
            options.nodes = [3, 3, 5][Int(rng.next() % 3)]
            options.voters = options.nodes == 5 ? [3, 5][Int(rng.next() % 2)] : 3
            options.lossPercent = [0, 1, 5, 15][Int(rng.next() % 4)]
            options.maxDelayMs = [1, 10, 60][Int(rng.next() % 3)]
            var faults = Faults()
            faults.crashes = rng.next() % 4 != 0
            faults.cuts = rng.next() % 3 != 0
            return (options, faults)
        }
    }

    let seed: UInt64
    let faults: Faults
    var sim: ClusterSimulation
    var rng: SplitMix64
    var leaderOfEpoch: [Int32: NodeID] = [:]
    var committed: [MetadataBatch] = []
    /// Topics a client was told were created.
    var acknowledged: Set<String> = []
    var pendingCreates: [(node: NodeID, connection: ConnectionID, name: String)] = []
    var nextConnection = 1
    var topicsAsked = 0
    var eventsChecked = 0

    init(seed: UInt64) {
        self.seed = seed
        let (options, faults) = Faults.swarm(seed: seed)
        self.faults = faults
        sim = ClusterSimulation(seed: seed, options: options)
        rng = SplitMix64(seed: seed &+ 17)
    }

    var description: String { "\(sim.options) \(faults)" }

    mutating func draw(_ n: UInt64) -> UInt64 { rng.next() % max(1, n) }

    mutating func run() throws(InvariantViolation) {
        let end = sim.now + faults.horizon
        while sim.now < end {
            if draw(100) < 2 { try injectFault() }
            if !sim.runNext(until: min(end, sim.now + .milliseconds(Int64(1 + draw(200))))) { continue }
            try checkSafety()
        }
        // Faults stop: every node runs, every link heals, nothing is lost.
        sim.cut = []
        sim.lossPercent = 0
        sim.awaitStops()
        for id in sim.ids where sim.nodes[id] == nil { sim.start(id) }
        sim.note("heal everything")
        let settled = sim.run(until: faults.settleBound) { s in Self.agreed(s) }
        try checkSafety()
        guard settled else {
            throw InvariantViolation(name: "clusterConvergesAfterFaultsStop", detail: Self.describe(sim))
        }
        // Every topic a client was told about exists everywhere.
        for id in sim.ids {
            guard let image = sim.nodes[id]?.committedImage else { continue }
            for name in acknowledged.sorted() where image.topic(name) == nil {
                throw InvariantViolation(name: "acknowledgedTopicsSurvive", detail: "\(name) missing on node \(id)")
            }
        }
    }

    /// A controller leads, every broker is registered and unfenced, and every node serves the
    /// same committed image.
    static func agreed(_ s: ClusterSimulation) -> Bool {
        guard let active = s.activeController, let leader = s.nodes[active] else { return false }
        let image = leader.committedImage
        guard leader.raft.highWatermark == leader.raft.log.endOffset else { return false }
        for id in s.ids {
            guard let node = s.nodes[id], let registration = image.brokers[id], !registration.fenced else { return false }
            guard node.committedImage == image, node.raft.highWatermark == leader.raft.highWatermark else { return false }
        }
        return true
    }

    static func describe(_ s: ClusterSimulation) -> String {
        s.ids.map { id in
            guard let n = s.nodes[id] else { return "\(id): down" }
            let fenced = n.committedImage.brokers[id].map { $0.fenced ? "fenced" : "unfenced" } ?? "unregistered"
            return "\(id): \(n.raft.roleName)@\(n.raft.epoch) hw \(n.raft.highWatermark) end \(n.raft.log.endOffset) \(fenced)"
                + (n.controller != nil ? " controller" : "")
        }.joined(separator: "; ")
    }

    mutating func injectFault() throws(InvariantViolation) {
        let id = sim.ids[Int(draw(UInt64(sim.ids.count)))]
        switch draw(100) {
        case 0..<35:
            createTopic(via: id)
        case 35..<50 where faults.crashes:
            sim.kill(id)
        case 50..<58 where faults.crashes:
            sim.stop(id)
        case 58..<80 where faults.crashes:
            sim.start(id)
        case 80..<90 where faults.cuts:
            let other = sim.ids[Int(draw(UInt64(sim.ids.count)))]
            if other != id {
                sim.cut.insert([id, other].sorted())
                sim.note("cut \(id)-\(other)")
            }
        case 90..<100 where faults.cuts:
            if let link = sim.cut.sorted(by: { $0.lexicographicallyPrecedes($1) }).first {
                sim.cut.remove(link)
                sim.note("heal \(link)")
            }
        default:
            break
        }
    }

    mutating func createTopic(via id: NodeID) {
        topicsAsked += 1
        let name = "t\(topicsAsked)"
        let connection = ConnectionID(nextConnection)
        nextConnection += 1
        let request = CreateTopicsRequest(topics: [.init(name: name, numPartitions: 1, replicationFactor: 1, assignments: [], configs: [])])
        let frame = RequestFraming.requestFrame(request, version: 4, correlationId: 1, clientId: "sim-admin")
        sim.note("client asks \(id) to create \(name)")
        if let answer = sim.clientRequest(frame, to: id, connection: connection) {
            record(answer, name: name)
        } else {
            pendingCreates.append((id, connection, name))
        }
    }

    mutating func record(_ frame: ByteBuffer, name: String) {
        var reader = WireReader(frame)
        guard (try? reader.readInt32("size")) != nil, (try? reader.readInt32("correlation")) != nil,
            let response = try? CreateTopicsResponse(from: &reader, version: 4), let topic = response.topics.first
        else { return }
        sim.note("client: create \(name) → \(topic.errorCode.name)")
        if topic.errorCode == .none { acknowledged.insert(name) }
    }

    // MARK: - Safety

    mutating func checkSafety() throws(InvariantViolation) {
        for pending in pendingCreates {
            for frame in sim.takeClientReplies(node: pending.node, connection: pending.connection) { record(frame, name: pending.name) }
        }
        for id in sim.ids {
            guard let node = sim.nodes[id] else { continue }
            if let failure = node.storageFailure {
                throw InvariantViolation(name: "metadataDiskNeverFails", detail: "\(id): \(failure)")
            }
            let raft = node.raft
            if raft.isLeader {
                if let other = leaderOfEpoch[raft.epoch], other != id {
                    throw InvariantViolation(name: "atMostOneLeaderPerEpoch", detail: "epoch \(raft.epoch): \(other) and \(id)")
                }
                leaderOfEpoch[raft.epoch] = id
            }
            for batch in committed where batch.baseOffset < raft.highWatermark {
                guard raft.log.batch(containing: batch.baseOffset) == batch else {
                    throw InvariantViolation(name: "committedPrefixesAgree", detail: "node \(id) differs at offset \(batch.baseOffset)")
                }
            }
            let end = committed.last.map { $0.lastOffset + 1 } ?? 0
            for batch in raft.log.batches where batch.baseOffset >= end && batch.lastOffset < raft.highWatermark {
                committed.append(batch)
            }
        }
        eventsChecked += 1
        if eventsChecked % 50 == 0 { try imagesMatchCommittedReplay() }
    }

    /// Every broker's image is exactly the replay of the committed prefix it has seen.
    func imagesMatchCommittedReplay() throws(InvariantViolation) {
        for id in sim.ids {
            guard let node = sim.nodes[id], node.brokerCaughtUp else { continue }
            var expected = MetadataImage()
            for batch in committed where batch.baseOffset < node.raft.highWatermark {
                guard case .records(let records) = batch.content else { continue }
                for (i, record) in records.enumerated() { expected.replay(record, offset: batch.baseOffset + Int64(i)) }
            }
            guard node.committedImage == expected else {
                throw InvariantViolation(name: "imageIsReplayOfCommittedPrefix", detail: "node \(id) at hw \(node.raft.highWatermark)")
            }
        }
    }
}
