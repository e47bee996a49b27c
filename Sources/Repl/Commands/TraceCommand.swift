// Repl room: the wire group: `trace on|off` shows every request any broker answers.

import Cluster

enum TraceCommand: ReplCommand {
    static let spec = CommandSpec(
        ["trace"], group: "wire", synopsis: "trace on|off",
        help: "Prints one line per request any broker answers: time, the client's address and client.id → broker, API and version, correlation id, bytes each way, time taken and error code. This is the wire protocol your commands and real clients speak.",
        examples: ["trace on", "trace off"], arguments: [.choice(["on", "off"])], positionalCount: 1...1)

    static func run(_ invocation: Invocation, in session: Session) async throws(ReplError) {
        switch invocation.positionals[0] {
        case "on":
            attach(session)
            session.out.line("Tracing every request. Try a command, or point kcat at \(await session.cluster.status().bootstrap). 'trace off' stops.")
        case "off":
            session.cluster.trace.set(nil)
            session.out.line("Tracing off.")
        default:
            throw .usage("trace takes 'on' or 'off', not '\(invocation.positionals[0])'")
        }
    }

    /// Prints, and records for lesson checks, every request the session's cluster answers
    /// (again after `cluster restart` replaced that cluster).
    static func attach(_ session: Session) {
        let out = session.out
        let log = session.traceLog
        session.cluster.trace.set { event in
            log.record(event.trace.apiKey.name)
            out.line(TraceRenderer.line(event), .dim)
        }
    }
}
