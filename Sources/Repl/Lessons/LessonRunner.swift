// Repl room: moves the learner through a lesson: shows steps, runs the current step's checks
// after each command, advances when they pass, and names the next lesson at the end.

import Cluster

/// The lesson engine: current lesson and step, progress on disk, checks against the cluster.
@MainActor
public final class LessonRunner {
    public let catalogue: LessonCatalogue
    let progressFile: String
    public private(set) var progress: LessonProgress
    /// The lesson under way and its 0-based step; step == steps.count means finished.
    public private(set) var active: (lesson: Lesson, step: Int)?
    /// Where the cluster's event stream stood when the current step began, so a check can ask
    /// what happened during the step ("the active controller changed").
    var stepEventMark = 0
    var eventsMark: () -> Int = { 0 }

    init(catalogue: LessonCatalogue, progressFile: String) {
        self.catalogue = catalogue
        self.progressFile = progressFile
        self.progress = LessonProgress.load(from: progressFile)
        if let id = progress.current, let lesson = catalogue.lesson(id), let step = progress.steps[id] {
            active = (lesson, min(step, lesson.steps.count - 1))
        }
    }

    /// "welcome 2/5" for the prompt.
    public var position: String? {
        guard let (lesson, step) = active else { return nil }
        return step >= lesson.steps.count ? "\(lesson.id) done" : "\(lesson.id) \(step + 1)/\(lesson.steps.count)"
    }

    private func persist() {
        if let (lesson, step) = active {
            if step >= lesson.steps.count {
                progress.done.insert(lesson.id)
                progress.steps[lesson.id] = nil
            } else {
                progress.steps[lesson.id] = step
            }
            progress.current = lesson.id
        }
        progress.save(to: progressFile)
    }

    func begin(_ lesson: Lesson, atStep step: Int) {
        active = (lesson, step)
        stepEventMark = eventsMark()
        persist()
    }

    func move(to step: Int) {
        guard let (lesson, _) = active else { return }
        active = (lesson, max(0, min(step, lesson.steps.count)))
        stepEventMark = eventsMark()
        persist()
    }

    /// The lesson after `id` in course order, if any.
    public func nextLesson(after id: String) -> Lesson? {
        guard let at = catalogue.lessons.firstIndex(where: { $0.id == id }), at + 1 < catalogue.lessons.count else { return nil }
        return catalogue.lessons[at + 1]
    }

    /// What to type after finishing `lesson`: the next lesson, or where to go from the last.
    func whatNext(after lesson: Lesson) -> String {
        if let next = nextLesson(after: lesson.id) {
            return "Next: lesson start \(next.id)   (\(next.title))"
        }
        return "That was the last lesson. To keep going: 'swiftka-learn serve' runs this cluster for your own "
            + "clients (kcat, the Java, Python and Go clients), and Kafka's documentation is at "
            + "https://kafka.apache.org/documentation/"
    }

    /// Gathers what checks can look at.
    static func environment(_ session: Session) async -> CheckEnvironment {
        CheckEnvironment(cluster: session.cluster, status: await session.cluster.status(),
                         recent: session.recent, consumed: session.consumed, specs: CommandRegistry.specs,
                         traced: session.traceLog.seen, answered: session.answered != nil, rereadRecords: session.rereadRecords,
                         eventsThisStep: session.cluster.events.since(session.lessons.stepEventMark))
    }

    /// Evaluates every check of a step.
    static func evaluate(_ step: LessonStep, in session: Session) async -> [(LessonCheck, CheckResult)] {
        await LessonCheck.evaluate(step.checks, in: await environment(session))
    }

    /// Runs after every command: when the current step's checks all pass, says so, advances
    /// and shows the next step.
    func afterCommand(in session: Session) async {
        guard let (lesson, step) = active, step < lesson.steps.count else { return }
        let results = await Self.evaluate(lesson.steps[step], in: session)
        guard results.allSatisfy({ $0.1.passed }) else { return }
        advance(session, lesson: lesson, from: step)
    }

    func advance(_ session: Session, lesson: Lesson, from step: Int) {
        session.out.line("✓ Step \(step + 1) done: \(lesson.steps[step].title)", .success)
        move(to: step + 1)
        if step + 1 < lesson.steps.count {
            session.startStepHistory()
            LessonRenderer.show(step: step + 1, of: lesson, session: session)
        } else {
            session.out.line("Lesson '\(lesson.id)' complete: all \(lesson.steps.count) steps done.", .success)
            session.out.line(whatNext(after: lesson), .note)
        }
    }
}
