// Groups tests on a live cluster: real sockets, real brokers, real __consumer_offsets logs.
// Goal: FindCoordinator creates the offsets topic and names its partition's leader; the whole
// classic-group flow works over the wire; committed offsets survive a broker kill and start of
// the coordinator, and a restart of the whole cluster on the same data directory.

import Foundation
import NIOCore
import NIOPosix
import Testing

@testable import Cluster

@Suite struct GroupBrokerTests {
    static let group = MultiThreadedEventLoopGroup.singleton

    func startCluster(_ brokers: Int = 3, dir: String) async throws -> EmbeddedCluster {
        let cluster = try EmbeddedCluster(config: EmbeddedClusterConfig(brokerCount: brokers, dataDirectory: dir))
        try await cluster.start()
        return cluster
    }

    func connect(_ port: Int) async throws -> KafkaConnection {
        try await KafkaConnection.connect(host: "127.0.0.1", port: port, clientId: "group-tests", group: Self.group)
    }

    /// Asks the first running broker where `groupId`'s coordinator is, and connects to it.
    func coordinator(of groupId: String, in cluster: EmbeddedCluster) async throws -> (NodeID, KafkaConnection) {
        let running = try #require(await cluster.status().brokers.first { $0.state == .running })
        let any = try await connect(running.port)
        let answer = try await findCoordinator(groupId, on: any, in: cluster)
        await any.close()
        try #require(answer.errorCode == .none)
        // The coordinator learns of the new topic from the quorum a moment after the broker
        // that answered; a Kafka client would retry on NOT_COORDINATOR, the test waits.
        #expect(await cluster.waitForMetadataConvergence())
        return (NodeID(answer.nodeId), try await connect(Int(answer.port)))
    }

    /// FindCoordinator; while the answer is COORDINATOR_NOT_AVAILABLE (the broker has asked the
    /// controller for `__consumer_offsets`), waits for the controller's "created" event and for
    /// every broker to have the topic, then asks again, as a Kafka client retries.
    func findCoordinator(_ groupId: String, on connection: KafkaConnection, in cluster: EmbeddedCluster) async throws
        -> FindCoordinatorResponse
    {
        let events = cluster.events.subscribe()
        let answer = try await connection.send(FindCoordinatorRequest(key: groupId, keyType: 0), version: 3)
        guard answer.errorCode == .coordinatorNotAvailable else { return answer }
        let alreadyCreated = cluster.events.all().contains {
            if case .controller(.topicCreated(Broker.offsetsTopicName, _, _, _)) = $0.kind { return true }
            return false
        }
        if !alreadyCreated {
            let created = try await withThrowingTaskGroup(of: Bool.self) { group in
                group.addTask {
                    for await event in events {
                        if case .controller(.topicCreated(Broker.offsetsTopicName, _, _, _)) = event.kind { return true }
                    }
                    return false
                }
                group.addTask {
                    try await Task.sleep(for: .seconds(10))  // a deadline that only fails the test
                    return false
                }
                let first = try await group.next() ?? false
                group.cancelAll()
                return first
            }
            try #require(created, "the controller never created \(Broker.offsetsTopicName)")
        }
        #expect(await cluster.waitForMetadataConvergence())
        return try await connection.send(FindCoordinatorRequest(key: groupId, keyType: 0), version: 3)
    }

    func subscription(_ topics: [String]) -> [JoinGroupRequest.GroupProtocol] {
        [.init(name: "range", metadata: ConsumerProtocolSubscription(topics: topics).encoded())]
    }

    func joinRequest(_ groupId: String, memberId: String = "") -> JoinGroupRequest {
        JoinGroupRequest(groupId: groupId, sessionTimeoutMs: 10_000, rebalanceTimeoutMs: 10_000, memberId: memberId,
                         protocolType: "consumer", protocols: subscription(["orders"]))
    }

