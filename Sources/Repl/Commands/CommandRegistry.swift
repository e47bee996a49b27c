// Repl room: the table of all commands, finding the command a line names, and suggesting
// the closest one when it names none.

@MainActor
public enum CommandRegistry {
    /// Every command, in the order `help` lists groups and commands.
    public static let commands: [any ReplCommand.Type] = [
        HelpCommand.self, StatusCommand.self, QuitCommand.self,
        BrokerListCommand.self, BrokerKillCommand.self, BrokerStopCommand.self, BrokerStartCommand.self,
        LessonListCommand.self, LessonStartCommand.self, LessonNextCommand.self, LessonBackCommand.self,
        LessonCheckCommand.self, LessonHintCommand.self, LessonSolutionCommand.self, LessonResetCommand.self, LessonWaitCommand.self,
        AnswerCommand.self,
        TopicCreateCommand.self, TopicListCommand.self, TopicDescribeCommand.self, TopicDeleteCommand.self, TopicConfigCommand.self,
        TopicElectLeadersCommand.self,
        ProduceCommand.self, ConsumeCommand.self, OffsetsCommand.self, DemoRestVsKafkaCommand.self,
        GroupJoinCommand.self, GroupLeaveCommand.self, GroupKillCommand.self, GroupTailCommand.self,
        GroupListCommand.self, GroupDescribeCommand.self, GroupResetOffsetsCommand.self, EventsCommand.self,
        QuorumCommand.self, MetadataCommand.self, LinkCommand.self, ClusterRestartCommand.self, ClusterConfigCommand.self, CalcPlacementCommand.self,
        LogSegmentsCommand.self, LogDumpCommand.self, CalcRetentionCommand.self,
        TraceCommand.self,
    ]

    public static var specs: [CommandSpec] { commands.map { $0.spec } }

    /// The groups in display order.
    public static let groupOrder = ["session", "brokers", "lessons", "topics", "data", "storage", "cluster", "groups", "wire"]

    /// The command whose words are the longest prefix of `words`.
    public static func find(_ words: [String]) -> (any ReplCommand.Type)? {
        var best: (any ReplCommand.Type)? = nil
        var bestLength = 0
        for command in commands {
            let w = command.spec.words
            if w.count <= words.count && Array(words[0..<w.count]) == w && w.count > bestLength {
                best = command
                bestLength = w.count
            }
        }
        return best
    }

    /// Commands whose first word is `word` (for "broker" alone, or a bad subcommand).
    public static func family(_ word: String) -> [CommandSpec] {
        specs.filter { $0.words.first == word }
    }

    /// The closest command name to what was typed, by edit distance, if any is close.
    public static func suggestion(for words: [String]) -> String? {
        let typed = words.prefix(2).joined(separator: " ")
        // No command name is long; and the distance costs the product of both lengths.
        guard typed.count <= 64 else { return nil }
        let candidates = specs.map(\.name) + Set(specs.map { $0.words[0] }).sorted()
        var best: (String, Int)? = nil
        for candidate in candidates {
            let compared = candidate.contains(" ") ? typed : (words.first ?? "")
            let d = editDistance(compared, candidate)
            if d <= max(2, candidate.count / 3), d < (best?.1 ?? Int.max) { best = (candidate, d) }
        }
        return best?.0
    }

    static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count)
        for i in 1...a.count {
            var current = [i] + Array(repeating: 0, count: b.count)
            for j in 1...b.count {
                current[j] = Swift.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            previous = current
        }
        return previous[b.count]
    }
}
