// Repl room: the one per-user folder for history, lesson progress and cluster data.
// SWIFTKA_HOME overrides it, which is how tests keep each run apart.

import Foundation

/// Paths under the learner's swiftka-learn home (`~/.swiftka-learn` unless `SWIFTKA_HOME`).
public struct Home: Sendable {
    public var path: String

    public init(path: String) { self.path = path }

    public static func fromEnvironment() -> Home {
        let env = ProcessInfo.processInfo.environment
        if let h = env["SWIFTKA_HOME"], !h.isEmpty { return Home(path: h) }
        let user = env["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
        return Home(path: user + "/.swiftka-learn")
    }

    public var historyFile: String { path + "/history" }
    public var progressFile: String { path + "/progress" }
    public var defaultDataDirectory: String { path + "/data" }

    public func ensureExists() {
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }
}
