// Tidy tests: CPU-bound seeded suites keep off Swift's cooperative pool, checked on the test
// source text. The pool has one thread per core; a suite that runs seconds of simulation on
// it holds back every socket test's continuations, and their clients' deadlines expire.

import Foundation
import Testing

@Suite struct SimulationQueueTidyTests {
    static let tests = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent()

    /// The suites that run seeded simulations or crash loops, by their file names.
    static func seededSuites() throws -> [URL] {
        let names =
            FileManager.default.enumerator(atPath: tests.path)?
            .compactMap { $0 as? String } ?? []
        return names.filter {
            $0.hasSuffix("SimulationTests.swift") || $0.hasSuffix("CrashTests.swift")
        }
        .sorted().map { tests.appendingPathComponent($0) }
    }

    @Test("every test of a seeded simulation or crash suite runs through offCooperativePool")
    func seededSuitesLeaveThePool() throws {
        let files = try Self.seededSuites()
        #expect(files.count >= 8, "found only \(files.map(\.lastPathComponent))")
        for file in files {
            let text = try String(contentsOf: file, encoding: .utf8)
            // From each @Test attribute to the next: the test and any helpers after it.
            let pieces = text.components(separatedBy: "    @Test").dropFirst()
            #expect(!pieces.isEmpty, "\(file.lastPathComponent) has no tests")
            for piece in pieces where !piece.contains("offCooperativePool") {
                let name = piece.split(separator: "\n").first { $0.contains("func ") } ?? ""
                Issue.record(
                    """
                    \(file.lastPathComponent): \(name.trimmingCharacters(in: .whitespaces)) \
                    runs on the cooperative pool; wrap its body in `await offCooperativePool { }`
                    """)
            }
        }
    }
}
