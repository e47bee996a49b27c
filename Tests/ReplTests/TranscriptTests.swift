// REPL transcript tests. Goal: each file in Transcripts/ is exactly what a session prints for
// its commands on a real loopback cluster. SWIFTKA_REWRITE=1 regenerates them; read the diff.

import Foundation
import Testing

@testable import Repl

@Suite(.serialized) struct TranscriptTests {
    static var files: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: TranscriptRunner.directory.path)) ?? [])
            .filter { $0.hasSuffix(".transcript") }.sorted()
    }

    @Test("the transcript matches a live run", arguments: files)
    func transcript(_ name: String) async throws {
        let url = TranscriptRunner.directory.appendingPathComponent(name)
        let expected = try String(contentsOf: url, encoding: .utf8)
        let commands = TranscriptRunner.commands(in: expected)
        #expect(!commands.isEmpty, "\(name) has no commands")
        let actual = try await TranscriptRunner.run(commands)
        if ProcessInfo.processInfo.environment["SWIFTKA_REWRITE"] == "1" {
            try actual.write(to: url, atomically: true, encoding: .utf8)
            return
        }
        if actual != expected {
            let a = actual.split(separator: "\n", omittingEmptySubsequences: false)
            let e = expected.split(separator: "\n", omittingEmptySubsequences: false)
            let first = Array(zip(a, e)).firstIndex { $0 != $1 } ?? min(a.count, e.count)
            Issue.record("""
                \(name) differs at line \(first + 1):
                  expected: \(first < e.count ? String(e[first]) : "<end>")
                  actual:   \(first < a.count ? String(a[first]) : "<end>")
                (SWIFTKA_REWRITE=1 swift test --filter TranscriptTests regenerates; read the diff)
                """)
        }
    }

    @Test("the transcript list is not empty")
    func someTranscripts() { #expect(Self.files.count >= 4) }
}
