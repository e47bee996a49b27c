// Repl room: the banner shown when an interactive session starts: what this is, where the
// cluster listens, and how to point kcat at it from a second terminal.

import Cluster

@MainActor
public enum Welcome {
    public static func show(_ session: Session) async {
        let status = await session.cluster.status()
        let out = session.out
        out.line("swiftka-learn: a Kafka classroom over a real \(status.brokers.count)-broker cluster in this process.", .heading)
        out.line("Bootstrap servers: \(status.bootstrap)")
        out.line("From a second terminal, real clients connect too, e.g.:  kcat -b \(status.brokers.first?.address ?? "127.0.0.1:9092") -L", .dim)
        out.line("Type 'help' for commands, 'lesson list' for lessons, 'lesson start welcome' to begin. Ctrl-D or 'quit' leaves.")
    }
}
