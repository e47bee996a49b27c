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

    @Test("every solution command names a real command; second-terminal lines are kcat")
    @MainActor func solutionsAreCommands() throws {
        for lesson in LessonCatalogue.bundled().0.lessons {
            for step in lesson.steps {
                for line in step.solution + step.tryCommands {
                    if line.hasPrefix("$ ") {
                        #expect(line.contains("kcat -b {bootstrap}"), "\(lesson.id): '\(line)' is not a kcat line for this cluster")
                        continue
                    }
                    let words = try Tokenizer.split(line)
                    #expect(CommandRegistry.find(words) != nil, "\(lesson.id): '\(line)' is not a command")
                }
            }
        }
    }

    @Test("every 'ran' check names a command and flags it has")
    @MainActor func ranChecksParse() {
        for lesson in LessonCatalogue.bundled().0.lessons {
            for step in lesson.steps {
                for case .ran(let words, _) in step.checks {
                    #expect(CommandPattern.parse(words, specs: CommandRegistry.specs) != nil,
                            "\(lesson.id) '\(step.title)': 'ran \(words.joined(separator: " "))' names no command")
                }
            }
        }
    }

    @Test("every step has a goal, and its hint nudges without being the solution")
    func goalsAndHints() {
        for lesson in LessonCatalogue.bundled().0.lessons {
            for step in lesson.steps {
                #expect(!step.goal.isEmpty, "\(lesson.id) '\(step.title)' has no goal")
                for line in step.solution where !line.hasPrefix("lesson ") && !line.hasPrefix("answer ") {
                    #expect(!step.hint.contains(line), "\(lesson.id) '\(step.title)': the hint gives away '\(line)'")
                }
            }
        }
    }

    @Test("from the third lesson on, every lesson has a step that states only its goal")
    func goalOnlySteps() {
        for lesson in LessonCatalogue.bundled().0.lessons.dropFirst(2) {
            #expect(lesson.steps.contains { $0.isGoalOnly }, "\(lesson.id) gives every command to copy")
        }
    }

    @Test("the course asks the learner to predict: several lessons have a question")
    func predictions() {
        let asked = LessonCatalogue.bundled().0.lessons.filter { $0.steps.contains { $0.question != nil } }
        #expect(asked.count >= 5, "\(asked.map(\.id))")
    }

    @Test("a lesson's setup clears every topic and group its solutions create, and stops members")
    func setupMatchesSolutions() throws {
        for lesson in LessonCatalogue.bundled().0.lessons {
            let lines = try lesson.steps.flatMap(\.solution).filter { !$0.hasPrefix("$ ") }.map { try Tokenizer.split($0) }
            for words in lines where words.starts(with: ["topic", "create"]) && words.count > 2 {
                let declared = lesson.setup.contains(.topicAbsent(words[2])) || lesson.setup.contains { if case .topicPresent(words[2], _) = $0 { true } else { false } }
                #expect(declared, "\(lesson.id) creates topic \(words[2]) without 'setup: no topic \(words[2])'")
            }
            var groups: [String] = []
            for words in lines {
                if words.starts(with: ["group", "join"]) && words.count > 2 { groups.append(words[2]) }
                if words.first == "consume", let at = words.firstIndex(of: "--group"), at + 1 < words.count { groups.append(words[at + 1]) }
            }
            for group in Set(groups) {
                #expect(lesson.setup.contains(.groupAbsent(group)), "\(lesson.id) uses group \(group) without 'setup: no group \(group)'")
            }
            if !groups.isEmpty || lesson.setup.contains(where: { if case .topicAbsent = $0 { true } else { false } }) {
                #expect(lesson.setup.contains(.noGroupMembers), "\(lesson.id) changes topics or groups but leaves members running")
            }
        }
    }

    @Test("setup lines parse", arguments: [
        ("all brokers up", LessonSetup.allBrokersUp), ("no group members", .noGroupMembers),
        ("no topic orders", .topicAbsent("orders")), ("topic orders with 3 partitions", .topicPresent("orders", partitions: 3)),
        ("no group billing", .groupAbsent("billing")),
    ])
    func setupParses(text: String, setup: LessonSetup) {
        #expect(LessonSetup.parse(text) == setup)
        #expect(setup.description == text)
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
        for text in [
            "ran broker list", "then ran broker list", "broker 2 is down", "broker 1 is killed", "all brokers are up",
            "saw OFFSET_OUT_OF_RANGE", "traced a Produce request", "answered the question",
            "latest offset of orders-0 is 3", "latest offset of orders-0 is at least 3", "latest offset of orders-0 is at most 3",
            "log start offset of clicks-0 is above 0", "topic payments holds at least 10000 records",
            "partition clicks-0 has at least 3 segments", "partition clicks-0 has 2 segments",
            "committed offset of g on t-0 is 0", "lag of group g is 0", "lag of group g is at least 3",
            "record with key k is in t-1", "record with key k and value v is in t-1", "record with a key and a header is in t",
            "records with key k in t are a,b,c in order", "a member of group g owns 0 partitions",
            "every member of group g owns 1 partitions", "consumed records of t", "consumed t-0 up to offset 2",
            "broker 2 is fenced", "broker 3 is unfenced", "leader of t-0 is none", "leader of t-0 is 2",
            "active controller changed since the step began", "leader of t-0 is not 2", "ISR of orders-1 has 2 members",
            "ISR of t-0 has 3 members", "every broker holds 6 replicas of mytopic", "every broker holds 0 replicas of t",
            "every broker holds between 4 and 6 replicas of mytopic", "cluster has 6 brokers", "read a record again",
        ] {
            #expect(LessonCheck.parse(text)?.description == text, "\(text)")
        }
        for text in ["broker x is down", "broker 2 is sleepy", "ran", "all brokers are down", "latest offset of t-0 is lots",
                     "lag of group g is", "some member of group g owns 1 partitions", "then ran",
                     "leader of t-0 is nobody", "active controller changed", "leader of t-0 is not", "leader of t-0 is not none",
                     "leader of t is not 2", "ISR of t-0 has many members", "ISR of t-0 has -1 members", "isr of t-0 has 2 members",
                     "ISR of t-0 has 2", "every broker holds 6 replicas", "every broker holds six replicas of t",
                     "every broker has 6 replicas of t", "every broker holds between 6 and 4 replicas of t",
                     "every broker holds between 4 and six replicas of t", "every broker holds between 4 6 replicas of t",
                     "cluster has 0 brokers", "cluster has six brokers", "cluster has 6", "read a record", "read records again"] {
            #expect(LessonCheck.parse(text) == nil, "\(text)")
        }
        #expect(LessonCheck.parse("every broker holds between 4 and 6 replicas of mytopic") == .replicasPerBroker(topic: "mytopic", 4...6))
        #expect(LessonCheck.parse("every broker holds 6 replicas of mytopic") == .replicasPerBroker(topic: "mytopic", 6...6))
        #expect(LessonCheck.parse("cluster has 6 brokers") == .clusterBrokers(6))
    }

    @Test("a 'ran' check matches the parsed command: any flag order, --flag=value, * for any value")
    @MainActor func ranMatchesParsedCommand() throws {
        let specs = CommandRegistry.specs
        func executed(_ line: String) throws -> ExecutedCommand {
            let words = try Tokenizer.split(line)
            let spec = try #require(longestMatch(words, in: specs))
            let (positionals, flags) = try Invocation.split(spec, rest: Array(words.dropFirst(spec.words.count)))
            return ExecutedCommand(words: words, succeeded: true, name: spec.name, positionals: positionals, flags: flags)
        }
        func matches(_ pattern: String, _ line: String) throws -> Bool {
            let p = try #require(CommandPattern.parse(pattern.split(separator: " ").map(String.init), specs: specs))
            return p.matches(try executed(line))
        }
        #expect(try matches("produce payments --acks 0", "produce payments --acks=0 \"fire and forget\""))
        #expect(try matches("produce payments --acks all", "produce payments \"safe2\" --acks all"))
        #expect(try matches("produce payments --acks all", "produce payments --acks -1 x"))
        #expect(try matches("produce payments --count *", "produce payments --size=100 --count=20000"))
        #expect(try matches("consume events --partition 0 --offset 1", "consume events --offset 1 --partition 0"))
        #expect(try matches("produce payments --partition *", "produce --partition 1 payments x"))
        #expect(!(try matches("produce payments --partition *", "produce payments x")))
        #expect(!(try matches("produce payments --acks 0", "produce payments --acks 1 x")))
        #expect(!(try matches("consume events", "consume orders")))
        #expect(!(try matches("group describe support", "group list")))
    }
}
