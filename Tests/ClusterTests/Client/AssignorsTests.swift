// Client tests: the range, roundrobin and sticky assignors against the examples in Kafka's
// own documentation (the javadoc of RangeAssignor, RoundRobinAssignor and StickyAssignor),
// plus the properties every assignment must have.

import NIOCore
import Testing

@testable import Cluster

@Suite struct AssignorsTests {
    typealias TP = Assignors.TopicPartition

    static func member(
        _ id: String, _ topics: [String], owned: [String: [Int32]] = [:], generation: Int32 = -1,
        instance: String? = nil
    ) -> Assignors.Member {
        Assignors.Member(
            memberId: id, groupInstanceId: instance,
            subscription: ConsumerProtocolSubscription(
                topics: topics,
                ownedPartitions: owned.keys.sorted().map {
                    .init(topic: $0, partitions: owned[$0] ?? [])
                },
                generationId: generation))
    }

    /// "t0p1" style names for compact expectations.
    static func names(_ partitions: [TP]?) -> [String] {
        (partitions ?? []).map { "\($0.topic)p\($0.partition)" }
    }

    @Test("range: C0 and C1 over t0 and t1 with 3 partitions each (RangeAssignor javadoc)")
    func rangeDocumented() {
        let a = Assignors.range(
            members: [Self.member("C0", ["t0", "t1"]), Self.member("C1", ["t0", "t1"])],
            partitionsPerTopic: ["t0": 3, "t1": 3])
        #expect(Self.names(a["C0"]) == ["t0p0", "t0p1", "t1p0", "t1p1"])
        #expect(Self.names(a["C1"]) == ["t0p2", "t1p2"])
    }

    @Test("range orders static members by group.instance.id, before dynamic ones")
    func rangeStaticOrder() {
        let a = Assignors.range(
            members: [
                Self.member("a-dynamic", ["t"]), Self.member("z-static", ["t"], instance: "i-1"),
                Self.member("b-static", ["t"], instance: "i-2"),
            ],
            partitionsPerTopic: ["t": 3])
        #expect(Self.names(a["z-static"]) == ["tp0"] && Self.names(a["b-static"]) == ["tp1"])
        #expect(Self.names(a["a-dynamic"]) == ["tp2"])
    }

    @Test(
        "roundrobin: C0 and C1 over t0 and t1 with 3 partitions each (RoundRobinAssignor javadoc)")
    func roundRobinDocumented() {
        let a = Assignors.roundRobin(
            members: [Self.member("C0", ["t0", "t1"]), Self.member("C1", ["t0", "t1"])],
            partitionsPerTopic: ["t0": 3, "t1": 3])
        #expect(Self.names(a["C0"]) == ["t0p0", "t0p2", "t1p1"])
        #expect(Self.names(a["C1"]) == ["t0p1", "t1p0", "t1p2"])
    }

    static let unequal = [
        Self.member("C0", ["t0"]), Self.member("C1", ["t0", "t1"]),
        Self.member("C2", ["t0", "t1", "t2"]),
    ]
    static let unequalPartitions: [String: Int32] = ["t0": 1, "t1": 2, "t2": 3]

    @Test("roundrobin with unequal subscriptions (RoundRobinAssignor javadoc)")
    func roundRobinUnequal() {
        let a = Assignors.roundRobin(
            members: Self.unequal, partitionsPerTopic: Self.unequalPartitions)
        #expect(Self.names(a["C0"]) == ["t0p0"])
        #expect(Self.names(a["C1"]) == ["t1p0"])
        #expect(Self.names(a["C2"]) == ["t1p1", "t2p0", "t2p1", "t2p2"])
    }

    static let fourTopics: [String: Int32] = ["t0": 2, "t1": 2, "t2": 2, "t3": 2]
    static let allFour = ["t0", "t1", "t2", "t3"]

    @Test(
        "sticky: the first assignment of example 1 is balanced like round robin (StickyAssignor javadoc)"
    )
    func stickyExample1Initial() {
        let a = Assignors.sticky(
            members: ["C0", "C1", "C2"].map { Self.member($0, Self.allFour) },
            partitionsPerTopic: Self.fourTopics)
        #expect(Self.names(a["C0"]) == ["t0p0", "t1p1", "t3p0"])
        #expect(Self.names(a["C1"]) == ["t0p1", "t2p0", "t3p1"])
        #expect(Self.names(a["C2"]) == ["t1p0", "t2p1"])
    }

    @Test(
        "sticky: when C1 leaves example 1, C0 and C2 keep theirs and share C1's (StickyAssignor javadoc)"
    )
    func stickyExample1AfterLeave() {
        let a = Assignors.sticky(
            members: [
                Self.member(
                    "C0", Self.allFour, owned: ["t0": [0], "t1": [1], "t3": [0]], generation: 1),
                Self.member("C2", Self.allFour, owned: ["t1": [0], "t2": [1]], generation: 1),
            ],
            partitionsPerTopic: Self.fourTopics)
        #expect(Set(Self.names(a["C0"])) == ["t0p0", "t1p1", "t3p0", "t2p0"])
        #expect(Set(Self.names(a["C2"])) == ["t1p0", "t2p1", "t0p1", "t3p1"])
    }

