// Repl room: a lesson as data: id, title, summary, the state it starts from and its steps.

/// One step: the goal, what to read, what to try, and the checks that say it is done.
public struct LessonStep: Sendable, Equatable {
    public var title: String
    /// One sentence: what the learner is to achieve (shown before the explanation).
    public var goal: String
    public var text: String
    /// Commands shown as `try:`; empty for a goal-only step, where the learner works the
    /// command out (the hint nudges, the solution shows it).
    public var tryCommands: [String]
    public var checks: [LessonCheck]
    public var hint: String
    /// The commands that complete the step. A line starting with `$ ` runs in a second
    /// terminal (a real client such as kcat), not in the REPL.
    public var solution: [String]
    /// A prediction the learner answers with `answer X` before trying it out.
    public var question: LessonQuestion?
    /// The line in the lesson file where the step starts (for error messages).
    public var line: Int

    /// Whether the step gives no command to copy: the learner works it out from the goal.
    public var isGoalOnly: Bool { tryCommands.isEmpty }
}

/// "Which partition will order-7 land in?": answered with `answer 1`. A wrong answer is
/// not a failure: it gets the explanation, and the step goes on to show what happens.
public struct LessonQuestion: Sendable, Equatable {
    public var text: String
    public var answer: String
    public var explanation: String
}

/// What `lesson start` (from step 1) and `lesson reset` make true before step 1.
public enum LessonSetup: Sendable, Equatable, CustomStringConvertible {
    /// Go back to the cluster the REPL started with if `cluster restart` left it for one of
    /// another size, heal every cut link and start every stopped or killed broker (until it is
    /// unfenced).
    case allBrokersUp
    /// Stop every group member started with `group join` (gracefully, with LeaveGroup).
    case noGroupMembers
    /// Delete the topic if it exists.
    case topicAbsent(String)
    /// The topic exists, empty, with this many partitions (deleted and created again).
    case topicPresent(String, partitions: Int)
    /// Delete the consumer group (its committed offsets) if it exists.
    case groupAbsent(String)

    public var description: String {
        switch self {
        case .allBrokersUp: return "all brokers up"
        case .noGroupMembers: return "no group members"
        case .topicAbsent(let t): return "no topic \(t)"
        case .topicPresent(let t, let n): return "topic \(t) with \(n) partitions"
        case .groupAbsent(let g): return "no group \(g)"
        }
    }

    /// The forms a `setup:` line may take.
    public static let vocabulary = [
        "all brokers up", "no group members", "no topic <name>", "topic <name> with <n> partitions",
        "no group <id>",
    ]

    public static func parse(_ text: String) -> LessonSetup? {
        let w = text.split(separator: " ").map(String.init)
        switch w.count {
        case 3 where w == ["all", "brokers", "up"]: return .allBrokersUp
        case 3 where w == ["no", "group", "members"]: return .noGroupMembers
        case 3 where w[0] == "no" && w[1] == "topic": return .topicAbsent(w[2])
        case 3 where w[0] == "no" && w[1] == "group": return .groupAbsent(w[2])
        case 5 where w[0] == "topic" && w[2] == "with" && w[4] == "partitions":
            guard let n = Int(w[3]), n > 0 else { return nil }
            return .topicPresent(w[1], partitions: n)
        default: return nil
        }
    }
}

public struct Lesson: Sendable, Equatable {
    public var id: String
    public var title: String
    public var summary: String
    public var introduction: String
    public var setup: [LessonSetup]
    public var steps: [LessonStep]
    public var file: String
}
