// Repl room: `calc placement`: where the replicas of a hypothetical topic would go, worked out
// by the controller's own placer (not a second copy of it), and what that gives each broker.

import Cluster

enum CalcPlacementCommand: ReplCommand {
    /// Hypothetical brokers, more than an embedded cluster runs (`Limits.brokersMax`) so that
    /// the notes' larger examples fit, and few enough for a table of one line per broker.
    static let brokersMax = 100
    /// Seed of the placer's draws when none is given: the same command prints the same thing.
    static let defaultSeed: UInt64 = 1

    static let spec = CommandSpec(
        ["calc", "placement"], group: "cluster",
        synopsis: "calc placement --brokers N --partitions P --replication-factor R [--seed S]",
        help: "Places the replicas of a topic with P partitions and replication factor R on N brokers with the controller's own placer (Kafka's StripedReplicaPlacer, the code 'topic create' runs), then prints each partition's replicas, preferred leader first, and how many replicas and leaderships every broker gets, beside the average of the notes (P × R / N). Nothing is created. The placer starts from random points: --seed picks another draw (default \(defaultSeed)). Like Kafka's, it places each topic on its own, whatever other topics hold.",
        examples: ["calc placement --brokers 6 --partitions 10 --replication-factor 3",
                   "calc placement --brokers 3 --partitions 6 --replication-factor 3 --seed 2"],
        flags: [FlagSpec("--brokers", value: .number(1...brokersMax), help: "brokers to place on, all running (1 to \(brokersMax))"),
                FlagSpec("--partitions", value: .number(1...Limits.partitionsPerTopicMax), help: "partitions of the topic"),
                FlagSpec("--replication-factor", value: .number(1...brokersMax), help: "copies of every partition, at most one per broker"),
                FlagSpec("--seed", value: .free, help: "the placer's random seed (default \(defaultSeed))")])

    static func run(_ invocation: Invocation, in session: Session) async throws(ReplError) {
        guard let brokers = try invocation.int("--brokers", in: 1...brokersMax),
              let partitions = try invocation.int("--partitions", in: 1...Limits.partitionsPerTopicMax),
              let factor = try invocation.int("--replication-factor", in: 1...brokersMax)
        else { throw .usage("--brokers, --partitions and --replication-factor are all needed") }
        var seed = defaultSeed
        if let text = invocation.value("--seed") {
            guard let value = UInt64(text) else { throw .usage("--seed takes a whole number from 0 up, not '\(text)'") }
            seed = value
        }
        let ids = (1...brokers).map { NodeID(Int32($0)) }
        var random = SplitMix64(seed: seed)
        let placed: [[NodeID]]
        do {
            placed = try StripedReplicaPlacer.place(
                partitions: partitions, replicationFactor: factor,
                brokers: ids.map { UsableBroker(id: $0) }, random: &random)
        } catch {
            // The controller's own refusal, as CreateTopics would answer it.
            throw .failed("INVALID_REPLICATION_FACTOR: \(error.message) A broker holds at most one replica of a partition. "
                + "Try: calc placement --brokers \(brokers) --partitions \(partitions) --replication-factor \(brokers)")
        }
        let summary = PlacementSummary(partitions: placed, brokers: ids)
        session.out.lines(PlacementRenderer.render(summary, seed: seed))
        session.out.line(PlacementRenderer.drawNote, .dim)
    }
}
