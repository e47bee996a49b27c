// Groups test support: drives a GroupCoordinator the way a broker would: numbered requests
// in, effects out; records appended to an in-memory __consumer_offsets log; answers kept by
// request id; virtual time that only moves when told.

import NIOCore
import Testing

@testable import Cluster

final class GroupHarness {
    static let defaultConfig = GroupConfig(
        initialRebalanceDelay: .milliseconds(300), minSessionTimeout: .milliseconds(6_000),
        maxSessionTimeout: .milliseconds(1_800_000), offsetsTopicNumPartitions: 4)

    var coordinator: GroupCoordinator
    var now = Instant.zero
    var nextCorrelation: Int32 = 0
    /// Every record appended, in order: the whole __consumer_offsets log.
    var log: [GroupRecord] = []
    var answers: [RequestID: GroupResponse] = [:]
    var events: [GroupEvent] = []

    init(config: GroupConfig = GroupHarness.defaultConfig, seed: UInt64 = 1, loadAll: Bool = true) {
        coordinator = GroupCoordinator(config: config, seed: seed)
        if loadAll {
            for p in 0..<config.offsetsTopicNumPartitions {
                absorb(coordinator.load(offsetsPartition: p, records: [], now: now))
            }
        }
    }

    func absorb(_ effects: GroupEffects) {
        log += effects.records
        for (id, response) in effects.responses {
            #expect(answers[id] == nil, "request \(id) answered twice")
            answers[id] = response
        }
        events += effects.events
    }

    @discardableResult
    func send(
        _ body: GroupRequest.Body, version: Int16, client: String = "client", connection: Int = 1
    ) -> RequestID {
        nextCorrelation += 1
        let request = GroupRequest(
            correlationId: nextCorrelation, apiVersion: version, clientId: client,
            clientHost: "/127.0.0.1", body: body)
        absorb(coordinator.step(request, from: ConnectionID(connection), now: now))
        return RequestID(connection: ConnectionID(connection), correlationId: nextCorrelation)
    }

    func advance(ms: Int64) {
        now = now + .milliseconds(ms)
        absorb(coordinator.tick(now: now))
    }

    /// A coordinator restart: a new machine that loads every partition from the log.
    func restart(seed: UInt64 = 99) {
        let config = coordinator.config
        coordinator = GroupCoordinator(config: config, seed: seed)
        for p in 0..<config.offsetsTopicNumPartitions {
            absorb(coordinator.load(offsetsPartition: p, records: log, now: now))
        }
    }

    func group(_ id: String) -> ClassicGroup? { coordinator.groups[id] }

    // MARK: - Answers by kind

    func join(_ id: RequestID) -> JoinGroupResponse? {
        if case .joinGroup(let r)? = answers[id] { return r }
        return nil
    }
    func sync(_ id: RequestID) -> SyncGroupResponse? {
        if case .syncGroup(let r)? = answers[id] { return r }
        return nil
    }
    func heartbeat(_ id: RequestID) -> HeartbeatResponse? {
        if case .heartbeat(let r)? = answers[id] { return r }
        return nil
    }
    func leave(_ id: RequestID) -> LeaveGroupResponse? {
        if case .leaveGroup(let r)? = answers[id] { return r }
        return nil
    }
    func commit(_ id: RequestID) -> OffsetCommitResponse? {
        if case .offsetCommit(let r)? = answers[id] { return r }
        return nil
    }
    func fetch(_ id: RequestID) -> OffsetFetchResponse? {
        if case .offsetFetch(let r)? = answers[id] { return r }
        return nil
    }

    // MARK: - Requests

    static func subscription(_ topics: [String]) -> ByteBuffer {
        ConsumerProtocolSubscription(topics: topics).encoded()
    }

    @discardableResult
    func sendJoin(
        _ group: String, memberId: String = "", instanceId: String? = nil,
        protocols: [String] = ["range"],
        topics: [String] = ["t"], version: Int16 = 9, sessionMs: Int32 = 10_000,
        rebalanceMs: Int32 = 10_000,
        client: String = "client", protocolType: String = "consumer"
    ) -> RequestID {
        let metadata = Self.subscription(topics)
        return send(
            .joinGroup(
                JoinGroupRequest(
                    groupId: group, sessionTimeoutMs: sessionMs, rebalanceTimeoutMs: rebalanceMs,
                    memberId: memberId,
                    groupInstanceId: instanceId, protocolType: protocolType,
                    protocols: protocols.map { .init(name: $0, metadata: metadata) })),
            version: version, client: client)
    }

