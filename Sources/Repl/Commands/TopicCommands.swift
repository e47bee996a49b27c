// Repl room: the topics group: create, list, describe, delete, and a topic's configs. Each
// goes through the REPL's Kafka client (CreateTopics, Metadata, DeleteTopics,
// DescribeConfigs, IncrementalAlterConfigs), as kafka-topics.sh and kafka-configs.sh do.

import Cluster

/// `k=v` arguments of --config / --set / --header.
func keyValues(_ values: [String], flag: String) throws(ReplError) -> [(String, String)] {
    var out: [(String, String)] = []
    for text in values {
        guard let eq = text.firstIndex(of: "="), eq != text.startIndex else {
            throw .usage("\(flag) takes key=value, not '\(text)'")
        }
        out.append((String(text[..<eq]), String(text[text.index(after: eq)...])))
    }
    return out
}

/// Why a topic the broker did not describe is missing: an illegal name gets Kafka's reason
/// (Metadata answers INVALID_TOPIC_EXCEPTION without one), any other code the usual hint.
func missingTopic(_ name: String, _ code: ErrorCode) -> String {
    guard code == .invalidTopicException else { return "No topic '\(name)' (\(code.name)). Try: topic list" }
    let reason = TopicNames.problem(with: name) ?? "Topic name '\(name)' is invalid"
    return "INVALID_TOPIC_EXCEPTION: \(reason). Topic names use letters, digits, '.', '_' and '-'. Try: topic list"
}

enum TopicCreateCommand: ReplCommand {
    static let spec = CommandSpec(
        ["topic", "create"], group: "topics",
        synopsis: "topic create NAME [--partitions N] [--replication-factor R] [--config k=v]...",
        help: "Creates a topic with N partitions (default 1), spread over the running brokers. Topic configs such as retention.ms or segment.bytes go in --config. Names use letters, digits, '.', '_' and '-'. Small segments (segment.bytes=16384, segment.ms=1000) are allowed here so you can watch logs roll; Kafka 4.0 and later require segment.bytes of at least 1 MiB (KIP-1030).",
        examples: ["topic create orders --partitions 3", "topic create clicks --config retention.ms=60000 --config segment.bytes=16384"],
        arguments: [.newTopic], positionalCount: 1...1,
        flags: [FlagSpec("--partitions", value: .number(1...Limits.partitionsPerTopicMax), help: "number of partitions (default 1)"),
                FlagSpec("--replication-factor", value: .number(1...9), help: "copies of each partition, one per broker (at most the number of brokers)"),
                FlagSpec("--config", value: .free, help: "a topic config key=value; repeat for more")])

    static func run(_ invocation: Invocation, in session: Session) async throws(ReplError) {
        let name = invocation.positionals[0]
        let partitions = try invocation.int("--partitions", in: 1...Limits.partitionsPerTopicMax) ?? 1
        let factor = try invocation.int("--replication-factor", in: 1...9) ?? 1
        var configs: [String: String] = [:]
        for (k, v) in try keyValues(invocation.values("--config"), flag: "--config") { configs[k] = v }
        // kafka-topics.sh warns before it sends such a name; the controller refuses a collision.
        if TopicNames.hasCollisionChars(name) { session.out.line(TopicNames.collisionWarning, .note) }
        let admin = try await session.clients.admin()
        let results: [TopicOperationResult]
        do {
            results = try await admin.createTopics([NewTopic(name: name, numPartitions: Int32(partitions), replicationFactor: Int16(factor), configs: configs)])
        } catch {
            throw describeClientError(error, doing: "Cannot create topic '\(name)'")
        }
        guard let result = results.first else { throw .failed("The controller did not answer for '\(name)'.") }
        guard result.succeeded else {
            var hint = ""
            if result.errorCode == .topicAlreadyExists { hint = " Try: topic describe \(name)" }
            if result.errorCode == .invalidReplicationFactor {
                // One copy per broker at most: offer the largest factor the running brokers allow.
                let running = await session.cluster.status().brokers.filter { $0.state == .running }.count
                hint = " Try: topic create \(name) --partitions \(partitions) --replication-factor \(max(1, min(running, factor - 1)))"
            }
            throw .failed("Cannot create topic '\(name)': \(result.errorCode.name): \(result.errorMessage ?? result.errorCode.explanation)\(hint)")
        }
        session.out.line("Created topic \(name) (TopicId: \(result.topicId)) with \(result.numPartitions) partition(s), replication factor \(result.replicationFactor).")
        // The broker that forwarded the request has the new topic; the one a describe reaches
        // may learn of it from the quorum a moment later (as in Kafka): wait for every broker.
        await session.cluster.settle()
        try await TopicDescribeCommand.describe([name], session: session)
    }
}

enum TopicListCommand: ReplCommand {
    static let spec = CommandSpec(
        ["topic", "list"], group: "topics", synopsis: "topic list",
        help: "Lists the topics, one per line, as kafka-topics.sh --list does.", examples: ["topic list"])

    static func run(_ invocation: Invocation, in session: Session) async throws(ReplError) {
        let names: [String]
        do {
            names = try await session.clients.admin().listTopics()
        } catch {
            throw describeClientError(error, doing: "Cannot list topics")
        }
        if names.isEmpty { session.out.line("(no topics yet; try: topic create orders --partitions 3)", .dim) }
        for name in names.sorted() { session.out.line(name) }
    }
}

