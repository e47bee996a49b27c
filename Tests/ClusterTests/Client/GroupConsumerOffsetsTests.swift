// Client tests: commit bookkeeping and config of the group consumer. Goal: OffsetCommit
// carries the generation and member id and only moved positions; the coordinator's answer
// decides what counts as committed; OffsetFetch's -1 means "reset"; configs keep Kafka's names.

import Testing

@testable import Cluster

@Suite struct GroupConsumerOffsetsTests {
    static let t0 = TopicPartition("t", 0)
    static let t1 = TopicPartition("t", 1)
    static let u0 = TopicPartition("u", 0)

    static func stableMembership() -> GroupMembership {
        var m = GroupMembership(groupId: "g", groupInstanceId: "static-1", strategies: [.range])
        _ = m.joinRequest(topics: ["t"], sessionTimeout: .seconds(10), rebalanceTimeout: .seconds(30))
        _ = m.handleJoin(JoinGroupResponse(generationId: 7, leader: "m", memberId: "m"))
        return m
    }

    @Test("OffsetCommit names the generation, member and instance, topics in order")
    func commitRequest() {
        let request = GroupOffsets.commitRequest(
            [Self.u0: 5, Self.t1: 9, Self.t0: 3], membership: Self.stableMembership())
        #expect(request.groupId == "g" && request.generationIdOrMemberEpoch == 7)
        #expect(request.memberId == "m" && request.groupInstanceId == "static-1")
        #expect(request.topics.map(\.name) == ["t", "u"])
        #expect(request.topics[0].partitions.map(\.partitionIndex) == [0, 1])
        #expect(request.topics[0].partitions.map(\.committedOffset) == [3, 9])
    }

    @Test("only accepted partitions count as committed, and only moved positions are committed again")
    func applyAndUncommitted() {
        var offsets = GroupOffsets()
        let asked: [TopicPartition: Int64] = [Self.t0: 3, Self.t1: 9]
        let response = OffsetCommitResponse(topics: [
            .init(name: "t", partitions: [
                .init(partitionIndex: 0), .init(partitionIndex: 1, errorCode: .rebalanceInProgress),
            ])
        ])
        let failed = offsets.apply(response, asked: asked)
        #expect(failed.map(\.0) == [Self.t1] && failed.map(\.1) == [.rebalanceInProgress])
        #expect(offsets.committed == [Self.t0: 3])
        #expect(offsets.uncommitted([Self.t0: 3, Self.t1: 9]) == [Self.t1: 9])
        #expect(offsets.uncommitted([Self.t0: 4]) == [Self.t0: 4])
    }

    @Test("a partition the coordinator did not answer for is a failure, not a commit")
    func missingAnswer() {
        var offsets = GroupOffsets()
        let failed = offsets.apply(OffsetCommitResponse(topics: []), asked: [Self.t0: 1])
        #expect(failed.map(\.0) == [Self.t0])
        #expect(offsets.committed.isEmpty)
    }

    @Test("retain forgets partitions that moved to another member")
    func retain() {
        var offsets = GroupOffsets()
        _ = offsets.apply(
            OffsetCommitResponse(topics: [.init(name: "t", partitions: [.init(partitionIndex: 0), .init(partitionIndex: 1)])]),
            asked: [Self.t0: 1, Self.t1: 2])
        offsets.retain([Self.t1])
        #expect(offsets.committed == [Self.t1: 2])
    }

    @Test("OffsetFetch: a committed offset is the start; -1 or no answer leaves it to auto.offset.reset")
    func fetched() throws {
        let request = GroupOffsets.fetchRequest([Self.u0, Self.t1, Self.t0], groupId: "g")
        #expect(request.groups.first?.topics?.map(\.name) == ["t", "u"])
        #expect(request.groups.first?.topics?.first?.partitionIndexes == [0, 1])
        var offsets = GroupOffsets()
        let response = OffsetFetchResponse(groups: [
            .init(groupId: "g", topics: [
                .init(name: "t", partitions: [
                    .init(partitionIndex: 0, committedOffset: 42), .init(partitionIndex: 1, committedOffset: -1),
                ])
            ])
        ])
        let (starts, reset) = try offsets.applyFetched(response, for: [Self.t0, Self.t1, Self.u0])
        #expect(starts == [Self.t0: 42])
        #expect(reset == [Self.t1, Self.u0])
        #expect(offsets.committed == [Self.t0: 42])
    }

    @Test("OffsetFetch errors are thrown with Kafka's code")
    func fetchedErrors() {
        var offsets = GroupOffsets()
        let groupError = OffsetFetchResponse(groups: [.init(groupId: "g", topics: [], errorCode: .notCoordinator)])
        #expect(throws: KafkaClientError.broker(.notCoordinator, context: "OffsetFetch", message: nil)) {
            try offsets.applyFetched(groupError, for: [Self.t0])
        }
        let unstable = OffsetFetchResponse(groups: [
            .init(groupId: "g", topics: [.init(name: "t", partitions: [.init(partitionIndex: 0, errorCode: .unstableOffsetCommit)])])
        ])
        #expect(throws: KafkaClientError.self) { try offsets.applyFetched(unstable, for: [Self.t0]) }
    }

    @Test("config reads Kafka's names, with our learning defaults")
    func config() throws {
        let defaults = GroupConsumerConfig(groupId: "g")
        #expect(defaults.sessionTimeout == .milliseconds(10_000))
        #expect(defaults.heartbeatInterval == .milliseconds(1_000))
        #expect(defaults.autoCommitInterval == .milliseconds(1_000))
        #expect(defaults.enableAutoCommit && defaults.autoOffsetReset == .latest)
        let c = try GroupConsumerConfig(properties: [
            "group.id": "orders", "group.instance.id": "pod-1", "session.timeout.ms": "6000",
            "heartbeat.interval.ms": "500", "partition.assignment.strategy":
                "org.apache.kafka.clients.consumer.RoundRobinAssignor, sticky",
            "enable.auto.commit": "false", "auto.offset.reset": "earliest", "fetch.max.wait.ms": "100",
        ])
        #expect(c.groupId == "orders" && c.groupInstanceId == "pod-1")
        #expect(c.sessionTimeout == .milliseconds(6_000) && c.heartbeatInterval == .milliseconds(500))
        #expect(c.assignmentStrategies == [.roundrobin, .sticky])
        #expect(!c.enableAutoCommit && c.autoOffsetReset == .earliest)
        #expect(c.fetch.fetchMaxWait == .milliseconds(100))
    }

    @Test("config refuses a missing group.id, an unknown assignor and a heartbeat not below the session")
    func configErrors() {
        #expect(throws: KafkaClientError.self) { try GroupConsumerConfig(properties: [:]) }
        #expect(throws: KafkaClientError.self) {
            try GroupConsumerConfig(properties: ["group.id": "g", "partition.assignment.strategy": "fair"])
        }
        #expect(throws: KafkaClientError.self) {
            try GroupConsumerConfig(properties: [
                "group.id": "g", "session.timeout.ms": "1000", "heartbeat.interval.ms": "1000",
            ])
        }
    }
}
