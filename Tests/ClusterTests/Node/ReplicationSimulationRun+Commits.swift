// Node test support: offset commits in the seeded replication run. A committer sends
// OffsetCommits for one group to whichever broker leads the group's `__consumer_offsets`
// partition (RF 3 here) while faults happen; after they stop, the coordinator must return a
// committed offset no older than the newest commit it acknowledged.

import NIOCore

@testable import Cluster

extension ReplicationSimulationRun {
    static let group = "g"

    static var offsetsPartition: TopicPartition {
        TopicPartition(topic: Broker.offsetsTopicName, partition: Broker.groupConfig.offsetsPartition(for: group))
    }

    /// Asks for the group's coordinator (creating `__consumer_offsets`) and waits until that
    /// topic's partitions are in sync on all three brokers.
    mutating func createOffsetsTopic() throws {
        let frame = RequestFraming.requestFrame(
            FindCoordinatorRequest(key: Self.group, keyType: 0), version: 3, correlationId: 2, clientId: "sim-committer")
        _ = sim.clientRequest(frame, to: sim.activeController ?? sim.ids[0], connection: ConnectionID(2))
        guard sim.run(until: .seconds(10), { Self.offsetsInSync($0) }) else {
            throw InvariantViolation(name: "offsetsTopicCreatedInSync", detail: describe())
        }
    }

    static func offsetsInSync(_ s: ClusterSimulation) -> Bool {
        guard let active = s.activeController, let topic = s.nodes[active]?.committedImage.topic(Broker.offsetsTopicName) else {
            return false
        }
        return topic.partitions.allSatisfy { $0.isr.count == 3 && $0.replicas.count == 3 }
    }

    /// The broker the committer believes coordinates the group (the leader of its partition).
    var coordinator: NodeID? {
        let tp = Self.offsetsPartition
        let leader = sim.activeController.flatMap { sim.nodes[$0]?.committedImage.partition(tp.topic, tp.partition)?.leader }
        return leader.flatMap { sim.nodes[$0] != nil ? $0 : nil }
    }

    /// One OffsetCommit of the next offset, as a simple (memberless) group commits.
    mutating func commit() {
        guard let coordinator else { return }
        nextCommit += 1
        let request = OffsetCommitRequest(groupId: Self.group, generationIdOrMemberEpoch: -1, memberId: "", topics: [
            .init(name: Self.topic, partitions: [.init(partitionIndex: 0, committedOffset: nextCommit, committedMetadata: nil)])
        ])
        let frame = RequestFraming.requestFrame(request, version: 7, correlationId: Int32(nextCommit), clientId: "sim-committer")
        let connection = ConnectionID(nextConnection)
        nextConnection += 1
        sim.note("committer commits \(nextCommit) at \(coordinator)")
        if let answer = sim.clientRequest(frame, to: coordinator, connection: connection) {
            recordCommit(answer, offset: nextCommit)
        } else {
            pendingCommits.append((coordinator, connection, nextCommit))
        }
    }

    mutating func collectCommitAnswers() {
        var still: [(node: NodeID, connection: ConnectionID, offset: Int64)] = []
        for p in pendingCommits {
            let frames = sim.takeClientReplies(node: p.node, connection: p.connection)
            if frames.isEmpty { still.append(p) }
            for frame in frames { recordCommit(frame, offset: p.offset) }
        }
        pendingCommits = still
    }

    mutating func recordCommit(_ frame: ByteBuffer, offset: Int64) {
        var reader = WireReader(frame)
        guard (try? reader.readInt32("size")) != nil, (try? reader.readInt32("correlation")) != nil,
            let response = try? OffsetCommitResponse(from: &reader, version: 7),
            let code = response.topics.first?.partitions.first?.errorCode
        else { return }
        sim.note("committer: \(offset) → \(code.name)")
        if code == .none { acknowledgedCommit = max(acknowledgedCommit, offset) }
    }

    /// After faults stop: the coordinator answers OffsetFetch with an offset the committer
    /// sent, no older than the newest one it was told is committed.
    mutating func checkCommitsSurvive() throws(InvariantViolation) {
        collectCommitAnswers()
        guard let coordinator else { throw InvariantViolation(name: "coordinatorAfterFaults", detail: describe()) }
        let request = OffsetFetchRequest(groups: [.init(groupId: Self.group, topics: [.init(name: Self.topic, partitionIndexes: [0])])])
        let frame = RequestFraming.requestFrame(request, version: 5, correlationId: 3, clientId: "sim-committer")
        let connection = ConnectionID(3)
        var answer = sim.clientRequest(frame, to: coordinator, connection: connection)
        if answer == nil {
            _ = sim.run(until: .seconds(1)) { !$0.clientReplies.filter { $0.node == coordinator && $0.connection == connection }.isEmpty }
            answer = sim.takeClientReplies(node: coordinator, connection: connection).first
        }
        var reader = answer.map { WireReader($0) }
        guard reader != nil, (try? reader!.readInt32("size")) != nil, (try? reader!.readInt32("correlation")) != nil,
            let response = try? OffsetFetchResponse(from: &reader!, version: 5), let group = response.groups.first
        else { throw InvariantViolation(name: "offsetFetchAnswered", detail: "coordinator \(coordinator) did not answer") }
        let committed = group.topics.first?.partitions.first?.committedOffset ?? -1
        guard group.errorCode == .none, committed >= acknowledgedCommit, committed <= nextCommit else {
            throw InvariantViolation(
                name: "acknowledgedCommitsSurvive",
                detail: "coordinator \(coordinator) says \(committed) (\(group.errorCode.name)); acknowledged up to \(acknowledgedCommit), sent up to \(nextCommit)")
        }
    }
}
