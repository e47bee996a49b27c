// REPL tests: bad input to every command. Goal: each command in the registry, fed the kinds of
// bad input its spec makes possible (no arguments, one too many, an unknown flag, a word where
// a number goes, numbers out of range, an over-long line or topic name, control characters,
// bytes that were not UTF-8), answers with one `error:` line, followed by one `usage:` line when
// the line itself was wrong, and fails a script run with status 1; nothing crashes or hangs.
// Method: the cases come from each `CommandSpec`, so a new command is covered as soon as it is
// registered. One live loopback cluster serves the whole table; every case is refused before
// its command acts, so even `cluster restart` and `broker kill` leave the cluster as it was
// (the table checks that too, at the end).

import Cluster
import Foundation
import Testing

@testable import Repl

@Suite(.serialized) struct BadInputTests {
    struct Case: CustomStringConvertible {
        var line: String
        var why: String
        var description: String { "\(why): \(TypedLine.shown(line))" }
    }

    /// A word a positional or flag of `kind` accepts, so that a case breaks only one thing.
    static func valid(_ kind: ArgumentKind) -> String {
        switch kind {
        case .topic: return "t1"
        case .newTopic: return "t-new"
        case .brokerID: return "1"
        case .lessonID: return "welcome"
        case .commandName: return "status"
        case .group: return "g1"
        case .free: return "x"
        case .choice(let words): return words.first ?? "x"
        case .number(let range): return "\(max(range.lowerBound, 0))"
        }
    }

    static func kind(of spec: CommandSpec, at index: Int) -> ArgumentKind {
        spec.arguments.isEmpty ? .free : spec.arguments[min(index, spec.arguments.count - 1)]
    }

    /// The required positionals, each valid.
    static func required(_ spec: CommandSpec) -> [String] {
        (0..<spec.positionalCount.lowerBound).map { valid(kind(of: spec, at: $0)) }
    }

    /// Words that are not a number in `range`, each with what is wrong with it.
    static func badNumbers(_ range: ClosedRange<Int>) -> [(String, String)] {
        var bad = [("abc", "not a number"), ("99999999999999999999", "beyond 64 bits")]
        if range.lowerBound > Int.min { bad.append(("\(range.lowerBound - 1)", "below the least")) }
        if range.lowerBound >= 1 { bad.append(("-1", "negative")) }
        if range.upperBound < Int(Int32.max) + 1 { bad.append(("2147483648", "above Int32.max")) }
        if range.upperBound < Int.max { bad.append(("\(range.upperBound + 1)", "above the most")) }
        return bad
    }

    static let badBrokers = [("two", "not a number"), ("-1", "negative"), ("0", "no such broker"), ("2147483648", "above Int32.max")]
    static let longTopic = String(repeating: "t", count: 10_000)

    /// Every case for one command, from its spec alone.
    static func cases(for spec: CommandSpec) -> [Case] {
        let name = spec.name
        let base = required(spec)
        func line(_ words: [String]) -> String { ([name] + words).joined(separator: " ") }
        var cases: [Case] = []
        // Commands whose spec accepts no positionals run with none: that is not bad input.
        if spec.positionalCount.lowerBound > 0 { cases.append(Case(line: name, why: "no arguments")) }
        let tooMany = (0...spec.positionalCount.upperBound).map { valid(kind(of: spec, at: $0)) }
        cases.append(Case(line: line(tooMany), why: "one argument too many"))
        cases.append(Case(line: line(base + ["--frobnicate"]), why: "an unknown flag"))
        cases.append(Case(line: line(base + [String(repeating: "a", count: 100_000)]), why: "a 100 KB line"))
        cases.append(Case(line: line(base + ["a\u{1B}[31mb"]), why: "an escape sequence"))
        cases.append(Case(line: line(base + ["a\u{7}b"]), why: "a bell character"))
        cases.append(Case(line: line(base + [String(decoding: [0xFF, 0xFE], as: UTF8.self)]), why: "bytes that were not UTF-8"))
        let positionals = max(spec.positionalCount.lowerBound, min(spec.positionalCount.upperBound, spec.arguments.count))
        for index in 0..<positionals {
            var words = (0..<positionals).map { valid(kind(of: spec, at: $0)) }
            let bad: [(String, String)]
            switch kind(of: spec, at: index) {
            case .number(let range): bad = badNumbers(range)
            case .brokerID: bad = badBrokers
            case .topic, .newTopic: bad = [(longTopic, "a 10,000-character topic name"), ("a/b", "a topic name Kafka refuses")]
            default: bad = []
            }
            for (word, what) in bad {
                words[index] = word
                cases.append(Case(line: line(words), why: "argument \(index + 1): \(what)"))
            }
        }
        for flag in spec.flags {
            let bad: [(String, String)]
            switch flag.value {
            case .number(let range)?: bad = badNumbers(range)
            case .brokerID?: bad = badBrokers
            case .topic?, .newTopic?: bad = [(longTopic, "a 10,000-character topic name")]
            default: bad = []
            }
            for (word, what) in bad {
                cases.append(Case(line: line(base + [flag.name, word]), why: "\(flag.name): \(what)"))
            }
        }
        return cases
    }

