// Lesson tests. Goal: every shipped lesson parses and uses only known checks; broken lesson
// files are rejected with file:line; every file in Lessons/Files is compiled in.

import Foundation
import Lessons
import Testing

@testable import Repl

@Suite struct LessonValidationTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")
    static let lessonsDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Lessons/Files")

    @Test("every bundled lesson loads, has steps, and every step has checks, a hint and a solution")
    func bundledLessonsLoad() {
        let (catalogue, errors) = LessonCatalogue.bundled()
        #expect(errors.isEmpty, "\(errors)")
        #expect(catalogue.lessons.map(\.id).first == "welcome")
        #expect(Set(catalogue.lessons.map(\.id)).count == catalogue.lessons.count, "lesson ids are unique")
        for lesson in catalogue.lessons {
            #expect(!lesson.steps.isEmpty)
            for step in lesson.steps {
                #expect(!step.checks.isEmpty && !step.hint.isEmpty && !step.solution.isEmpty)
            }
        }
    }

    @Test("every solution command names a real command")
    @MainActor func solutionsAreCommands() throws {
        for lesson in LessonCatalogue.bundled().0.lessons {
            for step in lesson.steps {
                for line in step.solution + step.tryCommands {
                    let words = try Tokenizer.split(line)
                    #expect(CommandRegistry.find(words) != nil, "\(lesson.id): '\(line)' is not a command")
                }
            }
        }
    }

    @Test("every file in Lessons/Files is listed in lessonFiles")
    func everyFileCompiledIn() throws {
        let onDisk = try FileManager.default.contentsOfDirectory(atPath: Self.lessonsDirectory.path)
            .filter { $0.hasSuffix(".md") }.sorted()
        #expect(onDisk == lessonFiles.map(\.name).sorted())
    }

    @Test("an unknown check is rejected with its file and line and the known forms")
    func unknownCheck() throws {
        let text = try String(contentsOf: Self.fixtures.appendingPathComponent("broken-lesson.md"), encoding: .utf8)
        #expect(throws: LessonFileError.self) { _ = try LessonParser.parse(text, file: "broken-lesson.md") }
        do {
            _ = try LessonParser.parse(text, file: "broken-lesson.md")
        } catch {
            #expect(error.description.hasPrefix("broken-lesson.md:10: unknown check 'brokr 2 is down'"))
            #expect(error.description.contains("broker <id> is up|down"))
        }
    }

    @Test("a step without a hint is rejected at the step's line")
    func missingHint() throws {
        let text = try String(contentsOf: Self.fixtures.appendingPathComponent("no-hint-lesson.md"), encoding: .utf8)
        #expect(throws: LessonFileError(file: "f.md", line: 6, message: "step 'Only step' has no 'hint:' line")) {
            _ = try LessonParser.parse(text, file: "f.md")
        }
    }

    @Test("front matter mistakes are located", arguments: [
        ("no front matter", "id: x\n", 1),
        ("---\nid: x\ntitle: t\n", "unclosed", 4),
        ("---\nid: x\ntitle: t\nsummary: s\ncolour: red\n---\n", "unknown key", 5),
        ("---\nid: x\ntitle: t\nsummary: s\n---\nno steps\n", "no steps", 7),
    ])
    func frontMatter(text: String, what: String, line: Int) {
        do {
            _ = try LessonParser.parse(text, file: "t.md")
            Issue.record("\(what) was accepted")
        } catch {
            #expect(error.line == line, "\(what): \(error)")
        }
    }

    @Test("checks parse into typed predicates and print back the same")
    func checkVocabulary() {
        for text in ["ran broker list", "broker 2 is down", "broker 1 is killed", "all brokers are up"] {
            #expect(LessonCheck.parse(text)?.description == text)
        }
        for text in ["broker x is down", "broker 2 is sleepy", "ran", "all brokers are down"] {
            #expect(LessonCheck.parse(text) == nil)
        }
    }
}
