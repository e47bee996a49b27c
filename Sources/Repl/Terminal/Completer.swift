// Repl room: Tab completion as a pure function: the line so far, the command specs and live
// names in, candidates out. The line editor only inserts or lists what this returns.

/// Live values completion may offer (broker ids, lesson ids, and later topics and groups).
public struct CompletionContext: Sendable {
    public var brokerIDs: [String] = []
    public var lessonIDs: [String] = []
    public var topics: [String] = []
    public var groups: [String] = []
    public init() {}
}

public enum Completer {
    /// The candidates for the last (partial) word of `line`, sorted and unique.
    public static func candidates(for line: String, specs: [CommandSpec], context: CompletionContext) -> (partial: String, candidates: [String]) {
        var words = line.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        let partial = line.hasSuffix(" ") || line.isEmpty ? "" : (words.popLast() ?? "")
        var options: Set<String> = []
        // The next command word, for specs whose words extend what has been typed.
        for spec in specs where spec.words.count > words.count && Array(spec.words.prefix(words.count)) == words {
            options.insert(spec.words[words.count])
        }
        // Arguments and flags of the longest fully typed command.
        if let spec = specs.filter({ $0.words.count <= words.count && Array(words.prefix($0.words.count)) == $0.words })
            .max(by: { $0.words.count < $1.words.count })
        {
            let rest = Array(words.dropFirst(spec.words.count))
            if let last = rest.last, let flag = spec.flags.first(where: { $0.name == last }), let kind = flag.value {
                options.formUnion(values(kind, context: context, specs: specs))
            } else {
                let positionals = positionalCount(rest, spec: spec)
                if positionals < spec.positionalCount.upperBound, !spec.arguments.isEmpty {
                    let kind = spec.arguments[min(positionals, spec.arguments.count - 1)]
                    if kind == .commandName {
                        // `help broker k` completes command words, not a flat list.
                        let inner = candidates(for: rest.joined(separator: " ") + (rest.isEmpty ? "" : " ") + partial,
                                               specs: specs, context: context)
                        options.formUnion(inner.candidates)
                    } else {
                        options.formUnion(values(kind, context: context, specs: specs))
                    }
                }
                if partial.hasPrefix("-") || positionals >= spec.positionalCount.upperBound {
                    let used = Set(rest)
                    options.formUnion(spec.flags.map(\.name).filter { !used.contains($0) })
                }
            }
        }
        return (partial, options.filter { $0.hasPrefix(partial) }.sorted())
    }

    private static func positionalCount(_ rest: [String], spec: CommandSpec) -> Int {
        var count = 0
        var i = 0
        while i < rest.count {
            if let flag = spec.flags.first(where: { $0.name == rest[i] }) {
                if flag.value != nil { i += 1 }
            } else if !rest[i].hasPrefix("--") {
                count += 1
            }
            i += 1
        }
        return count
    }

    private static func values(_ kind: ArgumentKind, context: CompletionContext, specs: [CommandSpec]) -> [String] {
        switch kind {
        case .brokerID: return context.brokerIDs
        case .lessonID: return context.lessonIDs
        case .topic: return context.topics
        case .group: return context.groups
        case .commandName: return Array(Set(specs.map { $0.words[0] }))
        case .choice(let words): return words
        case .free, .newTopic, .number: return []
        }
    }

    /// The longest prefix shared by every candidate.
    public static func commonPrefix(_ candidates: [String]) -> String {
        guard var prefix = candidates.first else { return "" }
        for c in candidates.dropFirst() {
            while !c.hasPrefix(prefix) { prefix.removeLast() }
        }
        return prefix
    }
}
