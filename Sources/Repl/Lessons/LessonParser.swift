// Repl room: reads a lesson file (Markdown with a front-matter block and a few directive
// lines) into a Lesson, or says `file:line: what is wrong`.

/// A lesson file that could not be loaded, located to the line.
public struct LessonFileError: Error, Equatable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var message: String
    public var description: String { "\(file):\(line): \(message)" }
}

/// The lesson file format:
///
/// ```
/// ---
/// id: welcome
/// title: Welcome
/// summary: One sentence.
/// setup: all brokers up
/// ---
/// Introduction paragraphs.
///
/// ## Step title
/// goal: One sentence: what to achieve.
/// Explanation paragraphs.
/// try: broker list
/// check: ran broker list
/// hint: One sentence that nudges.
/// solution: broker list
/// ```
/// Every step needs a `goal:`, at least one `check:`, a `hint:` and a `solution:`. A step
/// without `try:` lines is goal-only. `question:`, `answer:` and `explain:` add a prediction
/// the learner answers with `answer X`; `setup:` may repeat (see `LessonSetup`).
public enum LessonParser {
    public static func parse(_ text: String, file: String) throws(LessonFileError) -> Lesson {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        func fail(_ line: Int, _ message: String) -> LessonFileError {
            LessonFileError(file: file, line: line, message: message)
        }
        guard lines.first == "---" else { throw fail(1, "a lesson starts with a '---' front-matter line") }
        var meta: [String: String] = [:]
        var setup: [LessonSetup] = []
        var i = 1
        while i < lines.count && lines[i] != "---" {
            let (key, value) = try keyValue(lines[i], line: i + 1, file: file)
            switch key {
            case "id", "title", "summary": meta[key] = value
            case "setup":
                guard let item = LessonSetup.parse(value) else {
                    throw fail(i + 1, "unknown setup '\(value)'. Known: "
                               + LessonSetup.vocabulary.joined(separator: "; "))
                }
                setup.append(item)
            default: throw fail(i + 1, "unknown front-matter key '\(key)' (id, title, summary, setup)")
            }
            i += 1
        }
        guard i < lines.count else { throw fail(lines.count, "the front matter is not closed with '---'") }
        for key in ["id", "title", "summary"] where meta[key] == nil {
            throw fail(i + 1, "the front matter needs '\(key):'")
        }
        i += 1
        var introduction: [String] = []
        var steps: [LessonStep] = []
        var current: LessonStep? = nil
        func finish(_ step: LessonStep?) throws(LessonFileError) {
            guard let step else { return }
            if step.checks.isEmpty { throw fail(step.line, "step '\(step.title)' has no 'check:' line") }
            if step.hint.isEmpty { throw fail(step.line, "step '\(step.title)' has no 'hint:' line") }
            if step.solution.isEmpty { throw fail(step.line, "step '\(step.title)' has no 'solution:' line") }
            if step.goal.isEmpty { throw fail(step.line, "step '\(step.title)' has no 'goal:' line") }
            if let q = step.question, q.answer.isEmpty || q.explanation.isEmpty {
                throw fail(step.line, "step '\(step.title)' has a 'question:' without 'answer:' and 'explain:'")
            }
            var s = step
            s.text = s.text.trimmingTrailingBlankLines()
            steps.append(s)
        }
        while i < lines.count {
            let line = lines[i]
            let number = i + 1
            if line.hasPrefix("## ") {
                try finish(current)
                current = LessonStep(title: String(line.dropFirst(3)), goal: "", text: "", tryCommands: [], checks: [],
                                     hint: "", solution: [], question: nil, line: number)
            } else if var step = current, let (key, value) = directive(line) {
                switch key {
                case "try": step.tryCommands.append(value)
                case "check":
                    guard let check = LessonCheck.parse(value) else {
                        throw fail(number, "unknown check '\(value)'. Known checks: "
                                   + LessonCheck.vocabulary.joined(separator: "; "))
                    }
                    step.checks.append(check)
                case "hint": step.hint = value
                case "solution": step.solution.append(value)
                case "goal": step.goal = value
                case "question":
                    step.question = LessonQuestion(text: value, answer: step.question?.answer ?? "",
                                                   explanation: step.question?.explanation ?? "")
                case "answer", "explain":
                    guard var q = step.question else {
                        throw fail(number, "'\(key):' needs a 'question:' line before it")
                    }
                    if key == "answer" { q.answer = value } else { q.explanation = value }
                    step.question = q
                default: break
                }
                current = step
            } else if var step = current {
                if !(step.text.isEmpty && line.isEmpty) { step.text += line + "\n" }
                current = step
            } else {
                introduction.append(line)
            }
            i += 1
        }
        try finish(current)
        guard !steps.isEmpty else { throw fail(lines.count, "the lesson has no steps ('## Step title')") }
        return Lesson(
            id: meta["id"] ?? "", title: meta["title"] ?? "", summary: meta["summary"] ?? "",
            introduction: introduction.joined(separator: "\n").trimmingCharacters(in: "\n"),
            setup: setup, steps: steps, file: file)
    }

    private static let directives = ["try", "check", "hint", "solution", "goal", "question", "answer", "explain"]

    private static func directive(_ line: String) -> (String, String)? {
        guard let colon = line.firstIndex(of: ":") else { return nil }
        let key = String(line[..<colon])
        guard directives.contains(key) else { return nil }
        return (key, String(line[line.index(after: colon)...]).trimmingCharacters(in: " "))
    }

    private static func keyValue(_ line: String, line number: Int, file: String) throws(LessonFileError) -> (String, String) {
        guard let colon = line.firstIndex(of: ":") else {
            throw LessonFileError(file: file, line: number, message: "expected 'key: value' in the front matter")
        }
        return (String(line[..<colon]).trimmingCharacters(in: " "),
                String(line[line.index(after: colon)...]).trimmingCharacters(in: " "))
    }
}

extension String {
    func trimmingCharacters(in set: Character) -> String {
        var s = Substring(self)
        while s.first == set { s = s.dropFirst() }
        while s.last == set { s = s.dropLast() }
        return String(s)
    }

    func trimmingTrailingBlankLines() -> String {
        var s = Substring(self)
        while s.last == "\n" { s = s.dropLast() }
        return String(s)
    }
}
