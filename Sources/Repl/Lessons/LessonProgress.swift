// Repl room: which lessons the learner has finished and where they stopped, kept in one small
// text file under the home folder so it survives restarts.

import Foundation

/// Per-lesson progress: whether it was ever finished, and the step (0-based) the learner is on.
/// The two are apart so that going through a finished lesson again keeps its "done" mark.
public struct LessonProgress: Sendable, Equatable {
    public var done: Set<String> = []
    public var steps: [String: Int] = [:]
    public var current: String? = nil

    public init() {}

    /// One line per fact: `<id> done`, `<id> step <n>`, and `current <id>`.
    public static func load(from path: String) -> LessonProgress {
        var p = LessonProgress()
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return p }
        for line in text.split(separator: "\n") {
            let words = line.split(separator: " ").map(String.init)
            if words.count == 2 && words[0] == "current" {
                p.current = words[1]
            } else if words.count == 2 && words[1] == "done" {
                p.done.insert(words[0])
            } else if words.count == 3 && words[1] == "step", let n = Int(words[2]), n >= 0 {
                p.steps[words[0]] = n
            }
        }
        return p
    }

    public func save(to path: String) {
        var lines: [String] = []
        for id in Set(done).union(steps.keys).sorted() {
            if done.contains(id) { lines.append("\(id) done") }
            if let step = steps[id] { lines.append("\(id) step \(step)") }
        }
        if let current { lines.append("current \(current)") }
        try? (lines.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
    }
}
