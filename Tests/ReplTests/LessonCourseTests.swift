// Lesson course tests. Goal: every shipped lesson can be completed on a live loopback cluster
// by typing its solutions in order: each step's check passes against the real cluster and the
// run ends with the lesson complete and its last check still holding.

import Foundation
import Testing

@testable import Repl

@Suite(.serialized) struct LessonCourseTests {
    static var lessonIDs: [String] { LessonCatalogue.bundled().0.lessons.map(\.id) }

    /// `lesson start ID`, every step's solution lines, then `lesson check`.
    static func script(for id: String) -> [String] {
        guard let lesson = LessonCatalogue.bundled().0.lesson(id) else { return [] }
        return ["lesson start \(id)"] + lesson.steps.flatMap(\.solution) + ["lesson check"]
    }

    @Test("the lesson completes by typing its solutions", arguments: lessonIDs)
    func lessonCompletes(_ id: String) async throws {
        let output = try await TranscriptRunner.run(Self.script(for: id), keepGoing: false)
        let steps = LessonCatalogue.bundled().0.lesson(id)?.steps.count ?? 0
        for n in 1...steps {
            #expect(output.contains("✓ Step \(n) done"), "\(id): step \(n) did not pass\n\(output)")
        }
        #expect(output.contains("Lesson '\(id)' is complete and its last check still holds."), "\(output)")
        #expect(output.hasSuffix("[exit status 0]\n"), "\(output)")
    }
}
