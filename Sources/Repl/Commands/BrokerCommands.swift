// Repl room: the brokers group: list brokers, and crash, stop or start one for real.

import Cluster

enum BrokerListCommand: ReplCommand {
    static let spec = CommandSpec(
        ["broker", "list"], group: "brokers", synopsis: "broker list",
        help: "Lists the brokers: id, the address they listen on, whether they are running, and uptime.",
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

@MainActor
func showTransition(_ t: BrokerTransition, session: Session, note: String) {
    session.out.line("Broker \(t.id) (\(t.address)): \(t.from) → \(t.to)", t.to == .running ? .success : .bold)
    session.out.line("  " + note, .dim)
}

enum BrokerKillCommand: ReplCommand {
    static let spec = CommandSpec(
        ["broker", "kill"], group: "brokers", synopsis: "broker kill N",
        help: "Crashes broker N the way kill -9 would: its listener and every client connection close at once and its memory is gone; only what already reached its data directory survives.",
        examples: ["broker kill 2"], arguments: [.brokerID], positionalCount: 1...1)

    static func run(_ invocation: Invocation, in session: Session) async throws(ReplError) {
        let id = try brokerID(invocation.positionals[0], session: session)
        do {
            let t = try await session.cluster.kill(id)
            showTransition(t, session: session,
                           note: "\(t.connectionsClosed) client connection(s) cut. Clients will see a network error and retry elsewhere.")
        } catch {
            throw .failed(error.description)
        }
    }
}

enum BrokerStopCommand: ReplCommand {
    static let spec = CommandSpec(
        ["broker", "stop"], group: "brokers", synopsis: "broker stop N",
        help: "Shuts broker N down cleanly, like kafka-server-stop.sh: it stops accepting connections, finishes answering, then closes.",
        examples: ["broker stop 3"], arguments: [.brokerID], positionalCount: 1...1)

    static func run(_ invocation: Invocation, in session: Session) async throws(ReplError) {
        let id = try brokerID(invocation.positionals[0], session: session)
        do {
            let t = try await session.cluster.stop(id)
            showTransition(t, session: session, note: "\(t.connectionsClosed) client connection(s) closed after their last answer.")
        } catch {
            throw .failed(error.description)
        }
    }
}

enum BrokerStartCommand: ReplCommand {
    static let spec = CommandSpec(
        ["broker", "start"], group: "brokers", synopsis: "broker start N",
        help: "Starts a fresh instance of broker N on the same address; it recovers from its data directory.",
        examples: ["broker start 2"], arguments: [.brokerID], positionalCount: 1...1)

    static func run(_ invocation: Invocation, in session: Session) async throws(ReplError) {
        let id = try brokerID(invocation.positionals[0], session: session)
        do {
            let t = try await session.cluster.restart(id)
            showTransition(t, session: session, note: "Listening again; clients that retry will reconnect.")
        } catch {
            throw .failed(error.description)
        }
    }
}
