// Repl room: `topic elect-leaders`, kafka-leader-election.sh through the REPL's Kafka client
// (ElectLeaders): a preferred or unclean leader election, its outcome in the tool's words,
// then the controller's moves as they are committed.

import Cluster

enum TopicElectLeadersCommand: ReplCommand {
    static let spec = CommandSpec(
        ["topic", "elect-leaders"], group: "topics",
        synopsis: "topic elect-leaders [TOPIC [PARTITION]] [--type preferred|unclean]",
        help:
            "Asks the controller for leader elections, as kafka-leader-election.sh --election-type does. PREFERRED (the default) moves a partition's leadership back to its preferred replica (the first in Replicas:) when that broker runs and is in the Isr; the controller also does this by itself, leader.imbalance.check.interval.seconds (10 s here, 300 s in Kafka) after leadership moved away. UNCLEAN gives a partition that has no leader one from outside the Isr: the records only the old Isr had are lost. Without TOPIC every partition is considered and only those that needed an election are reported; with TOPIC, each of its partitions (or just PARTITION).",
        examples: [
            "topic elect-leaders", "topic elect-leaders orders",
            "topic elect-leaders orders 0 --type unclean",
        ],
        arguments: [.topic, .number(0...Int(Int32.max))], positionalCount: 0...2,
        flags: [
            FlagSpec(
                "--type", value: .choice(["preferred", "unclean"]),
                help: "PREFERRED (default) or UNCLEAN")
        ])

    static func run(_ invocation: Invocation, in session: Session) async throws(ReplError) {
        let type = try electionType(invocation.value("--type"))
        let partitions = try await chosenPartitions(invocation.positionals, session: session)
        let mark = session.cluster.events.mark
        let start = WallClock.milliseconds()
        let results: [ElectionResult]
        do {
            results = try await session.clients.admin().electLeaders(type, partitions: partitions)
        } catch {
            throw describeClientError(error, doing: "Cannot run a \(type) leader election")
        }
        let elected = results.filter { $0.errorCode == .none }.map(\.topicPartition)
        let noop = results.filter { $0.errorCode == .electionNotNeeded }.map(\.topicPartition)
        let failed = results.filter { $0.errorCode != .none && $0.errorCode != .electionNotNeeded }
        if !elected.isEmpty {
            session.out.line(
                "Successfully completed leader election (\(type)) for partitions \(list(elected))",
                .success)
        }
        if !noop.isEmpty {
            session.out.line("Valid replica already elected for partitions \(list(noop))")
        }
        for f in failed {
            session.out.line(
                "Error completing leader election (\(type)) for partition: \(f.topicPartition): "
                    + "\(f.errorCode.name): \(f.errorMessage ?? f.errorCode.explanation)", .failure)
        }
        if results.isEmpty {
            session.out.line(
                type == .preferred
                    ? "(every partition is already led by its preferred replica)"
                    : "(every partition has a leader; unclean elections are for leaderless ones)",
                .dim)
        }
        if !elected.isEmpty {
            await narrate(elected, type: type, mark: mark, start: start, session: session)
        }
        guard failed.isEmpty else {
            throw .failed(
                "\(failed.count) replica(s) could not be elected. " + hint(for: failed, type: type))
        }
    }

    static func electionType(_ text: String?) throws(ReplError) -> ElectionType {
        switch text?.lowercased() {
        case nil, "preferred": return .preferred
        case "unclean": return .unclean
        case let other?: throw .usage("--type takes preferred or unclean, not '\(other)'")
        }
    }

    /// nil for every partition (ElectLeaders with a null list), else the partitions named.
    static func chosenPartitions(_ positionals: [String], session: Session) async throws(ReplError)
        -> [TopicPartition]?
    {
        guard let topic = positionals.first else { return nil }
        // The topic is looked up even when a partition is named, so that a wrong name is one
        // line here; a partition it lacks is left to the controller's answer, as the tool does.
        let described: [TopicDescription]
        do { described = try await session.clients.admin().describeTopics([topic]) } catch {
            throw describeClientError(error, doing: "Cannot describe '\(topic)'")
        }
        guard let description = described.first, description.errorCode == .none else {
            throw .failed(missingTopic(topic, described.first?.errorCode ?? .unknownTopicOrPartition))
        }
        if positionals.count == 2 {
            guard let partition = Int32(positionals[1]), partition >= 0 else {
                throw .usage("PARTITION is a partition number (0, 1, ...), not '\(positionals[1])'")
            }
            return [TopicPartition(topic, partition)]
        }
        return description.partitions.map { TopicPartition(topic, $0.partition) }.sorted()
    }

    static func list(_ partitions: [TopicPartition]) -> String {
        partitions.map(\.description).joined(separator: ", ")
    }

    /// What to type next, by the most telling error.
    static func hint(for failed: [ElectionResult], type: ElectionType) -> String {
        let topic = failed[0].topicPartition.topic
        if failed.contains(where: { $0.errorCode == .unknownTopicOrPartition }) {
            return "Try: topic describe \(topic)"
        }
        if failed.contains(where: { $0.errorCode == .eligibleLeadersNotAvailable }) {
            return "No replica of it runs; start one (broker list, broker start N), "
                + "or wait for its old leader."
        }
        return "The preferred replica (first in Replicas:) must run and be in the Isr. "
            + "Try: topic describe \(topic)"
    }

    /// Prints the controller's moves for the partitions it elected leaders for, as they
    /// commit; the unclean ones come with what was lost.
    static func narrate(
        _ elected: [TopicPartition], type: ElectionType, mark: Int, start: Int64, session: Session
    ) async {
        var waiting = Set(elected)
        _ = await Narration.follow(
            session, mark: mark, start: start, bound: Narration.bound(session)
        ) { event in
            if case .controller(.partitionChanged(let topic, let partition, _, _, _)) = event.kind {
                waiting.remove(TopicPartition(topic, partition))
            }
            return waiting.isEmpty
        }
        if type == .unclean {
            session.out.line(
                "Records that only the old Isr had are gone: the new leader's log is the partition now, "
                    + "and the other replicas cut theirs back to it when they return.", .note)
        }
    }
}
