// Repl room: matching a `ran` check against the commands typed this step, on the parsed
// command rather than its words, so flag order and `--flag=value` never matter.

/// A command the learner ran, as typed and as parsed, for lesson checks.
public struct ExecutedCommand: Sendable, Equatable {
    public var words: [String]
    public var succeeded: Bool
    /// The command's name (`produce`, `broker kill`); empty when the line named no command
    /// or its arguments did not parse.
    public var name: String = ""
    public var positionals: [String] = []
    public var flags: [String: [String]] = [:]
    /// Kafka error names in the failure (`OFFSET_OUT_OF_RANGE`), for `saw` checks.
    public var errorNames: [String] = []

    public init(words: [String], succeeded: Bool, name: String = "", positionals: [String] = [],
                flags: [String: [String]] = [:], errorNames: [String] = []) {
        self.words = words
        self.succeeded = succeeded
        self.name = name
        self.positionals = positionals
        self.flags = flags
        self.errorNames = errorNames
    }
}

/// The command words of a `ran` check, parsed by that command's own spec.
///
/// Positionals given must equal the first positionals typed, flags given must have been
/// typed with the same value; `*` stands for any value, and anything not named is free.
public struct CommandPattern: Sendable, Equatable {
    public var name: String
    public var positionals: [String]
    public var flags: [String: [String]]

    /// Nil when the words name no command, or a flag the command does not have.
    public static func parse(_ words: [String], specs: [CommandSpec]) -> CommandPattern? {
        guard let spec = longestMatch(words, in: specs) else { return nil }
        guard let (positionals, flags) = try? Invocation.split(spec, rest: Array(words.dropFirst(spec.words.count))) else {
            return nil
        }
        return CommandPattern(name: spec.name, positionals: positionals, flags: flags)
    }

    public func matches(_ command: ExecutedCommand) -> Bool {
        guard command.succeeded, command.name == name, command.positionals.count >= positionals.count else { return false }
        for (want, got) in zip(positionals, command.positionals) where want != "*" && want != got { return false }
        for (flag, wanted) in flags {
            guard let typed = command.flags[flag] else { return false }
            let have = Set(typed.map { Self.normalise(flag, $0) })
            for value in wanted where value != "*" && !have.contains(Self.normalise(flag, value)) { return false }
        }
        return true
    }

    /// Values that mean the same to the command: `--acks -1` is `--acks all`.
    static func normalise(_ flag: String, _ value: String) -> String {
        if flag == "--acks" && value == "-1" { return "all" }
        if let n = Int64(value) { return "\(n)" }
        return value
    }
}
