// Repl room: which lessons the learner has finished and where they stopped, kept in one small
// text file under the home folder so it survives restarts.

import Foundation

/// Per-lesson progress: `done`, or the step (0-based) the learner is on.
public struct LessonProgress: Sendable, Equatable {
    public enum State: Sendable, Equatable {
        case inProgress(step: Int)
        case done
    }

    public var states: [String: State] = [:]
    public var current: String? = nil

    public init() {}

    /// One line per lesson: `<id> done` or `<id> step <n>`, plus `current <id>`.
    public static func load(from path: String) -> LessonProgress {
        var p = LessonProgress()
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return p }
        for line in text.split(separator: "\n") {
            let words = line.split(separator: " ").map(String.init)
            if words.count == 2 && words[0] == "current" {
                p.current = words[1]
            } else if words.count == 2 && words[1] == "done" {
                p.states[words[0]] = .done
            } else if words.count == 3 && words[1] == "step", let n = Int(words[2]), n >= 0 {
                p.states[words[0]] = .inProgress(step: n)
            }
        }
        return p
    }

    public func save(to path: String) {
        var lines: [String] = []
        for id in states.keys.sorted() {
            switch states[id] {
            case .done: lines.append("\(id) done")
            case .inProgress(let step): lines.append("\(id) step \(step)")
            case nil: break
            }
        }
        if let current { lines.append("current \(current)") }
        try? (lines.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
    }
}