enum TopicDescribeCommand: ReplCommand {
    static let spec = CommandSpec(
        ["topic", "describe"], group: "topics", synopsis: "topic describe [NAME]",
        help: "Shows a topic (or all) as kafka-topics.sh --describe does: its id, partition count, replication factor and overridden configs, then each partition's leader broker, replicas and in-sync replicas (Isr).",
        examples: ["topic describe orders", "topic describe"], arguments: [.topic], positionalCount: 0...1)

    static func run(_ invocation: Invocation, in session: Session) async throws(ReplError) {
        var names = invocation.positionals
        if names.isEmpty {
            do { names = try await session.clients.admin().listTopics().sorted() } catch {
                throw describeClientError(error, doing: "Cannot list topics")
            }
            if names.isEmpty { session.out.line("(no topics yet; try: topic create orders --partitions 3)", .dim) }
        }
        try await describe(names, session: session)
    }

    static func describe(_ names: [String], session: Session) async throws(ReplError) {
        guard !names.isEmpty else { return }
        let admin = try await session.clients.admin()
        let topics: [TopicDescription]
        do { topics = try await admin.describeTopics(names) } catch {
            throw describeClientError(error, doing: "Cannot describe \(names.joined(separator: ", "))")
        }
        for topic in topics {
            guard topic.errorCode == .none else { throw .failed(missingTopic(topic.name, topic.errorCode)) }
            let entries = (try? await admin.describeConfigs(topic: topic.name)) ?? []
            let overrides = entries.filter { !$0.isDefault }.map { ($0.name, $0.value ?? "") }
            session.out.lines(TopicRenderer.describe(topic, overrides: overrides))
        }
    }
}

enum TopicDeleteCommand: ReplCommand {
    static let spec = CommandSpec(
        ["topic", "delete"], group: "topics", synopsis: "topic delete NAME",
        help: "Deletes a topic: its partitions' logs are removed from every broker. There is no undo.",
        examples: ["topic delete orders"], arguments: [.topic], positionalCount: 1...1)

    static func run(_ invocation: Invocation, in session: Session) async throws(ReplError) {
        let name = invocation.positionals[0]
        let results: [TopicOperationResult]
        do { results = try await session.clients.admin().deleteTopics([name]) } catch {
            throw describeClientError(error, doing: "Cannot delete topic '\(name)'")
        }
        guard let r = results.first, r.succeeded else {
            let r = results.first
            let reason = (r?.errorMessage ?? r?.errorCode.explanation ?? "").trimmingCharacters(in: ".")
            throw .failed("Cannot delete topic '\(name)': \(r?.errorCode.name ?? "UNKNOWN"): \(reason). Try: topic list")
        }
        session.out.line("Deleted topic \(name).")
        // Every broker deletes its logs once it has the removal; wait for that, so what they
        // report belongs to this command.
        await session.cluster.settle()
    }
}

enum TopicConfigCommand: ReplCommand {
    static let spec = CommandSpec(
        ["topic", "config"], group: "topics", synopsis: "topic config TOPIC [--set k=v]... [--delete k]...",
        help: "Shows a topic's configs (value and where it comes from), or changes them with IncrementalAlterConfigs as kafka-configs.sh --alter does. Invalid values are refused with INVALID_CONFIG and the reason.",
        examples: ["topic config orders", "topic config orders --set retention.ms=60000 --set segment.bytes=16384"],
        arguments: [.topic], positionalCount: 1...1,
        flags: [FlagSpec("--set", value: .free, help: "set key=value; repeat for more"),
                FlagSpec("--delete", value: .free, help: "return a key to its default")])

    static func run(_ invocation: Invocation, in session: Session) async throws(ReplError) {
        let topic = invocation.positionals[0]
        let sets = try keyValues(invocation.values("--set"), flag: "--set")
        let deletes = invocation.values("--delete")
        if !sets.isEmpty || !deletes.isEmpty {
            let operations = sets.map { AlterConfigOp.set($0.0, $0.1) } + deletes.map { AlterConfigOp.delete($0) }
            let result: TopicOperationResult
            do { result = try await session.clients.admin().incrementalAlterConfigs(topic: topic, operations) } catch {
                throw describeClientError(error, doing: "Cannot change configs of '\(topic)'")
            }
            if !result.succeeded {
                throw .failed("Cannot change configs of '\(topic)': \(result.errorCode.name): \(result.errorMessage ?? result.errorCode.explanation)")
            }
            session.out.line("Updated \(topic): " + (sets.map { "\($0.0)=\($0.1)" } + deletes.map { "\($0) (default)" }).joined(separator: ", "))
        }
        let entries: [ConfigEntry]
        do { entries = try await session.clients.admin().describeConfigs(topic: topic) } catch {
            throw describeClientError(error, doing: "Cannot describe configs of '\(topic)'")
        }
        let rows = entries.sorted { $0.name < $1.name }.map { [$0.name, $0.value ?? "null", $0.sourceName] }
        session.out.lines(Table(headers: ["CONFIG", "VALUE", "SOURCE"], rows: rows).render())
    }
}
