// Repl room: the session group: help, status and quit.

import Cluster

enum HelpCommand: ReplCommand {
    static let spec = CommandSpec(
        ["help"], group: "session", synopsis: "help [COMMAND]",
        help: "Lists every command by group, or shows one command's usage, explanation and examples.",
        examples: ["help", "help broker kill"], arguments: [.commandName], positionalCount: 0...3)

    static func run(_ invocation: Invocation, in session: Session) async throws(ReplError) {
        let out = session.out
        if invocation.positionals.isEmpty {
            for group in CommandRegistry.groupOrder {
                let specs = CommandRegistry.specs.filter { $0.group == group }
                guard !specs.isEmpty else { continue }
                out.line(group, .heading)
                // Names only here, so the list stays narrow; 'help CMD' shows the full usage.
                let width = specs.map(\.name.count).max() ?? 0
                for spec in specs {
                    out.line("  " + spec.name.padding(to: width) + "  " + firstSentence(spec.help))
                }
            }
            out.line()
            out.line("Type 'help COMMAND' for details, and 'lesson list' to start learning. Tab completes.")
            return
        }
        let words = invocation.positionals
        if let command = CommandRegistry.find(words), command.spec.words.count == words.count {
            describe(command.spec, out: out)
            return
        }
        let family = CommandRegistry.family(words[0])
        guard !family.isEmpty else {
            var message = "No command '\(words.joined(separator: " "))'."
            if let s = CommandRegistry.suggestion(for: words) { message += " Did you mean '\(s)'?" }
            throw .failed(message + " Type 'help' for the list.")
        }
        for spec in family { describe(spec, out: out) }
    }

    static func describe(_ spec: CommandSpec, out: Output) {
        out.line("usage: " + spec.synopsis, .bold)
        out.line("  " + spec.help)
        for flag in spec.flags { out.line("  \(flag.name)\(flag.value == nil ? "" : " VALUE")  \(flag.help)") }
        for example in spec.examples { out.line("  example: \(example)", .note) }
    }

    static func firstSentence(_ text: String) -> String {
        guard let dot = text.range(of: ". ") else { return text }
        return String(text[..<dot.lowerBound]) + "."
    }
}

enum StatusCommand: ReplCommand {
    static let spec = CommandSpec(
        ["status"], group: "session", synopsis: "status",
        help: "Shows the cluster id, the bootstrap address clients connect to, each broker's address, state and uptime, the controller, the topics and the consumer groups.",
        examples: ["status"])

    static func run(_ invocation: Invocation, in session: Session) async throws(ReplError) {
        let status = await session.cluster.status()
        session.out.lines(StatusRenderer.render(status))
        let image = session.cluster.image
        let topics = image.topicNames.filter { !$0.hasPrefix("__") }
        let groups = await session.cluster.groups().map(\.groupId).sorted()
        session.out.line("")
        session.out.line("Controller:  " + (status.controller.map { "broker \($0) (leader of the KRaft quorum, epoch \(status.leaderEpoch ?? 0))" }
            ?? "none active (the quorum is electing a leader)"))
        session.out.line("Topics:      \(topics.isEmpty ? "(none)" : topics.joined(separator: ", "))")
        session.out.line("Groups:      \(groups.isEmpty ? "(none)" : groups.joined(separator: ", "))")
    }
}

enum QuitCommand: ReplCommand {
    static let spec = CommandSpec(
        ["quit"], group: "session", synopsis: "quit",
        help: "Shuts the cluster down cleanly and leaves (Ctrl-D and 'exit' do the same). Topics stay on disk for next time.",
        examples: ["quit"])

    static func run(_ invocation: Invocation, in session: Session) async throws(ReplError) {
        session.requestQuit()
    }
}
