// Lesson course tests. Goal: every shipped lesson can be completed on a live loopback cluster
// by typing its solutions: from a fresh cluster, a second time in the same session after
// `lesson reset`, and after other lessons have changed the cluster. Each step's checks must
// pass against the real cluster, and the run ends with the lesson complete.
//
// Solution lines starting with `$ ` are for a second terminal (kcat): they run in a shell
// with `{bootstrap}` filled in. A lesson that needs kcat is skipped where kcat is missing,
// as the interop tests are; ./run-tests installs it.

import Cluster
import Foundation
import Testing

@testable import Repl

@Suite(.serialized) struct LessonCourseTests {
    static var lessons: [Lesson] { LessonCatalogue.bundled().0.lessons }
    static var lessonIDs: [String] { lessons.map(\.id) }

    static func lesson(_ id: String) -> Lesson? { LessonCatalogue.bundled().0.lesson(id) }

    /// Every step's solution lines, in order.
    static func solutions(_ id: String) -> [String] { lesson(id)?.steps.flatMap(\.solution) ?? [] }

    static let kcat: String? = ["/usr/bin/kcat", "/usr/local/bin/kcat", "/opt/homebrew/bin/kcat"]
        .first { FileManager.default.isExecutableFile(atPath: $0) }

    static func needsShell(_ id: String) -> Bool { solutions(id).contains { $0.hasPrefix("$ ") } }

    /// Types `lines` into the session as a learner would: REPL commands at the prompt (echoed
    /// like a transcript, running on after a failure), `$ ` lines in a second terminal.
    @MainActor
    static func type(_ lines: [String], in session: Session) async throws {
        for line in lines {
            if line.hasPrefix("$ ") {
                let bootstrap = await session.cluster.status().bootstrap
                let command = String(line.dropFirst(2)).replacing("{bootstrap}", with: bootstrap)
                session.out.line("$ " + command)
                let status = try await shell(command)
                #expect(status == 0, "'\(command)' exited with \(status)")
            } else {
                _ = await Frontends.runScript([line], session: session, keepGoing: true)
            }
        }
    }

    /// Runs a shell command off the main actor and returns its exit status.
    static func shell(_ command: String) async throws -> Int32 {
        try await Task.detached {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/bin/sh")
            process.arguments = ["-c", command]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            process.waitUntilExit()
            return process.terminationStatus
        }.value
    }

    /// How many commands of `id`'s solutions fail on purpose: one per step that checks the
    /// learner saw a Kafka error (`saw OFFSET_OUT_OF_RANGE`).
    static func expectedErrors(_ id: String) -> Int {
        lesson(id)?.steps.filter { $0.checks.contains { if case .saw = $0 { true } else { false } } }.count ?? 0
    }

    static func errors(in output: String) -> [Substring] {
        output.split(separator: "\n").filter { $0.hasPrefix("error:") }
    }

    /// Checks that `output` shows every step of `id` passing `times` times and the lesson
    /// complete as often.
    static func expectCompleted(_ id: String, times: Int, in output: String) {
        guard let lesson = lesson(id) else {
            Issue.record("no lesson \(id)")
            return
        }
        for (n, step) in lesson.steps.enumerated() {
            let done = output.components(separatedBy: "✓ Step \(n + 1) done: \(step.title)\n").count - 1
            #expect(done == times, "\(id): step \(n + 1) '\(step.title)' passed \(done) time(s), not \(times)\n\(output)")
        }
        let complete = output.components(separatedBy: "Lesson '\(id)' is complete and its last check still holds.").count - 1
        #expect(complete == times, "\(id) completed \(complete) time(s), not \(times)\n\(output)")
    }

    @Test("the lesson completes by its solutions, and again after 'lesson reset'", arguments: lessonIDs)
    func lessonCompletesTwice(_ id: String) async throws {
        if Self.needsShell(id) && Self.kcat == nil { return }
        let run = ["lesson start \(id)"] + Self.solutions(id) + ["lesson check", "lesson reset"] + Self.solutions(id) + ["lesson check"]
        let output = try await TranscriptRunner.withSession { session in try await Self.type(run, in: session) }
        Self.expectCompleted(id, times: 2, in: output)
        #expect(Self.errors(in: output).count == 2 * Self.expectedErrors(id), "\(id): unexpected errors\n\(output)")
        #expect(!output.contains("setup could not"), "\(output)")
    }

    @Test("every lesson completes after the others have changed the cluster")
    func lessonsAfterOthers() async throws {
        // Backwards, so each lesson starts on what a later one left: topics with records,
        // groups with members and offsets. The last lesson then runs once more, after the first.
        var order = Self.lessonIDs.reversed().filter { !Self.needsShell($0) || Self.kcat != nil }
        if let last = order.first { order.append(last) }
        let output = try await TranscriptRunner.withSession { session in
            for id in order {
                try await Self.type(["lesson start \(id)"] + Self.solutions(id) + ["lesson check"], in: session)
            }
        }
        for id in Set(order) { Self.expectCompleted(id, times: order.filter { $0 == id }.count, in: output) }
        let expected = order.map(Self.expectedErrors).reduce(0, +)
        #expect(Self.errors(in: output).count == expected, "unexpected errors\n\(output)")
        #expect(!output.contains("setup could not"), "\(output)")
    }
}
