// Groups tests: committing, fetching and deleting offsets. Goal: a commit is accepted only
// from the current generation (or from nobody while the group is empty), every accepted
// commit leaves a record, and fetches read what was committed.

import Testing

@testable import Cluster

@Suite struct GroupOffsetTests {
    @Test("a commit in the current generation is stored, logged and fetched back")
    func commitAndFetch() throws {
        let h = GroupHarness()
        let g = h.stableGroup("g", members: 2)
        let before = h.log.count
        let commit = h.sendCommit(
            "g", memberId: g.ids[0], generation: g.generation,
            offsets: [("t", 0, 42), ("t", 1, 7)], metadata: "m")
        #expect(h.commit(commit)?.topics.flatMap(\.partitions).map(\.errorCode) == [.none, .none])
        #expect(h.log.count == before + 2)
        guard case .offsetCommit(let key, let value?) = h.log[before] else {
            Issue.record("an offset commit record")
            return
        }
        #expect(
            key == OffsetCommitKey(group: "g", topic: "t", partition: 0) && value.offset == 42
                && value.metadata == "m")
        let fetch = h.send(
            .offsetFetch(
                OffsetFetchRequest(groups: [
                    .init(groupId: "g", topics: [.init(name: "t", partitionIndexes: [0, 1, 2])])
                ])),
            version: 8)
        let partitions = try #require(h.fetch(fetch)?.groups.first?.topics.first?.partitions)
        #expect(partitions.map(\.committedOffset) == [42, 7, -1])
        #expect(partitions.map(\.metadata) == ["m", "m", ""])
    }

    @Test(
        "a commit with a stale generation is ILLEGAL_GENERATION for every partition and stores nothing"
    )
    func staleGeneration() {
        let h = GroupHarness()
        let g = h.stableGroup("g", members: 1)
        let before = h.log.count
        let commit = h.sendCommit(
            "g", memberId: g.ids[0], generation: g.generation - 1,
            offsets: [("t", 0, 1), ("u", 3, 2)])
        #expect(
            h.commit(commit)?.topics.flatMap(\.partitions).map(\.errorCode) == [
                .illegalGeneration, .illegalGeneration,
            ])
        #expect(h.log.count == before && h.coordinator.offsets["g"] == nil)
    }

    @Test("commits from unknown members are UNKNOWN_MEMBER_ID")
    func unknownMember() {
        let h = GroupHarness()
        let g = h.stableGroup("g", members: 1)
        let commit = h.sendCommit(
            "g", memberId: "ghost", generation: g.generation, offsets: [("t", 0, 1)])
        #expect(h.commit(commit)?.topics.first?.partitions.first?.errorCode == .unknownMemberId)
    }

    @Test("a simple commit (generation -1, no member) is accepted for an empty or unknown group")
    func simpleCommit() {
        let h = GroupHarness()
        let commit = h.sendCommit("simple", offsets: [("t", 0, 5)])
        #expect(h.commit(commit)?.topics.first?.partitions.first?.errorCode == ErrorCode.none)
        #expect(h.group("simple")?.state == .empty && h.group("simple")?.protocolType == nil)
        #expect(h.coordinator.committedOffsets(groupId: "simple").map(\.value.offset) == [5])
    }

    @Test("a simple commit to a group with members is UNKNOWN_MEMBER_ID")
    func simpleCommitToActiveGroup() {
        let h = GroupHarness()
        _ = h.stableGroup("g", members: 1)
        let commit = h.sendCommit("g", offsets: [("t", 0, 5)])
        #expect(h.commit(commit)?.topics.first?.partitions.first?.errorCode == .unknownMemberId)
    }

    @Test(
        "a generation ≥ 0 for a group that does not exist: ILLEGAL_GENERATION before v9, GROUP_ID_NOT_FOUND from v9"
    )
    func missingGroup() {
        let h = GroupHarness()
        let old = h.sendCommit(
            "nope", memberId: "m", generation: 1, offsets: [("t", 0, 1)], version: 8)
        let new = h.sendCommit(
            "nope", memberId: "m", generation: 1, offsets: [("t", 0, 1)], version: 9)
        #expect(h.commit(old)?.topics.first?.partitions.first?.errorCode == .illegalGeneration)
        #expect(h.commit(new)?.topics.first?.partitions.first?.errorCode == .groupIdNotFound)
        #expect(h.group("nope") == nil)
    }

    @Test("a commit while the group waits for its assignment is REBALANCE_IN_PROGRESS")
    func commitWhileCompleting() {
        let h = GroupHarness()
        let (m, join) = h.joinNewMember("g")
        h.advance(ms: 300)
        #expect(h.join(join)?.generationId == 1)
        let commit = h.sendCommit("g", memberId: m, generation: 1, offsets: [("t", 0, 1)])
        #expect(h.commit(commit)?.topics.first?.partitions.first?.errorCode == .rebalanceInProgress)
    }

    @Test(
        "a commit during PreparingRebalance with the current generation is accepted and keeps the session"
    )
    func commitWhilePreparing() {
        let h = GroupHarness()
        let g = h.stableGroup("g", members: 2)
        h.sendJoin("g", memberId: g.leader)
        #expect(h.group("g")?.state == .preparingRebalance)
        let other = g.ids.first { $0 != g.leader } ?? ""
        let commit = h.sendCommit(
            "g", memberId: other, generation: g.generation, offsets: [("t", 0, 9)])
        #expect(h.commit(commit)?.topics.first?.partitions.first?.errorCode == ErrorCode.none)
        #expect(h.group("g")?.members[other]?.heartbeatDeadline == h.now + .milliseconds(10_000))
    }

    @Test("metadata longer than offset.metadata.max.bytes fails only that partition")
    func metadataTooLarge() {
        let config = GroupConfig(offsetsTopicNumPartitions: 4, offsetMetadataMaxBytes: 4)
        let h = GroupHarness(config: config)
        let commit = h.send(
            .offsetCommit(
                OffsetCommitRequest(
                    groupId: "s",
                    topics: [
                        .init(
                            name: "t",
                            partitions: [
                                .init(
                                    partitionIndex: 0, committedOffset: 1,
                                    committedMetadata: "12345"),
                                .init(
                                    partitionIndex: 1, committedOffset: 2, committedMetadata: "1234"
                                ),
                            ])
                    ])), version: 8)
        #expect(
            h.commit(commit)?.topics.first?.partitions.map(\.errorCode) == [
                .offsetMetadataTooLarge, .none,
            ])
        #expect(h.coordinator.committedOffsets(groupId: "s").map(\.key.partition) == [1])
    }

    @Test("OffsetFetch with null topics returns everything the group committed, sorted")
    func fetchAll() throws {
        let h = GroupHarness()
        h.sendCommit("s", offsets: [("b", 1, 11), ("a", 0, 10), ("b", 0, 12)])
        let fetch = h.send(
            .offsetFetch(OffsetFetchRequest(groups: [.init(groupId: "s", topics: nil)])), version: 7
        )
        let topics = try #require(h.fetch(fetch)?.groups.first?.topics)
        #expect(topics.map(\.name) == ["a", "b"])
        #expect(topics[1].partitions.map(\.partitionIndex) == [0, 1])
        #expect(topics[1].partitions.map(\.committedOffset) == [12, 11])
    }

    @Test("OffsetFetch v8 answers several groups, each with its own error")
    func fetchBatched() throws {
        let h = GroupHarness(config: GroupConfig(offsetsTopicNumPartitions: 4))
        h.sendCommit("s", offsets: [("t", 0, 3)])
        _ = h.coordinator.unload(offsetsPartition: h.coordinator.offsetsPartition(for: "elsewhere"))
        let otherPartition = h.coordinator.offsetsPartition(for: "elsewhere")
        let fetch = h.send(
            .offsetFetch(
                OffsetFetchRequest(groups: [
                    .init(groupId: "s", topics: nil), .init(groupId: "elsewhere", topics: nil),
                ])),
            version: 8)
        let groups = try #require(h.fetch(fetch)?.groups)
        if h.coordinator.offsetsPartition(for: "s") != otherPartition {
            #expect(
                groups[0].errorCode == ErrorCode.none
                    && groups[0].topics.first?.partitions.first?.committedOffset == 3)
        }
        #expect(groups[1].groupId == "elsewhere" && groups[1].errorCode == .notCoordinator)
    }

    @Test("OffsetFetch v1 has no top-level error: each partition carries it")
    func fetchV1Errors() throws {
        let h = GroupHarness()
        _ = h.coordinator.unload(offsetsPartition: h.coordinator.offsetsPartition(for: "g"))
        let fetch = h.send(
            .offsetFetch(
                OffsetFetchRequest(groups: [
                    .init(groupId: "g", topics: [.init(name: "t", partitionIndexes: [0])])
                ])),
            version: 1)
        let group = try #require(h.fetch(fetch)?.groups.first)
        #expect(group.errorCode == ErrorCode.none)
        #expect(group.topics.first?.partitions.first?.errorCode == .notCoordinator)
    }

    @Test(
        "OffsetDelete refuses subscribed topics with GROUP_SUBSCRIBED_TO_TOPIC and deletes the rest"
    )
    func offsetDelete() throws {
        let h = GroupHarness()
        let g = h.stableGroup("g", members: 1)
        h.sendCommit(
            "g", memberId: g.ids[0], generation: g.generation,
            offsets: [("t", 0, 1), ("old", 0, 2)])
        let before = h.log.count
        let delete = h.send(
            .offsetDelete(
                OffsetDeleteRequest(
                    groupId: "g",
                    topics: [
                        .init(name: "t", partitionIndexes: [0]),
                        .init(name: "old", partitionIndexes: [0]),
                    ])),
            version: 0)
        guard case .offsetDelete(let answer)? = h.answers[delete] else {
            Issue.record("an OffsetDelete answer")
            return
        }
        #expect(answer.errorCode == ErrorCode.none)
        #expect(
            answer.topics.map { $0.partitions[0].errorCode } == [.groupSubscribedToTopic, .none])
        #expect(h.coordinator.committedOffsets(groupId: "g").map(\.key.topic) == ["t"])
        #expect(h.log.count == before + 1 && h.log.last?.isTombstone == true)
    }

    @Test(
        "OffsetDelete: GROUP_ID_NOT_FOUND for unknown groups, NON_EMPTY_GROUP without the consumer protocol"
    )
    func offsetDeleteErrors() {
        let h = GroupHarness()
        let unknown = h.send(
            .offsetDelete(OffsetDeleteRequest(groupId: "nope", topics: [])), version: 0)
        if case .offsetDelete(let a)? = h.answers[unknown] {
            #expect(a.errorCode == .groupIdNotFound)
        } else {
            Issue.record("answer")
        }
        // A Kafka Connect group: members, but no consumer subscriptions to read.
        h.sendJoin("workers", version: 3, protocolType: "connect")
        let refused = h.send(
            .offsetDelete(OffsetDeleteRequest(groupId: "workers", topics: [])), version: 0)
        if case .offsetDelete(let a)? = h.answers[refused] {
            #expect(a.errorCode == .nonEmptyGroup)
        } else {
            Issue.record("answer")
        }
    }
}
