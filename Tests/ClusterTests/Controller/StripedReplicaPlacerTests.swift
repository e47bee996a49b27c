// Controller tests: striped replica placement. Goal: the same placements as Kafka's own
// StripedReplicaPlacerTest, draw for draw (Kafka's MockRandom is replayed here), plus the
// spread a learner can count on. Method: the placer called directly, since the controller
// refuses replication factors above 1.

import Testing

@testable import Cluster

/// Kafka's `MockRandom` (an LCG from state 17) behind Java's `Random.nextInt(bound)`.
struct KafkaMockRandom: PlacementRandom {
    var state: UInt64 = 17

    mutating func next(bits: Int) -> Int64 {
        state = state &* 2_862_933_555_777_941_757 &+ 3_037_000_493
        return Int64(Int32(truncatingIfNeeded: state >> UInt64(64 - bits)))
    }

    mutating func nextInt(_ bound: Int) -> Int {
        var r = next(bits: 31)
        let b = Int64(bound)
        if bound & (bound - 1) == 0 { return Int((b * r) >> 31) }
        var u = r
        while true {
            r = u % b
            if u - r + (b - 1) <= Int64(Int32.max) { break }  // Java's int overflow test
            u = next(bits: 31)
        }
        return Int(r)
    }
}

@Suite struct StripedReplicaPlacerTests {
    typealias RackList = StripedReplicaPlacer.RackList

    static func ids(_ values: [Int32]) -> [NodeID] { values.map { NodeID($0) } }

    static func brokers(_ list: [(Int32, String?, Bool)]) -> [UsableBroker] {
        list.map { UsableBroker(id: NodeID($0.0), rack: $0.1, fenced: $0.2) }
    }

