// Repl room: the groups group: start, stop and crash consumer-group members in this process,
// and look at groups as kafka-consumer-groups.sh does (list, describe, reset-offsets); list and
// reset-offsets go through the admin client, as that tool's do.

import Cluster

@MainActor
func requireGroup(_ id: String, session: Session) async throws(ReplError) -> GroupSummary {
    guard let g = await session.cluster.group(id) else {
        let known = await session.cluster.groups().map(\.groupId).sorted()
        throw .failed("No group '\(id)'." + (known.isEmpty ? " Try: group join \(id) TOPIC" : " Groups: \(known.joined(separator: ", "))."))
    }
    return g
}

enum GroupJoinCommand: ReplCommand {
    static let spec = CommandSpec(
        ["group", "join"], group: "groups", synopsis: "group join GROUP TOPIC [--name NAME] [--assignor range|roundrobin|sticky]",
        help: "Starts a consumer in group GROUP, reading TOPIC in the background (consuming, committing every second, heartbeating) until 'group leave' or 'group kill'. It returns once the member is in the group and the rebalance has finished (or says it is still joining), naming the partitions it owns. Watch them move with 'group describe GROUP --members' and 'events'.",
        examples: ["group join billing payments --name alice", "group join billing payments --assignor roundrobin"],
        arguments: [.group, .topic], positionalCount: 2...2,
        flags: [FlagSpec("--name", value: .free, help: "the member's name (its client.id)"),
                FlagSpec("--assignor", value: .free, help: "range (default), roundrobin or sticky")])

    static func run(_ invocation: Invocation, in session: Session) async throws(ReplError) {
        let group = invocation.positionals[0], topic = invocation.positionals[1]
        try await requireTopic(topic, session: session)
        let text = invocation.value("--assignor") ?? "range"
        guard let strategy = Assignors.Strategy(rawValue: text) else { throw .usage("--assignor takes range, roundrobin or sticky, not '\(text)'") }
        let name = invocation.value("--name") ?? session.groupMembers.nextName()
        let bootstrap = await session.cluster.status().brokers.map(\.address)
        let handle = try session.groupMembers.start(group: group, topic: topic, name: name, strategy: strategy, bootstrap: bootstrap)
        try await session.groupMembers.run(handle)
        session.out.line("\(name) is joining group \(group) (\(strategy.rawValue) assignor) to read \(topic)…", .dim)
        if let g = await waitForRebalance(group, session: session, until: { g in
            g.members.contains { $0.clientId == name }
        }) {
            let owned = g.members.first { $0.clientId == name }?.assignment ?? []
            session.out.line("\(name) joined group \(group) in generation \(g.generation) and owns "
                             + (owned.isEmpty ? "no partition (there are more members than partitions)" : owned.map(\.description).joined(separator: ", "))
                             + "; it keeps reading in the background.")
        } else {
            session.out.line("\(name) is still joining group \(group): the rebalance has not finished. It goes on in the background; watch: group describe \(group) --members", .note)
        }
    }
}

/// Waits (bounded, Ctrl-C stops it) until the group is Stable and `done` holds, so the
/// commands that change membership return once the coordinator has finished the rebalance.
/// Returns the group then, or nil when it did not settle in time.
@MainActor
func waitForRebalance(_ group: String, session: Session, until done: (GroupSummary) -> Bool) async -> GroupSummary? {
    let clock = ContinuousClock()
    let deadline = clock.now + .seconds(15)
    while clock.now < deadline && !Task.isCancelled {
        // Empty is settled too: the last member left.
        if let g = await session.cluster.group(group), g.state == "Stable" || g.state == "Empty", done(g) { return g }
        try? await Task.sleep(for: .milliseconds(50))
    }
    return nil
}

/// `GROUP NAME` of `group leave`/`group kill`: stops that member, or says which ones run.
@MainActor
func stopMember(_ invocation: Invocation, graceful: Bool, session: Session) async throws(ReplError) -> String {
    let group = invocation.positionals[0], name = invocation.positionals[1]
    guard await session.groupMembers.stop(group, name, graceful: graceful) else {
        throw .failed("No member \(name) runs in \(group). Members here: \(session.groupMembers.names(in: group).joined(separator: ", ")).")
    }
    return name
}

enum GroupLeaveCommand: ReplCommand {
    static let spec = CommandSpec(
        ["group", "leave"], group: "groups", synopsis: "group leave GROUP NAME",
        help: "Stops a member gracefully: it commits, sends LeaveGroup, and the coordinator rebalances the rest at once; returns when that rebalance has finished.",
        examples: ["group leave billing alice"], arguments: [.group, .free], positionalCount: 2...2)

