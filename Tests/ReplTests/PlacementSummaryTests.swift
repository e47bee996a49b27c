// REPL tests: `calc placement`'s arithmetic. Goal: the counts per broker are what the placement
// lists hold, and the notes' 6 × 10 × RF 3 example comes out as the striped placer really
// places it (4 to 6 per broker, 5 on average). Method: pure values; the controller's own
// placer with fixed seeds.

import Cluster
import Testing

@testable import Repl

@Suite struct PlacementSummaryTests {
    static func ids(_ values: [Int32]) -> [NodeID] { values.map { NodeID($0) } }

    @Test("replicas and leaders are counted per broker, brokers given nothing included")
    func counts() {
        let summary = PlacementSummary(
            partitions: [[2, 3], [3, 4]].map(Self.ids), brokers: Self.ids([1, 2, 3, 4]))
        #expect(summary.brokers.map(\.replicas) == [0, 1, 2, 1])
        #expect(summary.brokers.map(\.leaders) == [0, 1, 1, 0])
        #expect(summary.totalReplicas == 4 && summary.replicationFactor == 2)
        #expect(summary.averageReplicas == 1 && summary.averageLeaders == 0.5)
        #expect(summary.fewestReplicas == 0 && summary.mostReplicas == 2)
        #expect(summary.fullRounds == 0 && summary.partitionsAfterFullRounds == 2)
    }

    @Test("the notes' 6 brokers, 10 partitions, RF 3: 30 replicas, two brokers each with 4, 5 and 6",
          arguments: [UInt64(1), 2, 3, 7, 42])
    func notesExample(seed: UInt64) throws {
        var random = SplitMix64(seed: seed)
        let brokers = (1...6).map { NodeID(Int32($0)) }
        let placed = try StripedReplicaPlacer.place(
            partitions: 10, replicationFactor: 3, brokers: brokers.map { UsableBroker(id: $0) }, random: &random)
        let summary = PlacementSummary(partitions: placed, brokers: brokers)
        #expect(summary.totalReplicas == 30 && summary.averageReplicas == 5)
        #expect(summary.brokers.map(\.replicas).sorted() == [4, 4, 5, 5, 6, 6])
        #expect(summary.brokers.map(\.leaders).reduce(0, +) == 10)
        #expect(summary.fullRounds == 1 && summary.partitionsAfterFullRounds == 4)
        let text = PlacementRenderer.render(summary, seed: seed)
        #expect(text.hasPrefix("10 partitions × replication factor 3 = 30 replicas on 6 brokers: 5 per broker on average."))
        #expect(text.contains("10 partitions = 1 full round + 4 partitions of the next: the brokers hold between 4 and 6 replicas here, not 5 each."))
        #expect(text.contains("random seed \(seed)"))
    }

    @Test("full rounds are even: 6 partitions of RF 3 on 3 brokers give 6 replicas and 2 leaderships each")
    func fullRounds() throws {
        var random = SplitMix64(seed: 1)
        let brokers = Self.ids([1, 2, 3])
        let placed = try StripedReplicaPlacer.place(
            partitions: 6, replicationFactor: 3, brokers: brokers.map { UsableBroker(id: $0) }, random: &random)
        let summary = PlacementSummary(partitions: placed, brokers: brokers)
        #expect(summary.brokers.map(\.replicas) == [6, 6, 6] && summary.brokers.map(\.leaders) == [2, 2, 2])
        #expect(PlacementRenderer.rounds(summary).hasSuffix("6 partitions = 2 full rounds: every broker holds 6 replicas and leads 2."))
    }

    @Test("the rendering: Replicas lines in kafka-topics.sh's form, a table, the average row")
    func rendering() {
        let summary = PlacementSummary(partitions: [[2, 3], [3, 4]].map(Self.ids), brokers: Self.ids([1, 2, 3, 4]))
        let lines = PlacementRenderer.render(summary, seed: 9).split(separator: "\n").map(String.init)
        #expect(lines[2] == "\tPartition: 0\tLeader: 2\tReplicas: 2,3")
        #expect(lines[3] == "\tPartition: 1\tLeader: 3\tReplicas: 3,4")
        #expect(lines[4] == "BROKER   REPLICAS  LEADER OF")
        #expect(lines[9] == "average  1         0.5")
        #expect(lines[10].hasSuffix("2 partitions are less than one round: the brokers hold between 0 and 2 replicas here, not 1 each."))
    }

    @Test("a long placement lists its first partitions and counts them all")
    func longPlacement() {
        let partitions = (0..<60).map { Self.ids([Int32($0 % 2 + 1)]) }
        let text = PlacementRenderer.render(PlacementSummary(partitions: partitions, brokers: Self.ids([1, 2])), seed: 1)
        #expect(text.contains("\tPartition: 49\t") && !text.contains("\tPartition: 50\t"))
        #expect(text.contains("… 10 more partitions, counted below"))
        #expect(text.contains("1        30        30"))
    }

    @Test("averages print whole, or with at most two decimals", arguments: [
        (5.0, "5"), (10.0 / 6.0, "1.67"), (0.5, "0.5"), (2.05, "2.05"), (0.0, "0"),
    ])
    func numbers(value: Double, text: String) {
        #expect(PlacementRenderer.number(value) == text)
    }

    @Test("brokers print as a run when they are one")
    func brokerRange() {
        #expect(PlacementRenderer.brokerRange(PlacementSummary(partitions: [], brokers: Self.ids([1, 2, 3]))) == "1-3")
        #expect(PlacementRenderer.brokerRange(PlacementSummary(partitions: [], brokers: Self.ids([1]))) == "1")
        #expect(PlacementRenderer.brokerRange(PlacementSummary(partitions: [], brokers: Self.ids([1, 3]))) == "1,3")
    }
}
