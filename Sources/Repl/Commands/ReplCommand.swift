// Repl room: the shape every command has: a spec, and a run function over an invocation.

/// A REPL command: a spec plus what it does. Commands run on the main actor, one at a time,
/// and reach the cluster only through `Session`'s public control and inspection API.
@MainActor
public protocol ReplCommand {
    static var spec: CommandSpec { get }
    static func run(_ invocation: Invocation, in session: Session) async throws(ReplError)
}
