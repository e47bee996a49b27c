// Repl room: the KRaft quorum and the metadata log: `quorum` (kafka-metadata-quorum.sh
// describe), `metadata` (the committed records), `events`, and `link cut|heal`.

import Cluster

enum QuorumCommand: ReplCommand {
    static let spec = CommandSpec(
        ["quorum"], group: "cluster", synopsis: "quorum [--replication]",
        help: "Describes the KRaft quorum that owns the cluster metadata, as kafka-metadata-quorum.sh describe --status does: the leader (the active controller), its epoch, the high watermark of __cluster_metadata-0 and the voters. --replication lists each replica's log end offset and lag.",
        examples: ["quorum", "quorum --replication"], flags: [FlagSpec("--replication", help: "one row per replica of the metadata log")])

    static func run(_ invocation: Invocation, in session: Session) async throws(ReplError) {
        let info: QuorumInfo
        do {
            info = try await session.clients.admin().describeQuorum()
        } catch {
            throw .failed("DescribeQuorum failed: \(error). The quorum may be electing a leader; try again in a moment.")
        }
        let now = WallClock.milliseconds()
        if invocation.has("--replication") {
            session.out.lines(QuorumRenderer.replication(info, now: now))
        } else {
            session.out.lines(QuorumRenderer.status(info, clusterId: session.cluster.clusterID, now: now))
        }
    }
}

enum MetadataCommand: ReplCommand {
    static let spec = CommandSpec(
        ["metadata"], group: "cluster", synopsis: "metadata [--node N] [--last N] [--follow]",
        help: "Shows the committed records of the metadata log (__cluster_metadata-0) in order: offset, leader epoch, record type and fields, as kafka-dump-log.sh --cluster-metadata-decoder would. Every broker builds its picture of the cluster by replaying exactly these. --follow prints new records as they are committed, until Ctrl-C.",
        examples: ["metadata", "metadata --last 5", "metadata --follow"],
        flags: [FlagSpec("--node", value: .brokerID, help: "read this node's copy (default: the active controller)"),
                FlagSpec("--last", value: .number(1...100_000), help: "only the last N records (default 30)"),
                FlagSpec("--follow", help: "keep printing new records until Ctrl-C")])

    static func run(_ invocation: Invocation, in session: Session) async throws(ReplError) {
        let node = try invocation.value("--node").map { (text: String) throws(ReplError) -> NodeID in try brokerID(text, session: session) }
        let last = try invocation.int("--last", in: 1...100_000) ?? 30
        guard let (from, batches) = await session.cluster.metadataLog(node: node) else {
            throw .failed(node.map { "Broker \($0) is not running. Try: metadata" } ?? "No broker is running.")
        }
        let lines = MetadataRenderer.lines(batches)
        session.out.line("Metadata log of node \(from) (committed records):", .heading)
        if lines.count > last { session.out.line("… \(lines.count - last) earlier record(s); --last N shows more", .dim) }
        for line in lines.suffix(last) { session.out.line(line) }
        guard invocation.has("--follow") else { return }
        var next = (batches.last?.lastOffset ?? -1) + 1
        while !Task.isCancelled {
            try? await Task.sleep(for: .milliseconds(100))
            guard let (_, fresh) = await session.cluster.metadataLog(node: node ?? from, from: next) else { break }
            for line in MetadataRenderer.lines(fresh) { session.out.line(line) }
            if let end = fresh.last?.lastOffset { next = end + 1 }
        }
    }
}

enum EventsCommand: ReplCommand {
    static let spec = CommandSpec(
        ["events"], group: "cluster", synopsis: "events [--last N] [--follow] [--all]",
        help: "Shows what happened in the cluster, each with its local time: elections of the KRaft quorum, brokers registered, fenced and unfenced by the controller, partition leaders moving, topics created, brokers killed and started. Then what this REPL saw: its group members (joins, rebalances, commits) and broker notices such as recovery and retention. --follow prints new events until Ctrl-C; --all includes routine ones.",
        examples: ["events", "events --last 50", "events --follow"],
        flags: [FlagSpec("--last", value: .number(1...EventLog.historyMax), help: "how many (default 20)"), FlagSpec("--follow", help: "keep printing until Ctrl-C"),
                FlagSpec("--all", help: "include routine events (followers, commits of the metadata log)")])

    static func run(_ invocation: Invocation, in session: Session) async throws(ReplError) {
        let n = try invocation.int("--last", in: 1...EventLog.historyMax) ?? 20
        let all = invocation.has("--all")
        let events = session.cluster.events.all().filter { all || EventRenderer.isNotable($0) }
        if events.isEmpty { session.out.line("(no cluster events yet)", .dim) }
        for e in events.suffix(n) { session.out.line(EventRenderer.timestamped(e)) }
        let members = session.groupMembers.events.suffix(n)
        if !members.isEmpty {
            session.out.line("")
            session.out.line("Seen by this REPL (its group members, broker notices):", .heading)
            for e in members { session.out.line(e) }
        }
        guard invocation.has("--follow") else { return }
        var mark = session.cluster.events.mark
        session.out.line("(following; Ctrl-C stops)", .dim)
        while !Task.isCancelled {
            try? await Task.sleep(for: .milliseconds(50))
            let fresh = session.cluster.events.since(mark)
            mark += fresh.count
            for e in fresh where all || EventRenderer.isNotable(e) { session.out.line(EventRenderer.timestamped(e)) }
        }
    }
}

enum LinkCommand: ReplCommand {
    static let spec = CommandSpec(
        ["link"], group: "cluster", synopsis: "link cut|heal A B",
        help: "Cuts (or heals) the network link between brokers A and B: every quorum and controller message between them is dropped, both ways, as in a network partition. Clients still reach both. Cut a voter off from the others and watch it fail to win an election.",
        examples: ["link cut 1 2", "link heal 1 2"], arguments: [.choice(["cut", "heal"]), .brokerID, .brokerID], positionalCount: 3...3)

    static func run(_ invocation: Invocation, in session: Session) async throws(ReplError) {
        let action = invocation.positionals[0]
        guard action == "cut" || action == "heal" else {
            throw .usage("'link' takes cut or heal, got '\(action)'. Try: link cut 1 2")
        }
        let a = try brokerID(invocation.positionals[1], session: session)
        let b = try brokerID(invocation.positionals[2], session: session)
        guard a != b else { throw .usage("a link joins two different brokers. Try: link cut 1 2") }
        do {
            try await session.cluster.setLink(a, b, cut: action == "cut")
        } catch {
            throw .failed(error.description)
        }
        let cuts = session.cluster.directory.cutLinks.map { "\($0[0])–\($0[1])" }
        session.out.line(action == "cut" ? "Link \(a)–\(b) cut: nothing passes between them." : "Link \(a)–\(b) healed.", .bold)
        session.out.line("  Cut links now: " + (cuts.isEmpty ? "none" : cuts.joined(separator: ", ")), .dim)
    }
}
