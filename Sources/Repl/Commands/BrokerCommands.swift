// Repl room: the brokers group: list brokers, and crash, stop or start one for real.

import Cluster

enum BrokerListCommand: ReplCommand {
    static let spec = CommandSpec(
        ["broker", "list"], group: "brokers", synopsis: "broker list",
        help: "Lists the brokers: id, address, whether they run, whether the controller has them fenced, their part in the KRaft quorum (voter or observer; leader, follower...) and uptime.",
        examples: ["broker list"])

    static func run(_ invocation: Invocation, in session: Session) async throws(ReplError) {
        session.out.lines(StatusRenderer.brokerTable(await session.cluster.status()))
    }
}

/// Parses the broker id argument, saying which ids exist when it is wrong.
@MainActor
func brokerID(_ text: String, session: Session) throws(ReplError) -> NodeID {
    let known = session.cluster.nodeIDs
    guard let n = Int32(text), known.contains(NodeID(n)) else {
        throw .usage("no broker '\(text)'; brokers are \(known.map(\.description).joined(separator: ", "))")
    }
    return NodeID(n)
}

/// Like `brokerID`, and `controller` names the active controller (the quorum leader).
@MainActor
func brokerOrController(_ text: String, session: Session) async throws(ReplError) -> NodeID {
    guard text == "controller" else { return try brokerID(text, session: session) }
    guard let id = await session.cluster.status().controller else {
        throw .failed("No controller is active right now (the quorum is electing one, or too few voters run). Try: quorum")
    }
    session.out.line("The active controller is broker \(id).", .dim)
    return id
}

@MainActor
func showTransition(_ t: BrokerTransition, session: Session, note: String) {
    session.out.line("Broker \(t.id) (\(t.address)): \(t.from) → \(t.to)", t.to == .running ? .success : .bold)
    session.out.line("  " + note, .dim)
}

enum BrokerKillCommand: ReplCommand {
    static let spec = CommandSpec(
        ["broker", "kill"], group: "brokers", synopsis: "broker kill N|controller",
        help: "Crashes broker N (or the active controller) the way kill -9 would: its listener and every client connection close at once and its memory is gone; only what already reached its data directory survives. Then it narrates how the cluster reacts, until the controller has fenced the broker.",
        examples: ["broker kill 2", "broker kill controller"], arguments: [.brokerID], positionalCount: 1...1)

    static func run(_ invocation: Invocation, in session: Session) async throws(ReplError) {
        let id = try await brokerOrController(invocation.positionals[0], session: session)
        let mark = session.cluster.events.mark
        let start = WallClock.milliseconds()
        do {
            let t = try await session.cluster.kill(id)
            showTransition(t, session: session,
                           note: "\(t.connectionsClosed) client connection(s) cut. Clients will see a network error and retry elsewhere.")
        } catch {
            throw .failed(error.description)
        }
        session.out.line("Watching the controller react (it fences a broker that misses heartbeats for broker.session.timeout.ms):", .dim)
        let fenced = await Narration.follow(session, mark: mark, start: start, bound: await Narration.bound(session), about: id) {
            Narration.isFencing(of: id, $0)
        }
        if !fenced {
            let why = await Narration.quorumProblem(session) ?? "the controller has not fenced it yet"
            session.out.line("Broker \(id) is not fenced after \(EventRenderer.seconds(await Narration.bound(session))): \(why).", .note)
        }
    }
}

enum BrokerStopCommand: ReplCommand {
    static let spec = CommandSpec(
        ["broker", "stop"], group: "brokers", synopsis: "broker stop N|controller",
        help: "Shuts broker N down cleanly, like kafka-server-stop.sh: it stops accepting connections, finishes answering, then closes.",
        examples: ["broker stop 3", "broker stop controller"], arguments: [.brokerID], positionalCount: 1...1)