    @Test(
        "sticky with unequal subscriptions, before and after C0 leaves (StickyAssignor javadoc example 2)"
    )
    func stickyExample2() {
        let first = Assignors.sticky(
            members: Self.unequal, partitionsPerTopic: Self.unequalPartitions)
        #expect(Self.names(first["C0"]) == ["t0p0"])
        #expect(Self.names(first["C1"]) == ["t1p0", "t1p1"])
        #expect(Self.names(first["C2"]) == ["t2p0", "t2p1", "t2p2"])
        let after = Assignors.sticky(
            members: [
                Self.member("C1", ["t0", "t1"], owned: ["t1": [0, 1]], generation: 1),
                Self.member("C2", ["t0", "t1", "t2"], owned: ["t2": [0, 1, 2]], generation: 1),
            ],
            partitionsPerTopic: Self.unequalPartitions)
        #expect(Set(Self.names(after["C1"])) == ["t1p0", "t1p1", "t0p0"])
        #expect(Set(Self.names(after["C2"])) == ["t2p0", "t2p1", "t2p2"])
    }

    @Test("sticky: a new member gets a fair share, taken from the others, who keep the rest")
    func stickyNewMember() {
        let a = Assignors.sticky(
            members: [
                Self.member("C0", ["t"], owned: ["t": [0, 1, 2, 3]], generation: 2),
                Self.member("C1", ["t"], owned: ["t": [4, 5, 6, 7]], generation: 2),
                Self.member("C2", ["t"]),
            ],
            partitionsPerTopic: ["t": 8])
        let counts = ["C0", "C1", "C2"].map { a[$0]?.count ?? 0 }
        #expect(counts.sorted() == [2, 3, 3])
        #expect(Set(a["C0"] ?? []).isSubset(of: (0...3).map { TP("t", $0) }))
        #expect(Set(a["C1"] ?? []).isSubset(of: (4...7).map { TP("t", $0) }))
    }

    @Test("sticky: a partition claimed by two members goes to the newer generation's claim")
    func stickyConflict() {
        let a = Assignors.sticky(
            members: [
                Self.member("C0", ["t"], owned: ["t": [0]], generation: 1),
                Self.member("C1", ["t"], owned: ["t": [0]], generation: 2),
            ],
            partitionsPerTopic: ["t": 2])
        #expect(Self.names(a["C1"]) == ["tp0"] && Self.names(a["C0"]) == ["tp1"])
    }

    @Test(
        "every strategy assigns each subscribed partition exactly once, only to subscribers",
        arguments: Assignors.Strategy.allCases)
    func properties(strategy: Assignors.Strategy) {
        var rng = SplitMix64(seed: 42)
        for _ in 0..<50 {
            let topics = ["a", "b", "c", "d"]
            var partitions: [String: Int32] = [:]
            for t in topics { partitions[t] = Int32(rng.next() % 7) }
            let members = (0..<Int(1 + rng.next() % 5)).map { i in
                Self.member("m\(i)", topics.filter { _ in rng.next() % 2 == 0 })
            }
            let a = Assignors.assign(strategy, members: members, partitionsPerTopic: partitions)
            var owners: [TP: Int] = [:]
            for m in members {
                for tp in a[m.memberId] ?? [] {
                    owners[tp, default: 0] += 1
                    #expect(m.subscription.topics.contains(tp.topic))
                }
            }
            let subscribed = Set(members.flatMap(\.subscription.topics))
            let expected = subscribed.flatMap { t in (0..<(partitions[t] ?? 0)).map { TP(t, $0) } }
            #expect(Set(owners.keys) == Set(expected))
            #expect(owners.values.allSatisfy { $0 == 1 })
        }
    }

    @Test("the leader's SyncGroup assignments decode to what the assignor chose")
    func syncAssignments() throws {
        let members = ["m1", "m2"].map {
            JoinGroupResponse.Member(
                memberId: $0, metadata: ConsumerProtocolSubscription(topics: ["t"]).encoded())
        }
        let syncs = try Assignors.syncAssignments(
            .roundrobin, members: members, partitionsPerTopic: ["t": 3])
        #expect(syncs.map(\.memberId) == ["m1", "m2"])
        let first = try ConsumerProtocolAssignment(decoding: syncs[0].assignment)
        #expect(first.assignedPartitions == [.init(topic: "t", partitions: [0, 2])])
        let second = try ConsumerProtocolAssignment(decoding: syncs[1].assignment)
        #expect(second.assignedPartitions == [.init(topic: "t", partitions: [1])])
    }

    @Test("unreadable member metadata is a decode error, not a crash")
    func badMetadata() {
        let members = [JoinGroupResponse.Member(memberId: "m", metadata: ByteBuffer(bytes: [0x00]))]
        #expect(throws: DecodeError.self) {
            try Assignors.syncAssignments(.range, members: members, partitionsPerTopic: [:])
        }
    }
}