    @Test("a broker list walks each broker once per epoch, one further on each new epoch")
    func brokerList() {
        var empty = StripedReplicaPlacer.BrokerList()
        #expect(empty.next(epoch: 1) == nil)
        var list = StripedReplicaPlacer.BrokerList(brokers: Self.ids([0, 1, 2, 3]))
        #expect(
            (0..<5).map { _ in list.next(epoch: 0) } == Self.ids([0, 1, 2, 3]).map { Optional($0) }
                + [nil])
        #expect(
            (0..<5).map { _ in list.next(epoch: 1) } == Self.ids([1, 2, 3, 0]).map { Optional($0) }
                + [nil])
    }

    @Test("Kafka's testAvoidFencedReplicaIfPossibleOnSingleRack")
    func avoidFenced() throws {
        var random = KafkaMockRandom()
        var racks = RackList(
            brokers: Self.brokers([
                (3, nil, false), (1, nil, true), (0, nil, false), (4, nil, false), (2, nil, false),
            ]),
            existing: [], random: &random)
        #expect(racks.totalCount == 5 && racks.unfencedCount == 4 && racks.rackNames == [nil])
        #expect(throws: PlacementError.self) {
            try racks.place(replicationFactor: 0, random: &random)
        }
        for expected: [Int32] in [
            [3, 4, 0, 2], [4, 0, 2, 3], [0, 2, 3, 4], [2, 3, 4, 0], [0, 4, 3, 2],
        ] {
            #expect(try racks.place(replicationFactor: 4, random: &random) == Self.ids(expected))
        }
    }

    @Test(
        "Kafka's testPlacementOnFencedReplicaOnSingleRack: followers on the fenced broker when needed"
    )
    func fencedFollowers() throws {
        var random = KafkaMockRandom()
        var racks = RackList(
            brokers: Self.brokers([(3, nil, false), (1, nil, true), (2, nil, false)]), existing: [],
            random: &random)
        for expected: [Int32] in [[3, 2, 1], [2, 3, 1], [3, 2, 1], [2, 3, 1]] {
            #expect(try racks.place(replicationFactor: 3, random: &random) == Self.ids(expected))
        }
    }

    @Test("Kafka's testRackListWithMultipleRacks and testRackListWithInvalidRacks")
    func racks() throws {
        var random = KafkaMockRandom()
        var three = RackList(
            brokers: Self.brokers([
                (11, "1", false), (10, "1", false), (30, "3", false), (31, "3", false),
                (21, "2", false), (20, "2", true),
            ]), existing: [], random: &random)
        #expect(three.rackNames == ["1", "2", "3"])
        for expected: [Int32] in [[11, 21, 31, 10], [21, 30, 10, 20], [31, 11, 21, 30]] {
            #expect(try three.place(replicationFactor: 4, random: &random) == Self.ids(expected))
        }
        random = KafkaMockRandom()
        var four = RackList(
            brokers: Self.brokers([
                (11, "1", false), (10, "1", false), (30, "3", true), (31, "3", true),
                (20, "2", true), (21, "2", true),
                (41, "4", false), (40, "4", true),
            ]), existing: [], random: &random)
        #expect(four.totalCount == 8 && four.unfencedCount == 3)
        for expected: [Int32] in [[41, 11, 21, 30], [10, 20, 31, 41], [41, 21, 30, 11]] {
            #expect(try four.place(replicationFactor: 4, random: &random) == Self.ids(expected))
        }
    }

    static func place(
        _ partitions: Int, _ factor: Int, _ brokers: [UsableBroker], existing: [[NodeID]] = []
    ) throws(PlacementError) -> [[NodeID]] {
        var random = KafkaMockRandom()
        return try StripedReplicaPlacer.place(
            partitions: partitions, replicationFactor: factor, brokers: brokers, existing: existing,
            random: &random)
    }

    static func unracked(_ ids: [Int32]) -> [UsableBroker] {
        ids.map { UsableBroker(id: NodeID($0)) }
    }

    @Test("Kafka's testSuccessfulPlacement: the striped pattern")
    func striped() throws {
        let placed = try Self.place(5, 3, Self.unracked([0, 3, 2, 1]))
        #expect(
            placed == [[2, 3, 0], [3, 0, 1], [0, 1, 2], [1, 2, 3], [1, 0, 2]].map(Self.ids))
    }

    @Test("Kafka's testEvenDistribution: 200 partitions of factor 2 over 4 brokers")
    func evenDistribution() throws {
        let placed = try Self.place(200, 2, Self.unracked([0, 1, 2, 3]))
        var counts: [[Int32]: Int] = [:]
        for replicas in placed { counts[replicas.map(\.rawValue), default: 0] += 1 }
        let expected: [[Int32]: Int] = [
            [0, 1]: 14, [0, 2]: 22, [0, 3]: 14, [1, 0]: 17, [1, 2]: 17, [1, 3]: 16,
            [2, 0]: 13, [2, 1]: 17, [2, 3]: 20, [3, 0]: 20, [3, 1]: 19, [3, 2]: 11,
        ]
        #expect(counts == expected)
    }

    @Test("Kafka's testPlaceShiftsInitialOffsets: new partitions continue the topic's stripe")
    func continuesStripe() throws {
        let twelve = Self.unracked(Array(0...11))
        let first = try Self.place(2, 3, twelve)
        #expect(first == [[7, 8, 9], [8, 9, 10]].map(Self.ids))
        let next = try Self.place(2, 3, twelve, existing: first)
        #expect(next == [[9, 10, 11], [10, 11, 0]].map(Self.ids))
        let four = try Self.place(4, 3, twelve, existing: first + next)
        #expect(four == [[11, 0, 1], [0, 1, 2], [1, 2, 3], [2, 3, 4]].map(Self.ids))

        let racked = (0...11).map { UsableBroker(id: NodeID(Int32($0)), rack: String($0 / 4 + 1)) }
        let r1 = try Self.place(2, 3, racked)
        #expect(r1 == [[6, 8, 2], [9, 3, 7]].map(Self.ids))
        let r2 = try Self.place(2, 3, racked, existing: r1)
        #expect(r2 == [[0, 4, 10], [5, 11, 1]].map(Self.ids))
        #expect(Set((r1 + r2).joined()).count == 12)
    }

    @Test("Kafka's refusals, in Kafka's words")
    func refusals() {
        #expect(throws: PlacementError(message: "All brokers are currently fenced.")) {
            try Self.place(
                1, 1,
                [
                    UsableBroker(id: NodeID(11), rack: "1", fenced: true),
                    UsableBroker(id: NodeID(10), rack: "1", fenced: true),
                ])
        }
        #expect(
            throws: PlacementError(
                message:
                    "The target replication factor of 3 cannot be reached because only 2 broker(s) are registered."
            )
        ) { try Self.place(1, 3, Self.unracked([10, 11])) }
        #expect(
            throws: PlacementError(
                message: "Invalid replication factor 0: the replication factor must be positive.")
        ) { try Self.place(1, 0, Self.unracked([10, 11])) }
        #expect(throws: PlacementError(message: "All brokers are currently fenced.")) {
            try Self.place(1, 1, [])
        }
    }

    @Test(
        "6 brokers, factor 3: a full round gives every broker one leadership and 3 replicas; the next round reshuffles",
        arguments: [UInt64(1), 2, 3, 42])
    func spread(seed: UInt64) throws {
        var random = SplitMix64(seed: seed)
        let brokers = Self.unracked(Array(1...6))
        let placed = try StripedReplicaPlacer.place(
            partitions: 12, replicationFactor: 3, brokers: brokers, random: &random)
        for replicas in placed { #expect(Set(replicas).count == 3) }
        func replicaCounts(_ partitions: ArraySlice<[NodeID]>) -> [Int] {
            var counts: [NodeID: Int] = [:]
            for replicas in partitions { for id in replicas { counts[id, default: 0] += 1 } }
            return brokers.map { counts[$0.id] ?? 0 }
        }
        #expect(replicaCounts(placed[0..<6]) == Array(repeating: 3, count: 6))
        #expect(Set(placed[0..<6].map(\.[0])).count == 6)
        #expect(replicaCounts(placed[0..<12]) == Array(repeating: 6, count: 6))
        // Ten partitions hold 30 replicas, but not 5 on each broker: the second round is a
        // fresh shuffle, and its first four stripes cover the shuffled ring unevenly (1, 2, 3,
        // 3, 2, 1 times), so the six brokers hold between 4 and 6.
        let ten = replicaCounts(placed[0..<10])
        #expect(ten.reduce(0, +) == 30 && ten.min() == 4 && ten.max() == 6)
    }
}
