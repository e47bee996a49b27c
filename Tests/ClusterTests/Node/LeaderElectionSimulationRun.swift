// Node test support: a seeded cluster (3 nodes, all KRaft voters, unless told) with one topic,
// a synchronous acks=all producer and the waits the leader-election scenarios need (a broker
// fenced, a partition led by its preferred replica, replicas in sync). Every wait is bounded in
// virtual time and reports what it waited for, with the seed, when the bound passes.

import NIOCore
import Testing

@testable import Cluster

struct LeaderElectionSimulationRun {
    var sim: ClusterSimulation
    let topic: String
    var nextConnection = 1_000
    var nextCorrelation: Int32 = 1

    init(seed: UInt64, topic: String, nodes: Int = 3, voters: Int = 3) {
        var options = ClusterSimulation.Options()
        options.maxDelayMs = 3
        options.nodes = nodes
        options.voters = voters
        sim = ClusterSimulation(seed: seed, options: options)
        self.topic = topic
    }

    /// Fails with the seed, what was awaited, the state and the trace tail.
    func violation(_ name: String) -> InvariantViolation {
        InvariantViolation(
            name: name,
            detail: """
                seed \(sim.seed): \(describe())
                Trace tail:
                \(sim.trace.suffix(60).joined(separator: "\n"))
                """)
    }

    /// Runs until `condition` holds, at most `bound` of virtual time.
    mutating func waitFor(
        _ name: String, within bound: Duration = .seconds(30),
        _ condition: (LeaderElectionSimulationRun) -> Bool
    ) throws(InvariantViolation) {
        let limit = sim.now + bound
        while !condition(self) {
            guard sim.stalled == nil, sim.runNext(until: limit) else {
                guard condition(self) else { throw violation(name) }
                return
            }
        }
    }

    var image: MetadataImage? { sim.activeController.flatMap { sim.nodes[$0]?.committedImage } }

    func partition(_ index: Int32) -> PartitionRegistration? { image?.partition(topic, index) }

    /// Waits for a controller and every broker, then creates the topic (RF 3, placed by the
    /// controller or, given `replicas`, on those brokers per partition) and waits until every
    /// replica has joined the ISR.
    mutating func createTopic(
        partitions: Int32, configs: [String: String], replicas: [[Int32]] = []
    ) throws(InvariantViolation) {
        try waitFor("clusterStarts") { ClusterSimulationRun.agreed($0.sim) }
        let request = CreateTopicsRequest(topics: [
            .init(
                name: topic, numPartitions: replicas.isEmpty ? partitions : -1,
                replicationFactor: replicas.isEmpty ? 3 : -1,
                assignments: replicas.enumerated().map {
                    .init(partitionIndex: Int32($0), brokerIds: $1)
                },
                configs: configs.keys.sorted().map { .init(name: $0, value: configs[$0]) })
        ])
        let frame = RequestFraming.requestFrame(
            request, version: 4, correlationId: 1, clientId: "sim-admin")
        _ = sim.clientRequest(
            frame, to: sim.activeController ?? sim.ids[0], connection: ConnectionID(1))
        try waitFor("topicCreatedInSync") { $0.fullyInSync() }
    }

    /// Every partition has a leader, all three replicas in its ISR, and each replica's log and
    /// high watermark at the leader's log end.
    func fullyInSync() -> Bool {
        guard let topicImage = image?.topic(topic), !topicImage.partitions.isEmpty else {
            return false
        }
        for p in topicImage.partitions {
            let tp = TopicPartition(topic, p.partition)
            guard let leader = p.leader, p.isr.count == 3,
                let leaderLog = sim.nodes[leader]?.broker.logs[tp]
            else { return false }
            for replica in p.replicas {
                guard let log = sim.nodes[replica]?.broker.logs[tp],
                    log.logEndOffset == leaderLog.logEndOffset,
                    log.highWatermark == leaderLog.logEndOffset
                else { return false }
            }
        }
        return true
    }

    /// One acks=all record to the partition's leader; its offset once acknowledged, nil when
    /// refused or not answered within the produce timeout.
    mutating func produce(_ value: String, to index: Int32) -> Int64? {
        guard let leader = partition(index)?.leader, sim.nodes[leader] != nil else { return nil }
        var builder = RecordBatchBuilder()
        try? builder.append(.init(key: nil, value: Array(value.utf8), timestamp: 1_700_000_000_000))
        guard let batch = try? builder.build() else { return nil }
        let request = ProduceRequest(
            acks: -1, timeoutMs: 2_000,
            topicData: [.init(name: topic, partitionData: [.init(index: index, records: batch)])])
        nextCorrelation += 1
        let frame = RequestFraming.requestFrame(
            request, version: 8, correlationId: nextCorrelation, clientId: "sim-producer")
        let connection = ConnectionID(nextConnection)
        nextConnection += 1
        sim.note("producer sends \(value) to \(leader) for \(topic)-\(index)")
        var answer = sim.clientRequest(frame, to: leader, connection: connection)
        let limit = sim.now + .seconds(3)
        while answer == nil {
            answer = sim.takeClientReplies(node: leader, connection: connection).first
            if answer == nil && !sim.runNext(until: limit) { break }
        }
        guard let answer else { return nil }
        var reader = WireReader(answer)
        guard (try? reader.readInt32("size")) != nil, (try? reader.readInt32("correlation")) != nil,
            let response = try? ProduceResponse(from: &reader, version: 8),
            let result = response.responses.first?.partitionResponses.first
        else { return nil }
        sim.note("producer: \(value) → \(result.errorCode.name) at \(result.baseOffset)")
        return result.errorCode == .none ? result.baseOffset : nil
    }

    /// The record values in a partition's log on `node`, by offset.
    func values(_ index: Int32, on node: NodeID) -> [Int64: String] {
        guard let log = sim.nodes[node]?.broker.logs[TopicPartition(topic, index)] else {
            return [:]
        }
        return ReplicationSimulationRun.values(log)
    }

    func isFenced(_ id: NodeID) -> Bool { image?.brokers[id]?.fenced == true }

    func controllerEvents() -> [ControllerEvent] {
        sim.events.compactMap { if case .controller(let e) = $0.kind { e } else { nil } }
    }

    func describe() -> String {
        let partitions = (image?.topic(topic)?.partitions ?? []).map { p in
            "\(topic)-\(p.partition) leader \(p.leader.map(\.description) ?? "none") "
                + "replicas \(p.replicas.map(\.rawValue)) isr \(p.isr.map(\.rawValue)) epoch \(p.leaderEpoch) \(p.leaderRecoveryState)"
        }
        return ClusterSimulationRun.describe(sim) + " | " + partitions.joined(separator: "; ")
    }
}