    static func run(_ invocation: Invocation, in session: Session) async throws(ReplError) {
        let name = try await stopMember(invocation, graceful: true, session: session)
        let group = invocation.positionals[0]
        session.out.line("\(name) left \(group) (LeaveGroup sent): the others rebalance now…", .dim)
        let settled = await waitForRebalance(group, session: session) { g in
            !g.members.contains { $0.clientId == name }
        }
        if let g = settled {
            let rest = g.members.map { "\($0.clientId) owns \($0.assignment.count)" }.joined(separator: ", ")
            session.out.line(rest.isEmpty ? "Group \(group) has no members now (\(g.state)); its committed offsets stay."
                             : "Group \(group) rebalanced: generation \(g.generation); \(rest) partition(s).")
        } else {
            session.out.line("The rebalance of \(group) has not finished yet; watch: group describe \(group) --members", .note)
        }
    }
}

enum GroupKillCommand: ReplCommand {
    static let spec = CommandSpec(
        ["group", "kill"], group: "groups", synopsis: "group kill GROUP NAME",
        help: "Crashes a member: it stops heartbeating without LeaveGroup, so the coordinator only notices after session.timeout.ms (6 s here) and then rebalances.",
        examples: ["group kill billing alice"], arguments: [.group, .free], positionalCount: 2...2)

    static func run(_ invocation: Invocation, in session: Session) async throws(ReplError) {
        let name = try await stopMember(invocation, graceful: false, session: session)
        session.out.line("\(name) crashed (no LeaveGroup). The coordinator will expire it after session.timeout.ms.")
    }
}

enum GroupTailCommand: ReplCommand {
    static let spec = CommandSpec(
        ["group", "tail"], group: "groups", synopsis: "group tail GROUP NAME",
        help: "Shows what a running member is reading: its generation, its partitions and the last records it consumed.",
        examples: ["group tail billing alice"], arguments: [.group, .free], positionalCount: 2...2)

    static func run(_ invocation: Invocation, in session: Session) async throws(ReplError) {
        let group = invocation.positionals[0], name = invocation.positionals[1]
        guard let h = session.groupMembers.member(group, name) else {
            throw .failed("No member \(name) runs in \(group). Try: group join \(group) TOPIC --name \(name)")
        }
        let assignment = await h.consumer.assignment
        let generation = await h.consumer.generation
        session.out.line("\(name) in \(group): generation \(generation), partitions \(assignment.map(\.description).joined(separator: ", ")), \(h.consumedCount) record(s) read")
        if h.recent.isEmpty { session.out.line("(nothing read yet)", .dim) } else { session.out.lines(RecordRenderer.table(h.recent)) }
    }
}

enum GroupListCommand: ReplCommand {
    static let spec = CommandSpec(
        ["group", "list"], group: "groups", synopsis: "group list",
        help: "Lists the consumer groups the coordinators know, as kafka-consumer-groups.sh --list, with state and member count.",
        examples: ["group list"])

    static func run(_ invocation: Invocation, in session: Session) async throws(ReplError) {
        // As kafka-consumer-groups.sh: ListGroups on every broker, then DescribeGroups at each
        // group's coordinator for its members.
        let admin = try await session.clients.admin()
        let groups: [ConsumerGroupDescription]
        do {
            let listed = try await admin.listConsumerGroups()
            groups = try await admin.describeConsumerGroups(listed.map(\.groupId))
        } catch { throw describeClientError(error, doing: "Cannot list groups") }
        if groups.isEmpty { session.out.line("(no groups yet; try: group join GROUP TOPIC)", .dim); return }
        session.out.lines(Table(headers: ["GROUP", "STATE", "#MEMBERS"], rows: groups.map { [$0.groupId, $0.state, "\($0.members.count)"] }).render())
    }
}

enum GroupDescribeCommand: ReplCommand {
    static let spec = CommandSpec(
        ["group", "describe"], group: "groups", synopsis: "group describe GROUP [--members | --state | --offsets]",
        help: "Shows a group as kafka-consumer-groups.sh --describe: per partition the committed (CURRENT) offset, the LOG-END-OFFSET and the LAG between them, with the member that owns it; --members lists members and their partitions; --state shows coordinator, assignor, state and generation.",
        examples: ["group describe billing", "group describe billing --members", "group describe billing --state"],
        arguments: [.group], positionalCount: 1...1,
        flags: [FlagSpec("--members", help: "one line per member"), FlagSpec("--state", help: "the group's state"),
                FlagSpec("--offsets", help: "committed offsets and lag (the default)")])