    static func run(_ invocation: Invocation, in session: Session) async throws(ReplError) {
        let id = try await brokerOrController(invocation.positionals[0], session: session)
        let wasController = await session.cluster.status().controller == id
        let mark = session.cluster.events.mark
        let start = WallClock.milliseconds()
        do {
            let t = try await session.cluster.stop(id)
            showTransition(t, session: session, note: "\(t.connectionsClosed) client connection(s) closed after their last answer.")
        } catch {
            throw .failed(error.description)
        }
        let fenced = await Narration.follow(session, mark: mark, start: start, bound: await Narration.bound(session), about: id) {
            Narration.isFencing(of: id, $0)
        }
        if !fenced, let why = await Narration.quorumProblem(session) {
            session.out.line("The controller could not record broker \(id)'s shutdown: \(why).", .note)
        }
        // The active controller handed the quorum over as it stopped: watch the successor's
        // election, when enough voters run to hold one.
        guard wasController, fenced, await Narration.quorumProblem(session) == nil else { return }
        let elected = await Narration.follow(session, mark: mark, start: start, bound: await Narration.bound(session)) { event in
            if case .controllerActivated = event.kind { return event.node != id }
            return false
        }
        if !elected {
            session.out.line("No new controller is active yet; `quorum` shows the election.", .note)
        }
    }
}

enum BrokerStartCommand: ReplCommand {
    static let spec = CommandSpec(
        ["broker", "start"], group: "brokers", synopsis: "broker start N|all",
        help: "Starts a fresh instance of broker N on the same address; it recovers from its data directory.",
        examples: ["broker start 2", "broker start all"], arguments: [.brokerID], positionalCount: 1...1)

    static func run(_ invocation: Invocation, in session: Session) async throws(ReplError) {
        if invocation.positionals[0] == "all" {
            let down = await session.cluster.status().brokers.filter { $0.state != .running }.map(\.id)
            if down.isEmpty { session.out.line("Every broker is already running.", .dim) }
            for id in down { try await start(id, session: session) }
            return
        }
        try await start(try brokerID(invocation.positionals[0], session: session), session: session)
    }

    static func start(_ id: NodeID, session: Session) async throws(ReplError) {
        // Partitions it must rejoin, known before it starts: however soon it rejoins one, that
        // is told after it is unfenced.
        let wasBehind = Narration.partitionsMissing(id, from: session.cluster.image)
        let mark = session.cluster.events.mark
        let start = WallClock.milliseconds()
        do {
            let t = try await session.cluster.restart(id)
            showTransition(t, session: session, note: "Listening again; it registers with the controller and is unfenced once it has caught up.")
        } catch {
            throw .failed(error.description)
        }
        let (unfenced, printed) = await Narration.followCounting(session, mark: mark, start: start, bound: await Narration.bound(session), about: id) {
            Narration.isUnfencing(of: id, $0)
        }
        if !unfenced {
            let why = await Narration.quorumProblem(session) ?? "it has not been unfenced yet; try 'broker list' in a moment"
            session.out.line("Broker \(id) is running but \(why).", .note)
            return
        }
        // Its replicas now fetch from their leaders; each leader adds it back to the ISR once it
        // has caught up (AlterPartition). Watch that too, for partitions with followers.
        var behind = Set(wasBehind + Narration.partitionsMissing(id, from: session.cluster.image))
        guard !behind.isEmpty else { return }
        session.out.line("Its replicas catch up from their leaders, then rejoin the ISR:", .dim)
        // From the same mark, so that an ISR change already printed still counts; printed once.
        let (caughtUp, _) = await Narration.followCounting(session, mark: mark, printFrom: printed, start: start,
                                                           bound: await Narration.bound(session), about: id) { event in
            if case .controller(.partitionChanged(let topic, let partition, _, let isr, _)) = event.kind, isr.to.contains(id) {
                behind.remove(TopicPartition(topic, partition))
            }
            return behind.isEmpty
        }
        if !caughtUp {
            session.out.line("Not yet back in the ISR of \(behind.sorted().map(\.description).joined(separator: ", ")); "
                             + "`topic describe` shows the ISR as it changes.", .note)
        }
    }
}
