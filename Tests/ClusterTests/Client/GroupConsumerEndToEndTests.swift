// Client tests: group consumers against a real embedded cluster on loopback. Goal: two
// members of one group share a 4-partition topic disjointly; leave() and kill() hand all
// partitions to the survivor; a commit is where the next member resumes. Method: wait for
// conditions with deadlines (the deadline only fails the test). Skipped until the brokers
// coordinate groups (branch groups-broker).

import Foundation
import Testing

@testable import Cluster

/// Whether this build's brokers answer JoinGroup (they do once groups-broker is merged).
private let brokersCoordinateGroups = Broker.advertisedApiVersions.contains {
    $0.apiKey == .joinGroup
}

@Suite(
    .enabled(
        if: brokersCoordinateGroups,
        "the brokers do not handle JoinGroup yet (merge branch groups-broker)"),
    .serialized)
struct GroupConsumerEndToEndTests {
    static let topic = "orders"
    static let all = (0..<4).map { TopicPartition(topic, Int32($0)) }

    struct Fixture {
        var cluster: EmbeddedCluster
        var bootstrap: [String]
        var clients: [KafkaClient] = []

        mutating func member(
            _ group: String, instance: String? = nil, autoCommit: Bool = false
        ) throws -> GroupConsumer {
            let client = try KafkaClient(bootstrapServers: bootstrap, clientId: "member")
            clients.append(client)
            var config = GroupConsumerConfig(groupId: group)
            config.groupInstanceId = instance
            config.sessionTimeout = .milliseconds(6_000)  // the brokers' group.min.session.timeout.ms
            config.heartbeatInterval = .milliseconds(300)
            config.maxPollInterval = .seconds(30)
            config.enableAutoCommit = autoCommit
            config.autoOffsetReset = .earliest
            config.fetch.fetchMaxWait = .milliseconds(100)
            return try GroupConsumer(client: client, config: config)
        }

        func close() async {
            for client in clients { await client.close() }
            await cluster.shutdown()
        }
    }

    static func start(partitions: Int32 = 4, brokers: Int = 1) async throws -> Fixture {
        let cluster = try EmbeddedCluster(
            config: EmbeddedClusterConfig(brokerCount: brokers, dataDirectory: temporaryDirectory("groups")))
        try await cluster.start()
        let bootstrap = await cluster.status().bootstrap.split(separator: ",").map(String.init)
        let admin = Admin(client: try KafkaClient(bootstrapServers: bootstrap))
        let created = try await admin.createTopics(
            [NewTopic(name: topic, numPartitions: partitions, replicationFactor: Int16(brokers))])
        #expect(created.first?.errorCode == ErrorCode.none)
        await admin.client.close()
        return Fixture(cluster: cluster, bootstrap: bootstrap)
    }

    /// Checks `condition` until it holds or `within` passes; false means it never held.
    ///
    /// Between checks it waits on the group itself, never on a timer: `pumping` is polled
    /// (a poll blocks until that member has a stable assignment and records, or 100 ms), or,
    /// without it, `condition` must block the same way (it polls).
    static func eventually(
        within: Duration, pumping member: GroupConsumer? = nil, _ condition: () async -> Bool
    ) async throws -> Bool {
        let clock = ContinuousClock()
        let deadline = clock.now + within
        while clock.now < deadline {
            if await condition() { return true }
            if let member { _ = try? await member.poll(timeout: .milliseconds(100)) }
        }
        return await condition()
    }

    static func owns(_ member: GroupConsumer, all partitions: [TopicPartition]) async -> Bool {
        let state = await member.state
        let assignment = await member.assignment
        return state == .stable && assignment == partitions
    }

    static func shareDisjointly(_ a: GroupConsumer, _ b: GroupConsumer) async -> Bool {
        let (sa, sb) = (await a.state, await b.state)
        let (pa, pb) = (await a.assignment, await b.assignment)
        let (ga, gb) = (await a.generation, await b.generation)
        return sa == .stable && sb == .stable && ga == gb && !pa.isEmpty && !pb.isEmpty
            && Set(pa).isDisjoint(with: pb) && (pa + pb).sorted() == all
    }

    @Test("two members of one group split a 4-partition topic: disjoint, covering, same generation")
    func twoMembersShare() async throws {
        var fixture = try await Self.start()
        let a = try fixture.member("g1")
        let b = try fixture.member("g1")
        try await a.subscribe([Self.topic])
        try await b.subscribe([Self.topic])
        #expect(try await Self.eventually(within: .seconds(20), pumping: a) { await Self.shareDisjointly(a, b) })
        #expect(await [a.isLeader, b.isLeader].filter { $0 }.count == 1)
        await a.leave()
        await b.leave()
        await fixture.close()
    }

    @Test("when one member leaves, the other owns all four partitions at once")
    func leaveHandsOver() async throws {
        var fixture = try await Self.start()
        let a = try fixture.member("g2")
        let b = try fixture.member("g2")
        try await a.subscribe([Self.topic])
        try await b.subscribe([Self.topic])
        #expect(try await Self.eventually(within: .seconds(20), pumping: b) { await Self.shareDisjointly(a, b) })
        let before = await b.generation
        await a.leave()
        #expect(try await Self.eventually(within: .seconds(10), pumping: b) { await Self.owns(b, all: Self.all) })
        #expect(await b.generation > before)
        await #expect(throws: KafkaClientError.closed) { _ = try await a.poll(timeout: .zero) }
        await b.leave()
        await fixture.close()
    }

