// Repl room: the lessons group: list, start, move between steps, check, hint, solution, reset.

import Cluster

@MainActor
func requireActiveLesson(_ session: Session) throws(ReplError) -> (Lesson, Int) {
    guard let active = session.lessons.active else {
        throw .failed("No lesson is under way. Try: lesson list, then lesson start welcome")
    }
    return active
}

enum LessonListCommand: ReplCommand {
    static let spec = CommandSpec(
        ["lesson", "list"], group: "lessons", synopsis: "lesson list",
        help: "Lists the lessons in course order with your progress in each.", examples: ["lesson list"])

    static func run(_ invocation: Invocation, in session: Session) async throws(ReplError) {
        let rows = session.lessons.catalogue.lessons.map { lesson -> [String] in
            let progress: String
            switch session.lessons.progress.states[lesson.id] {
            case .done: progress = "done"
            case .inProgress(let step): progress = "step \(step + 1)/\(lesson.steps.count)"
            case nil: progress = "-"
            }
            return [lesson.id, "\(lesson.steps.count)", progress, lesson.title]
        }
        session.out.lines(Table(headers: ["ID", "STEPS", "PROGRESS", "TITLE"], rows: rows).render())
        session.out.line()
        session.out.line("Start one with: lesson start ID")
    }
}

enum LessonStartCommand: ReplCommand {
    static let spec = CommandSpec(
        ["lesson", "start"], group: "lessons", synopsis: "lesson start ID",
        help: "Starts a lesson, or resumes it where you left off. Each step is checked against the real cluster after every command you type.",
        examples: ["lesson start welcome"], arguments: [.lessonID], positionalCount: 1...1)

    static func run(_ invocation: Invocation, in session: Session) async throws(ReplError) {
        let id = invocation.positionals[0]
        guard let lesson = session.lessons.catalogue.lesson(id) else {
            let ids = session.lessons.catalogue.lessons.map(\.id).joined(separator: ", ")
            throw .usage("no lesson '\(id)'; lessons: \(ids)")
        }
        var step = 0
        if case .inProgress(let saved)? = session.lessons.progress.states[id], saved > 0, saved < lesson.steps.count {
            step = saved
        }
        await LessonSetupApplier.apply(lesson.setup, session: session)
        LessonRenderer.introduce(lesson, out: session.out)
        if step > 0 { session.out.line("Resuming at step \(step + 1). 'lesson reset' starts over.", .note) }
        session.lessons.begin(lesson, atStep: step)
        LessonRenderer.show(step: step, of: lesson, out: session.out)
        session.startStepHistory()
    }
}

enum LessonNextCommand: ReplCommand {
    static let spec = CommandSpec(
        ["lesson", "next"], group: "lessons", synopsis: "lesson next",
        help: "Skips to the next step without passing the current one's check.", examples: ["lesson next"])

    static func run(_ invocation: Invocation, in session: Session) async throws(ReplError) {
        let (lesson, step) = try requireActiveLesson(session)
        guard step + 1 < lesson.steps.count else {
            throw .failed("This is the last step of '\(lesson.id)'. Try: lesson check")
        }
        session.lessons.move(to: step + 1)
        LessonRenderer.show(step: step + 1, of: lesson, out: session.out)
        session.startStepHistory()
    }
}

enum LessonBackCommand: ReplCommand {
    static let spec = CommandSpec(
        ["lesson", "back"], group: "lessons", synopsis: "lesson back",
        help: "Goes back to the previous step.", examples: ["lesson back"])

    static func run(_ invocation: Invocation, in session: Session) async throws(ReplError) {
        let (lesson, step) = try requireActiveLesson(session)
        guard step > 0 else { throw .failed("This is the first step of '\(lesson.id)'.") }
        let target = min(step, lesson.steps.count) - 1
        session.lessons.move(to: target)
        LessonRenderer.show(step: target, of: lesson, out: session.out)
        session.startStepHistory()
    }
}

enum LessonCheckCommand: ReplCommand {
    static let spec = CommandSpec(
        ["lesson", "check"], group: "lessons", synopsis: "lesson check",
        help: "Checks the current step against the real cluster now and says what is still missing. On a finished lesson it checks the last step again.",
        examples: ["lesson check"])

    static func run(_ invocation: Invocation, in session: Session) async throws(ReplError) {
        let (lesson, step) = try requireActiveLesson(session)
        let finished = step >= lesson.steps.count
        let index = finished ? lesson.steps.count - 1 : step
        let results = await LessonRunner.evaluate(lesson.steps[index], in: session)
        for (check, result) in results {
            session.out.line("  \(result.passed ? "✓" : "✗") \(check): \(result.detail)", result.passed ? .success : .failure)
        }
        guard results.allSatisfy({ $0.1.passed }) else {
            throw .failed("Step \(index + 1) of '\(lesson.id)' is not done yet. Try: lesson hint")
        }
        if finished {
            session.out.line("Lesson '\(lesson.id)' is complete and its last check still holds.", .success)
        } else {
            session.lessons.advance(session, lesson: lesson, from: step)
        }
    }
}

