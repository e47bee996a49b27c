// Repl room: what a command says about itself. Help, usage errors and Tab completion are all
// built from these specs, so they cannot drift apart (redis-cli's one-table idea).

import Cluster
import Foundation

/// What a positional argument or flag value is, so completion can offer live values.
public enum ArgumentKind: Sendable, Equatable {
    case brokerID, lessonID, commandName, topic, group, free
    /// The name of a topic to be made (nothing to complete; checked like a topic name).
    case newTopic
    /// One of a fixed set of words (`--type preferred|unclean`).
    case choice([String])
    /// A whole number in a range, checked before the command runs (`--partitions 3`).
    case number(ClosedRange<Int>)
}

/// A `--flag` a command accepts.
public struct FlagSpec: Sendable {
    public var name: String
    /// nil for a switch; otherwise what the value is (for completion).
    public var value: ArgumentKind?
    public var help: String

    public init(_ name: String, value: ArgumentKind? = nil, help: String) {
        self.name = name
        self.value = value
        self.help = help
    }
}

/// The facts about one REPL command.
public struct CommandSpec: Sendable {
    /// The words that name it: `["broker", "kill"]`.
    public var words: [String]
    /// The group `help` lists it under.
    public var group: String
    /// The usage line: `broker kill N`.
    public var synopsis: String
    /// One paragraph: what it does and what to watch for.
    public var help: String
    public var examples: [String]
    /// Kinds of the positional arguments, in order (the last repeats for variadic commands).
    public var arguments: [ArgumentKind]
    public var flags: [FlagSpec]
    /// How many positional arguments are required and allowed.
    public var positionalCount: ClosedRange<Int>

    public init(
        _ words: [String], group: String, synopsis: String, help: String, examples: [String],
        arguments: [ArgumentKind] = [], positionalCount: ClosedRange<Int> = 0...0, flags: [FlagSpec] = []
    ) {
        self.words = words
        self.group = group
        self.synopsis = synopsis
        self.help = help
        self.examples = examples
        self.arguments = arguments
        self.positionalCount = positionalCount
        self.flags = flags
    }

    public var name: String { words.joined(separator: " ") }

    /// The synopsis's name for positional `index` (`PARTITION` in `log segments TOPIC
    /// PARTITION`), for messages; nil when the synopsis does not spell it out.
    public func positionalName(_ index: Int) -> String? {
        let first = synopsis.components(separatedBy: " | ").first ?? synopsis
        // Positionals come before the first flag in every synopsis that names a number.
        let names = first.split(separator: " ").dropFirst(words.count)
            .map { $0.trimmingCharacters(in: CharacterSet(charactersIn: "[]")) }
            .prefix { !$0.hasPrefix("-") && !$0.hasPrefix("(") && !$0.isEmpty }
        return index < names.count ? names[index] : nil
    }
}

/// A command line split into positionals and flags according to a spec.
public struct Invocation: Sendable {
    public var spec: CommandSpec
    public var positionals: [String]
    public var flags: [String: [String]]
    /// The line as typed, for history and lesson checks.
    public var words: [String]

    public func has(_ flag: String) -> Bool { flags[flag] != nil }
    public func value(_ flag: String) -> String? { flags[flag]?.last }
    public func values(_ flag: String) -> [String] { flags[flag] ?? [] }

    /// A flag's value as an integer in `range`, or a usage error naming the flag.
    public func int(_ flag: String, in range: ClosedRange<Int>) throws(ReplError) -> Int? {
        guard let text = value(flag) else { return nil }
        guard let n = Int(text), range.contains(n) else { throw .usage(Invocation.numberProblem(flag, text, range)) }
        return n
    }

