// Tidy tests: the determinism rules of STYLE.md §2, checked on the source text. Decision rooms
// (Protocol, Metadata, Controller, Groups, Storage, Broker) must not reach for clocks, random
// numbers, threads, Foundation or NIOPosix; each banned use is named with its replacement.

import Foundation
import Testing

@Suite struct TidyTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Sources/Cluster")
    static let pureRooms = ["Protocol", "Metadata", "Controller", "Groups", "Storage", "Broker"]
    /// The edge files inside those rooms that may touch the operating system.
    static let edgeFiles: Set<String> = ["PosixFileSystem.swift"]
    static let banned: [(String, String)] = [
        ("Date()", "take wall-clock milliseconds as an argument"),
        ("UUID()", "draw ids from the seeded SplitMix64"),
        (".random(", "use the node's seeded SplitMix64"),
        ("SystemRandomNumberGenerator", "use the node's seeded SplitMix64"),
        ("ProcessInfo", "pass configuration in"),
        ("Task {", "return an effect; the edge runs tasks"),
        ("DispatchQueue", "return an effect; the edge schedules"),
        ("FileManager", "go through the injected FileSystem"),
        ("Thread.sleep", "keep a deadline in state and wait for tick(now:)"),
        ("import Foundation", "use the standard library and NIOCore"),
        ("import NIOPosix", "keep sockets in Network/Node"),
    ]

    @Test("decision rooms use no clocks, randomness, threads, Foundation or NIOPosix", arguments: pureRooms)
    func room(_ room: String) throws {
        let dir = Self.root.appendingPathComponent(room)
        let files = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasSuffix(".swift") }
        #expect(!files.isEmpty)
        for file in files where !Self.edgeFiles.contains(file) {
            let text = try String(contentsOf: dir.appendingPathComponent(file), encoding: .utf8)
            for (n, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                let code = line.split(separator: "//", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
                for (token, instead) in Self.banned where code.contains(token) {
                    Issue.record("\(room)/\(file):\(n + 1) uses \(token): \(instead)")
                }
            }
        }
    }
}