enum LessonHintCommand: ReplCommand {
    static let spec = CommandSpec(
        ["lesson", "hint"], group: "lessons", synopsis: "lesson hint",
        help: "Shows a hint for the current step.", examples: ["lesson hint"])

    static func run(_ invocation: Invocation, in session: Session) async throws(ReplError) {
        let (lesson, step) = try requireActiveLesson(session)
        guard step < lesson.steps.count else { throw .failed("Lesson '\(lesson.id)' is complete. Try: lesson list") }
        session.out.line("hint: " + lesson.steps[step].hint, .note)
    }
}

enum LessonSolutionCommand: ReplCommand {
    static let spec = CommandSpec(
        ["lesson", "solution"], group: "lessons", synopsis: "lesson solution",
        help: "Shows the commands that complete the current step.", examples: ["lesson solution"])

    static func run(_ invocation: Invocation, in session: Session) async throws(ReplError) {
        let (lesson, step) = try requireActiveLesson(session)
        guard step < lesson.steps.count else { throw .failed("Lesson '\(lesson.id)' is complete. Try: lesson list") }
        for command in lesson.steps[step].solution { session.out.line("  " + command, .note) }
    }
}

enum LessonResetCommand: ReplCommand {
    static let spec = CommandSpec(
        ["lesson", "reset"], group: "lessons", synopsis: "lesson reset [ID]",
        help: "Puts the real cluster back in the lesson's starting state, such as every broker running, and starts it again from step 1.",
        examples: ["lesson reset", "lesson reset welcome"], arguments: [.lessonID], positionalCount: 0...1)

    static func run(_ invocation: Invocation, in session: Session) async throws(ReplError) {
        let lesson: Lesson
        if let id = invocation.positionals.first {
            guard let found = session.lessons.catalogue.lesson(id) else {
                throw .usage("no lesson '\(id)'; lessons: \(session.lessons.catalogue.lessons.map(\.id).joined(separator: ", "))")
            }
            lesson = found
        } else {
            lesson = try requireActiveLesson(session).0
        }
        await LessonSetupApplier.apply(lesson.setup, session: session)
        session.out.line("Lesson '\(lesson.id)' reset to its starting state.", .note)
        session.lessons.begin(lesson, atStep: 0)
        LessonRenderer.show(step: 0, of: lesson, out: session.out)
        session.startStepHistory()
    }
}

/// Restores a lesson's starting state on the real cluster.
@MainActor
enum LessonSetupApplier {
    static func apply(_ setup: [LessonSetup], session: Session) async {
        for item in setup {
            switch item {
            case .allBrokersUp:
                for broker in await session.cluster.status().brokers where broker.state != .running {
                    if let t = try? await session.cluster.restart(broker.id) {
                        session.out.line("Started broker \(t.id) (was \(t.from)).", .note)
                    }
                }
            }
        }
    }
}

enum LessonWaitCommand: ReplCommand {
    static let spec = CommandSpec(
        ["lesson", "wait"], group: "lessons", synopsis: "lesson wait [--timeout-ms T]",
        help: "Waits until the current step's check passes (something the cluster does by itself, such as retention deleting a segment), checking every 200 ms, for at most T ms (default 60000).",
        examples: ["lesson wait", "lesson wait --timeout-ms 10000"],
        flags: [FlagSpec("--timeout-ms", value: .free, help: "give up after this many milliseconds")])

    static func run(_ invocation: Invocation, in session: Session) async throws(ReplError) {
        let (lesson, step) = try requireActiveLesson(session)
        guard step < lesson.steps.count else { throw .failed("Lesson '\(lesson.id)' is complete. Try: lesson list") }
        let timeout = try invocation.int("--timeout-ms", in: 1...600_000) ?? 60_000
        let clock = ContinuousClock()
        let deadline = clock.now + .milliseconds(timeout)
        session.out.line("Waiting for: \(lesson.steps[step].checks.map(\.description).joined(separator: " and "))", .dim)
        while clock.now < deadline {
            let results = await LessonRunner.evaluate(lesson.steps[step], in: session)
            if results.allSatisfy({ $0.1.passed }) {
                session.lessons.advance(session, lesson: lesson, from: step)
                return
            }
            do { try await Task.sleep(for: .milliseconds(200)) } catch { throw .failed("Interrupted.") }
        }
        throw .failed("Still not done after \(timeout) ms. Try: lesson hint")
    }
}