    @discardableResult
    func sendSync(
        _ group: String, memberId: String, generation: Int32, instanceId: String? = nil,
        assignments: [SyncGroupRequest.Assignment] = [], version: Int16 = 5,
        protocolName: String? = nil
    ) -> RequestID {
        send(
            .syncGroup(
                SyncGroupRequest(
                    groupId: group, generationId: generation, memberId: memberId,
                    groupInstanceId: instanceId,
                    protocolType: version >= 5 ? "consumer" : nil, protocolName: protocolName,
                    assignments: assignments)),
            version: version)
    }

    @discardableResult
    func sendHeartbeat(
        _ group: String, memberId: String, generation: Int32, instanceId: String? = nil,
        version: Int16 = 4
    ) -> RequestID {
        send(
            .heartbeat(
                HeartbeatRequest(
                    groupId: group, generationId: generation, memberId: memberId,
                    groupInstanceId: instanceId)),
            version: version)
    }

    @discardableResult
    func sendCommit(
        _ group: String, memberId: String = "", generation: Int32 = -1,
        offsets: [(String, Int32, Int64)],
        metadata: String? = nil, version: Int16 = 8
    ) -> RequestID {
        var topics: [OffsetCommitRequest.Topic] = []
        for (topic, partition, offset) in offsets {
            let p = OffsetCommitRequest.Partition(
                partitionIndex: partition, committedOffset: offset, committedMetadata: metadata)
            if let i = topics.firstIndex(where: { $0.name == topic }) {
                topics[i].partitions.append(p)
            } else {
                topics.append(.init(name: topic, partitions: [p]))
            }
        }
        return send(
            .offsetCommit(
                OffsetCommitRequest(
                    groupId: group, generationIdOrMemberEpoch: generation, memberId: memberId,
                    topics: topics)),
            version: version)
    }

    // MARK: - Scenarios

    /// A dynamic member's two-step join at v4+: returns its id; its second JoinGroup is parked.
    func joinNewMember(
        _ group: String, client: String = "client", topics: [String] = ["t"],
        sessionMs: Int32 = 10_000,
        rebalanceMs: Int32 = 10_000
    ) -> (memberId: String, join: RequestID) {
        let first = sendJoin(
            group, topics: topics, sessionMs: sessionMs, rebalanceMs: rebalanceMs, client: client)
        let memberId = join(first)?.memberId ?? ""
        #expect(join(first)?.errorCode == .memberIdRequired)
        let second = sendJoin(
            group, memberId: memberId, topics: topics, sessionMs: sessionMs,
            rebalanceMs: rebalanceMs, client: client)
        return (memberId, second)
    }

    /// The leader's SyncGroup assignments: the range assignor over its JoinGroup answer.
    static func rangeAssignments(
        _ response: JoinGroupResponse, partitions: [String: Int32]
    ) -> [SyncGroupRequest.Assignment] {
        (try? Assignors.syncAssignments(
            .range, members: response.members, partitionsPerTopic: partitions)) ?? []
    }

    /// Brings `count` new members of `group` to Stable; returns their ids, the generation and
    /// the leader. Topic "t" has 6 partitions.
    func stableGroup(
        _ group: String, members count: Int, sessionMs: Int32 = 10_000
    ) -> (
        ids: [String], generation: Int32, leader: String
    ) {
        var joins: [(String, RequestID)] = []
        for i in 0..<count {
            joins.append(joinNewMember(group, client: "client-\(i)", sessionMs: sessionMs))
        }
        // Members arriving during the initial delay extend it, one delay at a time.
        for _ in 0..<50 where joins.contains(where: { join($0.1) == nil }) {
            advance(ms: coordinator.config.initialRebalanceDelay.milliseconds)
        }
        let answersByMember = joins.compactMap { (id, request) in join(request).map { (id, $0) } }
        #expect(answersByMember.count == count, "every JoinGroup answered after the initial delay")
        guard let leaderAnswer = answersByMember.first(where: { $0.1.leader == $0.0 })?.1 else {
            Issue.record("no leader")
            return ([], -1, "")
        }
        let generation = leaderAnswer.generationId
        let assignments = Self.rangeAssignments(leaderAnswer, partitions: ["t": 6])
        var syncs: [RequestID] = []
        for (id, _) in joins {
            syncs.append(
                sendSync(
                    group, memberId: id, generation: generation,
                    assignments: id == leaderAnswer.leader ? assignments : []))
        }
        for s in syncs { #expect(sync(s)?.errorCode == ErrorCode.none) }
        #expect(self.group(group)?.state == .stable)
        return (joins.map(\.0), generation, leaderAnswer.leader)
    }
}
