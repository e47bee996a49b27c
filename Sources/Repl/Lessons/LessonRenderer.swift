// Repl room: how a lesson and a step look on screen. Pure: lesson in, lines out.

import Cluster

@MainActor
enum LessonRenderer {
    static func show(step index: Int, of lesson: Lesson, out: Output) {
        let step = lesson.steps[index]
        out.line()
        out.line("── \(lesson.title) · step \(index + 1) of \(lesson.steps.count): \(step.title)", .heading)
        if !step.text.isEmpty { out.lines(step.text) }
        for command in step.tryCommands { out.line("  try: \(command)", .note) }
        out.line()
    }

    static func introduce(_ lesson: Lesson, out: Output) {
        out.line("Lesson '\(lesson.id)': \(lesson.title)", .heading)
        if !lesson.introduction.isEmpty { out.lines(lesson.introduction) }
    }
}
