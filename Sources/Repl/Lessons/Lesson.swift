// Repl room: a lesson as data: id, title, summary, the state it starts from and its steps.

/// One step: what to read, what to try, and the check that says it is done.
public struct LessonStep: Sendable, Equatable {
    public var title: String
    public var text: String
    public var tryCommands: [String]
    public var checks: [LessonCheck]
    public var hint: String
    public var solution: [String]
    /// The line in the lesson file where the step starts (for error messages).
    public var line: Int
}

/// What `lesson reset` restores before step 1.
public enum LessonSetup: Sendable, Equatable {
    /// Start every stopped or killed broker.
    case allBrokersUp
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