    /// JoinGroup v5: the MEMBER_ID_REQUIRED round trip, then the join that completes after
    /// the initial rebalance delay; returns the member id and generation.
    func join(_ groupId: String, on c: KafkaConnection) async throws -> JoinGroupResponse {
        let first = try await c.send(
            JoinGroupRequest(groupId: groupId, sessionTimeoutMs: 10_000, rebalanceTimeoutMs: 10_000,
                             protocolType: "consumer", protocols: subscription(["orders"])), version: 5)
        #expect(first.errorCode == .memberIdRequired)
        #expect(!first.memberId.isEmpty)
        return try await c.send(
            JoinGroupRequest(groupId: groupId, sessionTimeoutMs: 10_000, rebalanceTimeoutMs: 10_000,
                             memberId: first.memberId, protocolType: "consumer",
                             protocols: subscription(["orders"])), version: 5)
    }

    func commit(_ groupId: String, offset: Int64, on c: KafkaConnection, generation: Int32 = -1, memberId: String = "")
        async throws -> OffsetCommitResponse
    {
        try await c.send(
            OffsetCommitRequest(groupId: groupId, generationIdOrMemberEpoch: generation, memberId: memberId, topics: [
                .init(name: "orders", partitions: [.init(partitionIndex: 0, committedOffset: offset, committedMetadata: "m")])
            ]), version: 8)
    }

    func fetchOffset(_ groupId: String, on c: KafkaConnection) async throws -> OffsetFetchResponse.Partition? {
        let r = try await c.send(
            OffsetFetchRequest(groups: [.init(groupId: groupId, topics: [.init(name: "orders", partitionIndexes: [0])])]),
            version: 8)
        return r.groups.first?.topics.first?.partitions.first
    }

    /// The group's committed offset for orders-0, asked as a Kafka client asks: find the
    /// coordinator, and find it again while the answer is NOT_COORDINATOR or
    /// COORDINATOR_LOAD_IN_PROGRESS (bounded: 10 s).
    func committedOffset(_ groupId: String, in cluster: EmbeddedCluster) async throws -> Int64? {
        let clock = ContinuousClock()
        let deadline = clock.now + .seconds(10)
        while clock.now < deadline {
            // Until the controller fences a killed coordinator, FindCoordinator still names it
            // and connecting fails: a client retries that too.
            guard let (_, c) = try? await coordinator(of: groupId, in: cluster) else {
                try await Task.sleep(for: .milliseconds(100))
                continue
            }
            let r = try await c.send(
                OffsetFetchRequest(groups: [.init(groupId: groupId, topics: [.init(name: "orders", partitionIndexes: [0])])]),
                version: 8)
            await c.close()
            guard let group = r.groups.first else { return nil }
            if group.errorCode == .none { return group.topics.first?.partitions.first?.committedOffset }
            guard [.notCoordinator, .coordinatorLoadInProgress, .coordinatorNotAvailable].contains(group.errorCode) else {
                Issue.record("OffsetFetch: \(group.errorCode)")
                return nil
            }
            // A client backs off retry.backoff.ms (100 ms) before asking again.
            try await Task.sleep(for: .milliseconds(100))
        }
        return nil
    }

    @Test("FindCoordinator creates __consumer_offsets and answers its partition's leader, one key or batched")
    func findCoordinatorCreatesTopic() async throws {
        let cluster = try await startCluster(dir: temporaryDirectory("groups-find"))
        #expect(cluster.image.topic(Broker.offsetsTopicName) == nil)
        let c = try await connect(await cluster.status().brokers[1].port)
        // Kafka answers COORDINATOR_NOT_AVAILABLE while the controller creates the topic.
        let first = try await c.send(FindCoordinatorRequest(key: "payments", keyType: 0), version: 3)
        #expect(first.errorCode == .coordinatorNotAvailable)
        let single = try await findCoordinator("payments", on: c, in: cluster)
        let topic = try #require(cluster.image.topic(Broker.offsetsTopicName))
        #expect(topic.partitions.count == 5)
        #expect(topic.configs["retention.ms"] == "-1")
        let partition = Broker.groupConfig.offsetsPartition(for: "payments")
        let leader = try #require(cluster.leader(of: TopicPartition(topic: Broker.offsetsTopicName, partition: partition)))
        #expect(single.errorCode == .none)
        #expect(single.nodeId == leader.rawValue)
        let port = await cluster.status().brokers.first { $0.id == leader }?.port
        #expect(Int(single.port) == port)

        let batched = try await c.send(FindCoordinatorRequest(keyType: 0, coordinatorKeys: ["a", "b", "c"]), version: 4)
        #expect(batched.coordinators.map(\.key) == ["a", "b", "c"])
        #expect(batched.coordinators.allSatisfy { $0.errorCode == .none && $0.nodeId >= 1 })
        let transactions = try await c.send(FindCoordinatorRequest(key: "tx", keyType: 1), version: 3)
        #expect(transactions.errorCode == .coordinatorNotAvailable)
        let metadata = try await c.send(MetadataRequest(topics: [.init(name: Broker.offsetsTopicName)]), version: 12)
        #expect(metadata.topics.first?.isInternal == true)
        await c.close()
        await cluster.shutdown()
    }