    static func run(_ invocation: Invocation, in session: Session) async throws(ReplError) {
        let g = try await requireGroup(invocation.positionals[0], session: session)
        if g.state == "PreparingRebalance" || g.state == "CompletingRebalance" {
            // kafka-consumer-groups.sh prints the same warning for a group in a rebalance.
            session.out.line("Warning: Consumer group '\(g.groupId)' is rebalancing (\(g.state)): members and partitions are about to change.", .note)
        }
        if invocation.has("--members") {
            session.out.lines(GroupRenderer.members(g))
        } else if invocation.has("--state") {
            let address = await session.cluster.status().brokers.first { $0.id == g.coordinator }?.address ?? "?"
            session.out.lines(GroupRenderer.state(g, coordinatorAddress: address))
        } else {
            session.out.lines(GroupRenderer.offsets(g))
        }
    }
}

enum GroupResetOffsetsCommand: ReplCommand {
    static let spec = CommandSpec(
        ["group", "reset-offsets"], group: "groups",
        synopsis: "group reset-offsets GROUP --topic T (--to-earliest | --to-latest | --to-offset N | --shift-by N) [--execute]",
        help: "Moves a group's committed offsets on a topic, as kafka-consumer-groups.sh --reset-offsets. Without --execute it only prints the plan; like Kafka it refuses while the group has members.",
        examples: ["group reset-offsets billing --topic payments --to-earliest", "group reset-offsets billing --topic payments --shift-by -10 --execute"],
        arguments: [.group], positionalCount: 1...1,
        flags: [FlagSpec("--topic", value: .topic, help: "the topic"), FlagSpec("--to-earliest", help: "to each partition's earliest offset"),
                FlagSpec("--to-latest", help: "to each partition's log end"), FlagSpec("--to-offset", value: .number(Int.min...Int.max), help: "to this offset"),
                FlagSpec("--shift-by", value: .number(Int.min...Int.max), help: "move by N (negative: back)"), FlagSpec("--execute", help: "really commit the new offsets")])

    static func run(_ invocation: Invocation, in session: Session) async throws(ReplError) {
        let group = invocation.positionals[0]
        guard let topic = invocation.value("--topic") else { throw .usage("--topic is needed") }
        let modes = ["--to-earliest", "--to-latest", "--to-offset", "--shift-by"].filter(invocation.has)
        guard modes.count == 1 else { throw .usage("give exactly one of --to-earliest, --to-latest, --to-offset N, --shift-by N") }
        let admin = try await session.clients.admin()
        let current: ConsumerGroupDescription?, committed: [TopicPartition: Int64]
        do {
            current = try await admin.describeConsumerGroups([group]).first
            committed = try await admin.listConsumerGroupOffsets(group)
        } catch { throw describeClientError(error, doing: "Cannot describe group '\(group)'") }
        if let g = current, !g.members.isEmpty {
            throw .failed("Assignments can only be reset if the group '\(group)' is inactive, but the current state is \(g.state). Stop its members first (group leave).")
        }
        let earliest: [ListedOffset], latest: [ListedOffset]
        do {
            earliest = try await admin.listOffsets(topic: topic, spec: .earliest)
            latest = try await admin.listOffsets(topic: topic, spec: .latest)
        } catch { throw describeClientError(error, doing: "Cannot read offsets of '\(topic)'") }
        var plan: [(Int32, Int64)] = []
        for e in earliest.sorted(by: { $0.partition < $1.partition }) {
            let end = latest.first { $0.partition == e.partition }?.offset ?? e.offset
            var target: Int64
            switch modes[0] {
            case "--to-earliest": target = e.offset
            case "--to-latest": target = end
            case "--to-offset":
                guard let n = Int64(invocation.value("--to-offset") ?? "") else { throw .usage("--to-offset takes a number") }
                target = n
            default:
                guard let n = Int64(invocation.value("--shift-by") ?? "") else { throw .usage("--shift-by takes a number") }
                target = (committed[TopicPartition(topic, e.partition)] ?? end) + n
            }
            plan.append((e.partition, min(max(target, e.offset), end)))
        }
        session.out.lines(Table(headers: ["GROUP", "TOPIC", "PARTITION", "NEW-OFFSET"], rows: plan.map { [group, topic, "\($0.0)", "\($0.1)"] }).render())
        guard invocation.has("--execute") else {
            session.out.line("(dry run: nothing changed; add --execute to commit these offsets)", .note)
            return
        }
        do {
            let results = try await admin.alterConsumerGroupOffsets(
                group, Dictionary(uniqueKeysWithValues: plan.map { (TopicPartition(topic, $0.0), $0.1) }))
            if let failed = results.sorted(by: { $0.key < $1.key }).first(where: { $0.value != .none }) {
                throw KafkaClientError.broker(failed.value, context: "OffsetCommit", message: nil)
            }
        } catch { throw describeClientError(error, doing: "Cannot reset offsets of '\(group)'") }
        session.out.line("Committed the new offsets for group \(group).")
    }
}
