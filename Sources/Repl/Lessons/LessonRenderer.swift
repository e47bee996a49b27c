// Repl room: how a lesson and a step look on screen: the goal first, then the explanation,
// the commands to try (or none, for a goal-only step) and the question to answer.

import Cluster

@MainActor
enum LessonRenderer {
    static func show(step index: Int, of lesson: Lesson, session: Session) {
        let out = session.out
        let step = lesson.steps[index]
        out.line()
        out.line("── \(lesson.title) · step \(index + 1) of \(lesson.steps.count): \(step.title)", .heading)
        out.line("Goal: " + fill(step.goal, session), .bold)
        if !step.text.isEmpty { out.lines(fill(step.text, session)) }
        // The question comes before the commands: predict first, then see.
        if let question = step.question {
            out.line("Question: " + fill(question.text, session), .bold)
            out.line("  Type: answer <your prediction>, before you try it.", .note)
        }
        for command in step.tryCommands { out.line("  " + tryLine(fill(command, session)), .note) }
        if step.isGoalOnly { out.line("  (work out the command yourself; 'lesson hint' nudges, 'lesson solution' shows it)", .dim) }
        out.line()
    }

    static func introduce(_ lesson: Lesson, out: Output) {
        out.line("Lesson '\(lesson.id)': \(lesson.title)", .heading)
        if !lesson.introduction.isEmpty { out.lines(lesson.introduction) }
    }

    /// `try: $ kcat …` is for a second terminal, not this prompt.
    static func tryLine(_ command: String) -> String {
        command.hasPrefix("$ ") ? "in a second terminal: " + command.dropFirst(2) : "try: " + command
    }

    /// A solution line as shown by `lesson solution`.
    static func solutionLine(_ command: String) -> String {
        command.hasPrefix("$ ") ? "(in a second terminal) " + command.dropFirst(2) : command
    }

    /// Replaces `{bootstrap}` with this cluster's bootstrap servers.
    static func fill(_ text: String, _ session: Session) -> String {
        text.replacing("{bootstrap}", with: session.bootstrap)
    }
}