    @Test("join, sync, heartbeat, commit, fetch and leave work end to end on the coordinator")
    func fullGroupFlow() async throws {
        let cluster = try await startCluster(dir: temporaryDirectory("groups-flow"))
        let (coordinatorId, c) = try await coordinator(of: "flow", in: cluster)
        let joined = try await join("flow", on: c)
        #expect(joined.errorCode == .none)
        #expect(joined.generationId == 1)
        #expect(joined.leader == joined.memberId)
        #expect(joined.protocolName == "range")

        let assignment = ConsumerProtocolAssignment(assignedPartitions: [.init(topic: "orders", partitions: [0])])
        let synced = try await c.send(
            SyncGroupRequest(groupId: "flow", generationId: 1, memberId: joined.memberId, protocolType: "consumer",
                             protocolName: "range", assignments: [.init(memberId: joined.memberId, assignment: assignment.encoded())]),
            version: 5)
        #expect(synced.errorCode == .none)
        #expect(try ConsumerProtocolAssignment(decoding: synced.assignment).assignedPartitions.first?.partitions == [0])
        let beat = try await c.send(HeartbeatRequest(groupId: "flow", generationId: 1, memberId: joined.memberId), version: 4)
        #expect(beat.errorCode == .none)

        let committed = try await commit("flow", offset: 42, on: c, generation: 1, memberId: joined.memberId)
        #expect(committed.topics.first?.partitions.first?.errorCode == ErrorCode.none)
        let fetched = try await fetchOffset("flow", on: c)
        #expect(fetched?.committedOffset == 42)
        #expect(fetched?.metadata == "m")

        let summary = try #require(await cluster.group("flow"))
        #expect(summary.state == "Stable")
        #expect(summary.coordinator == coordinatorId)
        #expect(summary.members.map(\.assignment) == [[TopicPartition(topic: "orders", partition: 0)]])
        #expect(summary.members.first?.clientId == "group-tests")
        #expect(summary.members.first?.clientHost == "/127.0.0.1")
        #expect(summary.offsets.map(\.committedOffset) == [42])

        let left = try await c.send(LeaveGroupRequest(groupId: "flow", members: [.init(memberId: joined.memberId)]), version: 4)
        #expect(left.errorCode == .none)
        #expect(await cluster.group("flow")?.state == "Empty")
        await c.close()
        await cluster.shutdown()
    }