    /// Splits `rest` (the words after the command's own) by the spec: flags take the next word
    /// as value unless they are switches; `--flag=value` works too. Then checks what the spec
    /// can: how many positionals, numbers in their ranges, topic names' length. So a bad line
    /// is refused before the command does anything, in the same words for every command.
    public static func parse(_ spec: CommandSpec, rest: [String], words: [String]) throws(ReplError) -> Invocation {
        let (positionals, flags) = try split(spec, rest: rest)
        guard spec.positionalCount.contains(positionals.count) else {
            let expected = spec.positionalCount.lowerBound == spec.positionalCount.upperBound
                ? "\(spec.positionalCount.lowerBound)"
                : "\(spec.positionalCount.lowerBound) to \(spec.positionalCount.upperBound)"
            throw .usage("'\(spec.name)' takes \(expected) argument\(spec.positionalCount.upperBound == 1 ? "" : "s"), got \(positionals.count)")
        }
        for (index, text) in positionals.enumerated() {
            guard let kind = spec.arguments.isEmpty ? nil : spec.arguments[min(index, spec.arguments.count - 1)] else { continue }
            try check(text, is: kind, naming: spec.positionalName(index) ?? "argument \(index + 1)")
        }
        for flag in spec.flags {
            guard let kind = flag.value else { continue }
            for text in flags[flag.name] ?? [] { try check(text, is: kind, naming: flag.name) }
        }
        return Invocation(spec: spec, positionals: positionals, flags: flags, words: words)
    }

    /// Refuses `text` where `kind` says it cannot be right: a number out of its range, or a topic
    /// name longer than Kafka allows (refused here because the broker's answer would repeat the
    /// whole name back; every other topic-name rule is left to the broker, whose
    /// INVALID_TOPIC_EXCEPTION says what Kafka says).
    static func check(_ text: String, is kind: ArgumentKind, naming what: String) throws(ReplError) {
        switch kind {
        case .number(let range):
            guard let n = Int(text), range.contains(n) else { throw .usage(numberProblem(what, text, range)) }
        case .topic, .newTopic:
            let length = text.utf16.count
            guard length <= TopicNames.lengthMax else {
                throw .usage("a topic name is at most \(TopicNames.lengthMax) characters long (Kafka's limit), "
                             + "and this one has \(length); use letters, digits, '.', '_' and '-'")
            }
        default:
            break
        }
    }

    static func numberProblem(_ what: String, _ text: String, _ range: ClosedRange<Int>) -> String {
        let upper = range.upperBound == Int.max ? "up" : "to \(range.upperBound)"
        let from = range.lowerBound == Int.min ? "any whole number" : "a whole number from \(range.lowerBound) \(upper)"
        return "\(what) takes \(from), not '\(Abbreviated.word(text))'"
    }

    /// The positionals and flags of `rest`, without checking how many positionals there are
    /// (lesson checks name a command with only the arguments that matter).
    static func split(_ spec: CommandSpec, rest: [String]) throws(ReplError) -> ([String], [String: [String]]) {
        var positionals: [String] = []
        var flags: [String: [String]] = [:]
        var i = 0
        while i < rest.count {
            let word = rest[i]
            if word.hasPrefix("--") && word.count > 2 {
                var name = word
                var inline: String? = nil
                if let eq = word.firstIndex(of: "=") {
                    name = String(word[..<eq])
                    inline = String(word[word.index(after: eq)...])
                }
                guard let flag = spec.flags.first(where: { $0.name == name }) else {
                    let known = spec.flags.map(\.name)
                    let hint = known.isEmpty ? "it takes no flags" : "its flags: " + known.joined(separator: ", ")
                    throw .usage("unknown flag \(name) for '\(spec.name)' (\(hint))")
                }
                if flag.value == nil {
                    guard inline == nil else { throw .usage("\(name) is a switch and takes no value") }
                    flags[name, default: []].append("")
                } else if let inline {
                    flags[name, default: []].append(inline)
                } else {
                    guard i + 1 < rest.count else { throw .usage("\(name) needs a value") }
                    flags[name, default: []].append(rest[i + 1])
                    i += 1
                }
            } else {
                positionals.append(word)
            }
            i += 1
        }
        return (positionals, flags)
    }
}

/// The command whose words are the longest prefix of `words`, among `specs`.
func longestMatch(_ words: [String], in specs: [CommandSpec]) -> CommandSpec? {
    specs.filter { $0.words.count <= words.count && Array(words.prefix($0.words.count)) == $0.words }
        .max { $0.words.count < $1.words.count }
}

/// Why a command did not succeed. Neither ends the session.
public enum ReplError: Error, Equatable {
    /// The line was wrong: the message plus the command's usage are shown.
    case usage(String)
    /// The command ran and failed (a broker refused, a check did not pass).
    case failed(String)
}

extension ReplError {
    /// The sentence shown after `error:`.
    public var message: String {
        switch self {
        case .usage(let m), .failed(let m): return m
        }
    }
}