    @Test("when the coordinator's broker is killed, the member finds the new coordinator and stays in its generation")
    func coordinatorMoves() async throws {
        var fixture = try await Self.start(brokers: 3)
        let a = try fixture.member("g6")
        try await a.subscribe([Self.topic])
        #expect(try await Self.eventually(within: .seconds(20), pumping: a) { await Self.owns(a, all: Self.all) })
        let generation = await a.generation
        let first = try #require(await a.coordinator)
        _ = try await fixture.cluster.kill(NodeID(first))
        // The controller fences the killed broker and the group's partition moves to a follower
        // (RF 3), which loads the group; the member heartbeats there before its session ends.
        #expect(try await Self.eventually(within: .seconds(20), pumping: a) {
            let now = await a.coordinator
            return now != nil && now != first
        })
        let moved = await a.coordinator
        #expect(try await Self.eventually(within: .seconds(10), pumping: a) { await Self.owns(a, all: Self.all) })
        #expect(await a.generation == generation, "the member kept its membership (no session timeout)")
        let summary = await fixture.cluster.group("g6")
        #expect(summary?.members.count == 1 && summary?.coordinator.rawValue == moved)
        await a.leave()
        await fixture.close()
    }

    @Test("when one member is killed, the other owns all four after the session timeout")
    func killExpires() async throws {
        var fixture = try await Self.start()
        let a = try fixture.member("g3")
        let b = try fixture.member("g3")
        try await a.subscribe([Self.topic])
        try await b.subscribe([Self.topic])
        #expect(try await Self.eventually(within: .seconds(20), pumping: b) { await Self.shareDisjointly(a, b) })
        await a.kill()
        // Nothing changes before the coordinator expires the silent member.
        #expect(await b.assignment.count < 4)
        #expect(try await Self.eventually(within: .seconds(20), pumping: b) { await Self.owns(b, all: Self.all) })
        await b.leave()
        await fixture.close()
    }

    @Test("after a commit, the next member of the group resumes at the committed offsets")
    func commitThenResume() async throws {
        var fixture = try await Self.start()
        let producer = try Producer(client: KafkaClient(bootstrapServers: fixture.bootstrap))
        for i in 0..<12 {
            _ = try await producer.send(
                topic: Self.topic, value: Array("first-\(i)".utf8), partition: Int32(i % 4))
        }
        let a = try fixture.member("g4")
        try await a.subscribe([Self.topic])
        var seen: [ConsumedRecord] = []
        #expect(
            try await Self.eventually(within: .seconds(20)) {
                seen += (try? await a.poll(timeout: .milliseconds(200))) ?? []
                return seen.count >= 12
            })
        #expect(seen.count == 12)
        let committed = try await a.commit()
        #expect(committed == Dictionary(uniqueKeysWithValues: Self.all.map { ($0, Int64(3)) }))
        await a.leave()
        for i in 0..<4 {
            _ = try await producer.send(
                topic: Self.topic, value: Array("second-\(i)".utf8), partition: Int32(i))
        }
        let c = try fixture.member("g4")
        try await c.subscribe([Self.topic])
        var resumed: [ConsumedRecord] = []
        #expect(
            try await Self.eventually(within: .seconds(20)) {
                resumed += (try? await c.poll(timeout: .milliseconds(200))) ?? []
                return resumed.count >= 4
            })
        #expect(resumed.map(\.offset).sorted() == [3, 3, 3, 3])
        #expect(resumed.allSatisfy { String(decoding: $0.value ?? [], as: UTF8.self).hasPrefix("second-") })
        await c.leave()
        await producer.close()
        await producer.client.close()
        await fixture.close()
    }

    @Test("the events stream tells a member's story: coordinator, joined, revoked, joined again, left")
    func eventsAndAutoCommit() async throws {
        var fixture = try await Self.start()
        let a = try fixture.member("g5", autoCommit: true)
        let b = try fixture.member("g5")
        var events = a.events.makeAsyncIterator()
        try await a.subscribe([Self.topic])
        let producer = try Producer(client: KafkaClient(bootstrapServers: fixture.bootstrap))
        _ = try await producer.send(topic: Self.topic, value: Array("x".utf8), partition: 0)
        var seen: [ConsumedRecord] = []
        #expect(
            try await Self.eventually(within: .seconds(20)) {
                seen += (try? await a.poll(timeout: .milliseconds(200))) ?? []
                return !seen.isEmpty
            })
        try await b.subscribe([Self.topic])
        #expect(try await Self.eventually(within: .seconds(20)) {
            _ = try? await a.poll(timeout: .milliseconds(50))
            return await Self.shareDisjointly(a, b)
        })
        await a.leave()
        var story: [String] = []
        while let event = await events.next() {
            switch event {
            case .coordinatorFound: story.append("coordinator")
            case .joined(let generation, _, _, _, let assignment):
                story.append("joined \(generation) \(assignment.count)")
            case .revoked(let tps): story.append("revoked \(tps.count)")
            case .committed(let offsets) where offsets[TopicPartition(Self.topic, 0)] == 1:
                story.append("committed")
            case .committed: break
            case .lost: story.append("lost")
            case .left(let sent): story.append(sent ? "left" : "stopped")
            case .failed(let why): story.append("failed \(why)")
            }
        }
        #expect(story.first == "coordinator")
        #expect(story.contains { $0.hasPrefix("joined ") && $0.hasSuffix(" 4") })
        // Auto-commit runs before the revocation at the latest.
        let committedAt = story.firstIndex(of: "committed")
        let revokedAt = story.firstIndex(of: "revoked 4")
        #expect(committedAt != nil && revokedAt != nil)
        if let committedAt, let revokedAt { #expect(committedAt < revokedAt) }
        #expect(story.filter { $0.hasPrefix("joined ") }.count >= 2)
        #expect(story.last == "left")
        await b.leave()
        await producer.close()
        await producer.client.close()
        await fixture.close()
    }
}