    /// What is wrong with the output of a refused case, or nil when it is as it should be:
    /// the echo, one `error:` line, perhaps one `usage:` line, and the script's stop line.
    static func problem(with printed: [String]) -> String? {
        let lines = printed.filter { !$0.hasPrefix("note: ") }
        guard lines.count >= 3, lines[0].hasPrefix("swiftka> "), lines.last?.hasPrefix("script: stopped at line 1 ") == true else {
            return "not echo, error and stop line"
        }
        let said = Array(lines.dropFirst().dropLast())
        guard said[0].hasPrefix("error: "), said.filter({ $0.hasPrefix("error: ") }).count == 1 else { return "not one error line" }
        if said.count == 2 && !said[1].hasPrefix("usage: ") { return "a second line that is not the usage" }
        if said.count > 2 { return "\(said.count) lines" }
        if let long = lines.first(where: { $0.count > 500 }) { return "a line of \(long.count) characters" }
        if lines.contains(where: { $0.unicodeScalars.contains { TypedLine.isControl($0) } }) { return "a control character printed" }
        return nil
    }

    @Test("every registered command refuses each bad input with one clear line and fails the script", .timeLimit(.minutes(10)))
    @MainActor
    func everyCommand() async throws {
        var failures: [String] = []
        var count = 0
        _ = try await TranscriptRunner.withSession(brokers: 1) { session, printed in
            #expect(await session.execute("topic create t1 --partitions 2"))
            let brokersBefore = await session.cluster.status().brokers.map(\.state)
            for command in CommandRegistry.commands {
                let cases = Self.cases(for: command.spec)
                #expect(cases.count >= 6, "\(command.spec.name) has only \(cases.count) cases")
                for c in cases {
                    count += 1
                    let mark = printed.text.utf8.count
                    let status = await Frontends.runScript([c.line], session: session, keepGoing: false)
                    let output = String(decoding: Array(printed.text.utf8).dropFirst(mark), as: UTF8.self)
                    let lines = output.split(separator: "\n", omittingEmptySubsequences: true).map(String.init)
                    if let dump = ProcessInfo.processInfo.environment["SWIFTKA_BAD_INPUT_DUMP"] {
                        if !FileManager.default.fileExists(atPath: dump) { _ = FileManager.default.createFile(atPath: dump, contents: nil) }
                        let handle = FileHandle(forWritingAtPath: dump)
                        handle?.seekToEndOfFile()
                        handle?.write(Data(("# \(c.why)\n" + lines.map { String($0.prefix(300)) }.joined(separator: "\n") + "\n").utf8))
                        try? handle?.close()
                    }
                    if status != 1 {
                        failures.append("\(command.spec.name) — \(c.why): exit status \(status)\n  " + lines.joined(separator: "\n  "))
                    } else if let problem = Self.problem(with: lines) {
                        failures.append("\(command.spec.name) — \(c.why): \(problem)\n  " + lines.map { String($0.prefix(300)) }.joined(separator: "\n  "))
                    }
                }
            }
            // Nothing was done: the brokers run as before and the one topic is still there.
            #expect(await session.cluster.status().brokers.map(\.state) == brokersBefore)
            #expect(session.cluster.image.topicNames.filter { !$0.hasPrefix("__") } == ["t1"])
        }
        #expect(count > 300, "only \(count) cases")
        #expect(failures.isEmpty, "\(failures.count) of \(count) cases:\n\(failures.joined(separator: "\n"))")
    }

    @Test("a line from a script that was not UTF-8 is named by its number; the other lines run with --keep-going")
    @MainActor
    func notUTF8InScript() async throws {
        let lines = ScriptLineSplitter.lines(of: Array("topic list\n".utf8) + [0xFF, 0xFE, 0x0A] + Array("status\r\n".utf8))
        #expect(lines == [.text("topic list"), .notUTF8, .text("status")])
        let output = try await TranscriptRunner.withSession(brokers: 1) { session in
            let status = await Frontends.runScript(lines, session: session, keepGoing: true)
            session.out.line("[exit status \(status)]")
        }
        let printed = output.split(separator: "\n").map(String.init)
        #expect(printed.contains("error: line 2 of the script is not valid UTF-8 text, so it was not run; "
                                 + "save the script as UTF-8 (iconv -t UTF-8 converts it) and run it again."))
        #expect(printed.contains("swiftka> status"))
        #expect(printed.last == "[exit status 1]")
    }

    @Test("a script line is split from bytes as they arrive, bounded, with the last line kept without a newline")
    func splitter() {
        var splitter = ScriptLineSplitter()
        #expect(splitter.feed(Array("sta".utf8)).isEmpty)
        #expect(splitter.feed(Array("tus\nx".utf8)) == [.text("status")])
        // The rest of a too-long line is counted, not kept.
        #expect(splitter.feed(Array(repeating: UInt8(ascii: "x"), count: TypedLine.bytesMax + 10) + [0x0A])
                == [.tooLong(bytes: TypedLine.bytesMax + 11)])
        #expect(splitter.feed(Array("bro".utf8)).isEmpty)
        #expect(splitter.feed(Array("ker list".utf8)).isEmpty)
        #expect(splitter.finish() == [.text("broker list")])
        #expect(ScriptLineSplitter.lines(of: Array("a\n\nb\n".utf8)) == [.text("a"), .text(""), .text("b")])
        #expect(ScriptLineSplitter.lines(of: [0x61, 0xC3]) == [.notUTF8])
    }

    @Test("a line is echoed without its control characters and with long words cut short")
    func shown() {
        #expect(TypedLine.shown("produce t \u{1B}[31mred") == "produce t ^[[31mred")
        #expect(TypedLine.shown("a\u{7F}b\u{85}") == "a^?b<U+0085>")
        let long = String(repeating: "y", count: 1_000)
        #expect(TypedLine.shown("topic describe " + long) == "topic describe " + Abbreviated.word(long))
        #expect(Abbreviated.word(long) == String(repeating: "y", count: 24) + "…" + String(repeating: "y", count: 8) + " (1000 characters)")
        #expect(TypedLine.shown("produce orders --key k hello") == "produce orders --key k hello")
    }
}