    @Test("two members on two connections join one rebalance; the parked JoinGroups are both answered")
    func twoMembersJoinTogether() async throws {
        let cluster = try await startCluster(dir: temporaryDirectory("groups-two"))
        let (_, a) = try await coordinator(of: "pair", in: cluster)
        let (_, b) = try await coordinator(of: "pair", in: cluster)
        // Member ids first, one after the other; then both real joins at once, so both land
        // inside the initial rebalance delay whatever the machine's speed.
        let idA = try await a.send(joinRequest("pair"), version: 5).memberId
        let idB = try await b.send(joinRequest("pair"), version: 5).memberId
        async let joinedA = a.send(joinRequest("pair", memberId: idA), version: 5)
        async let joinedB = b.send(joinRequest("pair", memberId: idB), version: 5)
        let (ra, rb) = try await (joinedA, joinedB)
        #expect(Set([ra.memberId, rb.memberId]) == [idA, idB])
        #expect(ra.errorCode == .none && rb.errorCode == .none)
        #expect(ra.generationId == rb.generationId)
        #expect(ra.leader == rb.leader)
        let leaderResponse = ra.leader == ra.memberId ? ra : rb
        #expect(Set(leaderResponse.members.map(\.memberId)) == [ra.memberId, rb.memberId])
        let summary = try #require(await cluster.group("pair"))
        #expect(summary.state == "CompletingRebalance")
        #expect(summary.members.count == 2)
        await a.close()
        await b.close()
        await cluster.shutdown()
    }

    @Test("a broker that does not lead the group's partition answers NOT_COORDINATOR")
    func notCoordinator() async throws {
        let cluster = try await startCluster(dir: temporaryDirectory("groups-notcoord"))
        let (coordinatorId, c) = try await coordinator(of: "elsewhere", in: cluster)
        await c.close()
        let other = try #require(await cluster.status().brokers.first { $0.id != coordinatorId })
        let wrong = try await connect(other.port)
        let beat = try await wrong.send(HeartbeatRequest(groupId: "elsewhere", generationId: 1, memberId: "x"), version: 4)
        #expect(beat.errorCode == .notCoordinator)
        await wrong.close()
        await cluster.shutdown()
    }

    @Test("committed offsets survive a kill and start of the coordinator, and a whole-cluster restart")
    func offsetsSurviveRestarts() async throws {
        let dir = temporaryDirectory("groups-restart")
        var cluster = try await startCluster(dir: dir)
        let (coordinatorId, c) = try await coordinator(of: "durable", in: cluster)
        #expect(try await commit("durable", offset: 7, on: c).topics.first?.partitions.first?.errorCode == ErrorCode.none)
        #expect(try await commit("durable", offset: 9, on: c).topics.first?.partitions.first?.errorCode == ErrorCode.none)
        await c.close()

        _ = try await cluster.kill(coordinatorId)
        _ = try await cluster.restart(coordinatorId)
        // The restarted broker is the coordinator again only once registered, or the group
        // moved to a follower that has the records: ask as a client does until one answers.
        #expect(await cluster.waitUntilReady())
        #expect(try await committedOffset("durable", in: cluster) == 9)
        await cluster.shutdown()

        cluster = try await startCluster(dir: dir)
        #expect(await cluster.waitUntilReady())
        #expect(try await committedOffset("durable", in: cluster) == 9)
        #expect(await cluster.group("durable")?.offsets.map(\.committedOffset) == [9])
        await cluster.shutdown()
    }

    @Test("__consumer_offsets has 3 replicas; with its coordinator killed the group moves to a follower that has every acknowledged commit")
    func coordinatorMovesOnKill() async throws {
        let cluster = try await startCluster(dir: temporaryDirectory("groups-move"))
        let (coordinatorId, c) = try await coordinator(of: "moving", in: cluster)
        let topic = try #require(cluster.image.topic(Broker.offsetsTopicName))
        #expect(topic.partitions.allSatisfy { $0.replicas.count == 3 })
        for offset in [3, 5, 8] as [Int64] {
            // Answered only once the commit is on every ISR member.
            #expect(try await commit("moving", offset: offset, on: c).topics.first?.partitions.first?.errorCode == ErrorCode.none)
        }
        await c.close()
        _ = try await cluster.kill(coordinatorId)
        #expect(try await committedOffset("moving", in: cluster) == 8)
        let (moved, d) = try await coordinator(of: "moving", in: cluster)
        #expect(moved != coordinatorId)
        #expect(try await commit("moving", offset: 13, on: d).topics.first?.partitions.first?.errorCode == ErrorCode.none)
        await d.close()
        #expect(try await committedOffset("moving", in: cluster) == 13)
        await cluster.shutdown()
    }
}
