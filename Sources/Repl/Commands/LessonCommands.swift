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
            let p = session.lessons.progress
            var progress = p.done.contains(lesson.id) ? "done" : "-"
            if let step = p.steps[lesson.id] {
                let at = "step \(step + 1)/\(lesson.steps.count)"
                progress = p.done.contains(lesson.id) ? "done, again at \(at)" : at
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
        help: "Starts a lesson, or resumes it where you left off. Starting from step 1 first puts the cluster in the lesson's starting state (see 'lesson reset'). Each step is checked against the real cluster after every command you type.",
        examples: ["lesson start welcome"], arguments: [.lessonID], positionalCount: 1...1)

    static func run(_ invocation: Invocation, in session: Session) async throws(ReplError) {
        let id = invocation.positionals[0]
        guard let lesson = session.lessons.catalogue.lesson(id) else {
            let ids = session.lessons.catalogue.lessons.map(\.id).joined(separator: ", ")
            throw .usage("no lesson '\(id)'; lessons: \(ids)")
        }
        var step = 0
        if let saved = session.lessons.progress.steps[id], saved > 0, saved < lesson.steps.count {
            step = saved
        }
        LessonRenderer.introduce(lesson, out: session.out)
        if step > 0 {
            session.out.line("Resuming at step \(step + 1); the cluster is as you left it. 'lesson reset' starts over.", .note)
        } else {
            await LessonSetupApplier.apply(lesson, session: session)
        }
        session.lessons.begin(lesson, atStep: step)
        session.startStepHistory()
        LessonRenderer.show(step: step, of: lesson, session: session)
    }
}

enum LessonNextCommand: ReplCommand {
    static let spec = CommandSpec(
        ["lesson", "next"], group: "lessons", synopsis: "lesson next",
        help: "Skips to the next step without passing the current one's check.", examples: ["lesson next"])

    static func run(_ invocation: Invocation, in session: Session) async throws(ReplError) {
        let (lesson, step) = try requireActiveLesson(session)
        guard step < lesson.steps.count else {
            session.out.line("Lesson '\(lesson.id)' is complete. " + session.lessons.whatNext(after: lesson), .note)
            return
        }
        guard step + 1 < lesson.steps.count else {
            let next = session.lessons.nextLesson(after: lesson.id).map { " or move on: lesson start \($0.id)" } ?? ""
            throw .failed("This is the last step of '\(lesson.id)'. Finish it (lesson check)\(next).")
        }
        session.lessons.move(to: step + 1)
        session.startStepHistory()
        LessonRenderer.show(step: step + 1, of: lesson, session: session)
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
        session.startStepHistory()
        LessonRenderer.show(step: target, of: lesson, session: session)
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
        guard step < lesson.steps.count else {
            session.out.line("Lesson '\(lesson.id)' is complete. " + session.lessons.whatNext(after: lesson), .note)
            return
        }
        session.out.line("hint: " + lesson.steps[step].hint, .note)
    }
}

enum LessonSolutionCommand: ReplCommand {
    static let spec = CommandSpec(
        ["lesson", "solution"], group: "lessons", synopsis: "lesson solution",
        help: "Shows the commands that complete the current step. Try 'lesson hint' first: it nudges without giving the answer away.", examples: ["lesson solution"])

    static func run(_ invocation: Invocation, in session: Session) async throws(ReplError) {
        let (lesson, step) = try requireActiveLesson(session)
        guard step < lesson.steps.count else {
            session.out.line("Lesson '\(lesson.id)' is complete. " + session.lessons.whatNext(after: lesson), .note)
            return
        }
        for command in lesson.steps[step].solution {
            session.out.line("  " + LessonRenderer.fill(LessonRenderer.solutionLine(command), session), .note)
        }
    }
}

enum LessonResetCommand: ReplCommand {
    static let spec = CommandSpec(
        ["lesson", "reset"], group: "lessons", synopsis: "lesson reset [ID]",
        help: "Puts the real cluster back in the lesson's starting state and starts it again from step 1: brokers started, group members stopped, and the lesson's topics and groups deleted or made again, empty.",
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
        await LessonSetupApplier.apply(lesson, session: session)
        session.out.line("Lesson '\(lesson.id)' reset to its starting state.", .note)
        session.lessons.begin(lesson, atStep: 0)
        session.startStepHistory()
        LessonRenderer.show(step: 0, of: lesson, session: session)
    }
}

enum LessonWaitCommand: ReplCommand {
    static let spec = CommandSpec(
        ["lesson", "wait"], group: "lessons", synopsis: "lesson wait [--timeout-ms T]",
        help: "Waits until the current step's checks pass by themselves (retention deleting a segment, a rebalance finishing, a client in another terminal), checking every 200 ms, for at most T ms (default 60000). It refuses steps that need a command typed here.",
        examples: ["lesson wait", "lesson wait --timeout-ms 10000"],
        flags: [FlagSpec("--timeout-ms", value: .number(1...600_000), help: "give up after this many milliseconds")])

    static func run(_ invocation: Invocation, in session: Session) async throws(ReplError) {
        let (lesson, step) = try requireActiveLesson(session)
        guard step < lesson.steps.count else {
            session.out.line("Lesson '\(lesson.id)' is complete: nothing to wait for. " + session.lessons.whatNext(after: lesson), .note)
            return
        }
        // Waiting cannot type a command: refuse while a check that needs one is unmet.
        let typed = await LessonRunner.evaluate(lesson.steps[step], in: session)
            .filter { $0.0.needsTyping && !$0.1.passed }.map(\.0)
        guard typed.isEmpty else {
            throw .failed("This step needs something typed here first (\(typed.map(\.description).joined(separator: "; "))); "
                          + "'lesson wait' only waits for what the cluster does by itself. Try: lesson hint")
        }
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

enum AnswerCommand: ReplCommand {
    static let spec = CommandSpec(
        ["answer"], group: "lessons", synopsis: "answer TEXT",
        help: "Answers the current step's question (a prediction such as which partition a key lands in). A wrong answer is not a failure: you get the reasoning, then try it and see.",
        examples: ["answer 1"], arguments: [.free], positionalCount: 1...8)

    static func run(_ invocation: Invocation, in session: Session) async throws(ReplError) {
        let (lesson, step) = try requireActiveLesson(session)
        guard step < lesson.steps.count, let question = lesson.steps[step].question else {
            throw .failed("This step asks no question. Try: lesson check")
        }
        let given = invocation.positionals.joined(separator: " ")
        let correct = normalised(given) == normalised(question.answer)
        session.answered = (given, correct)
        if correct {
            session.out.line("✓ Right. " + question.explanation, .success)
        } else {
            session.out.line("Not quite: the answer is \(question.answer). " + question.explanation, .note)
        }
    }

    static func normalised(_ text: String) -> String {
        text.lowercased().filter { !$0.isWhitespace && $0 != "." && $0 != "'" && $0 != "\"" }
    }
}
