// Repl test support: runs a transcript file's commands in-process against a live loopback
// cluster and returns the session's output, normalised where runs legitimately differ.

import TestTemporaryFiles
import Cluster
import Foundation
import Testing

@testable import Repl

/// A transcript is the exact output of a session: lines starting with the prompt
/// (`swiftka> ` or `swiftka [lesson n/m]> `) are commands, the rest is what they printed.
/// The last line states the exit status the script run would have.
enum TranscriptRunner {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Transcripts")

    static func commands(in text: String) -> [String] {
        text.split(separator: "\n", omittingEmptySubsequences: false).compactMap { line in
            guard line.hasPrefix("swiftka"), let end = line.range(of: "> ") else { return nil }
            let prompt = line[..<end.lowerBound]
            guard prompt == "swiftka" || (prompt.hasPrefix("swiftka [") && prompt.hasSuffix("]")) else { return nil }
            return String(line[end.upperBound...])
        }
    }

    /// Runs `commands` on a fresh cluster of `brokers` with a fresh home; returns the output.
    @MainActor
    static func run(_ commands: [String], brokers: Int = 3, keepGoing: Bool = true) async throws -> String {
        try await withSession(brokers: brokers) { session in
            let status = await Frontends.runScript(commands, session: session, keepGoing: keepGoing)
            session.out.line("[exit status \(status)]")
        }
    }

    /// Runs `body` with a session over a fresh cluster of `brokers` and a fresh home; returns
    /// everything the session printed, normalised.
    @MainActor
    static func withSession(brokers: Int = 3, _ body: (Session) async throws -> Void) async throws -> String {
        try await withSession(brokers: brokers) { session, _ in try await body(session) }
    }

    /// Like `withSession`, and `body` can read what was printed so far, as it is printed.
    @MainActor
    static func withSession(brokers: Int = 3, _ body: (Session, Collected) async throws -> Void) async throws -> String {
        let home = Home(path: TestTemporaryRoot.unique("transcript"))
        home.ensureExists()
        defer { try? FileManager.default.removeItem(atPath: home.path) }
        // The automatic preferred-leader election runs 10 s after leadership moves, on the wall
        // clock: it would race the commands that show leadership moving by hand, so transcripts
        // run with it an hour away (LeaderElectionSimulationTests covers it, on virtual time).
        let cluster = try EmbeddedCluster(config: EmbeddedClusterConfig(
            brokerCount: brokers, dataDirectory: home.defaultDataDirectory, ports: .ephemeral, seed: 7,
            controller: QuorumControllerConfig(leaderImbalanceCheckInterval: .seconds(3_600))))
        try await cluster.start()
        let collected = Collected()
        let out = Output(colour: false) { collected.append($0) }
        let (catalogue, errors) = LessonCatalogue.bundled()
        #expect(errors.isEmpty, "\(errors)")
        let session = Session(cluster: cluster, out: out, home: home, scriptMode: true, catalogue: catalogue)
        do {
            try await body(session, collected)
        } catch {
            await session.shutdown()
            throw error
        }
        // The session's cluster at the end: `cluster restart` may have replaced the first.
        let last = session.cluster
        let status2 = await last.status()
        await session.shutdown()
        return normalise(collected.text, clusterID: last.clusterID, dataDirectory: home.defaultDataDirectory,
                         ports: status2.brokers.map(\.port))
    }

    /// Replaces what differs between runs: ports, uptimes, the cluster id and data dir.
    static func normalise(_ text: String, clusterID: String, dataDirectory: String, ports: [Int]) -> String {
        var t = text.replacingOccurrences(of: clusterID, with: "<cluster-id>")
            .replacingOccurrences(of: dataDirectory, with: "<data-dir>")
        for (i, port) in ports.enumerated() {
            t = t.replacingOccurrences(of: "127.0.0.1:\(port)", with: "127.0.0.1:<port\(i + 1)>")
        }
        t = t.replacing(/running  \d+(\.\d)?(ms|s)|running  \d+m \d+s/, with: "running  <uptime>")
        t = t.replacing(/TopicId: [A-Za-z0-9_-]{22}/, with: "TopicId: <topic-id>")
        t = t.replacing(/\b1\d{12}\b/, with: "<ts>")
        t = t.replacing(/\b\d\d:\d\d:\d\d\.\d{3}\b/, with: "<time>")
        t = t.replacing(/in [0-9.]+(ms|s|m \d+s): [\d,]+ records\/s, [\d.]+ MB\/s/, with: "in <time>: <rate>")
        t = t.replacing(/127\.0\.0\.1:\d+/, with: "127.0.0.1:<port>")
        t = t.replacing(/crc: \d+/, with: "crc: <crc>")
        t = t.replacing(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/, with: "<uuid>")
        // Column widths follow the widest cell, which the substitutions above change: compare
        // tables by their cells, not their padding (Table has its own alignment tests).
        t = t.replacing(/[ \t]{2,}/, with: "  ")
        return normaliseQuorum(t)
    }

    /// Which node wins an election, and when things happen, depend on real timing: keep what a
    /// learner is told (who was fenced, why, what moved) and blur who led and how long it took.
    static func normaliseQuorum(_ text: String) -> String {
        let volatile = ["stands for election", "won the election", "is now the active controller",
                        "is no longer the active controller", "stopped leading quorum epoch",
                        "registration for now (DUPLICATE_BROKER_REGISTRATION)", "cut its metadata log"]
        var lines: [String] = []
        for var line in text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
            // Only narration (`+1.52s …`) and `events` lines: lesson text may use the same words.
            let isEvent = line.hasPrefix("+") || line.hasPrefix("<time>")
            if isEvent && volatile.contains(where: { line.contains($0) }) { continue }
            line = line.replacing(#/^\+\d+\.\d+s /#, with: "+<t> ")
            line = line.replacing(#/controller \d+ /#, with: "controller <c> ")
            // A broker epoch is the offset of its registration, which counts every earlier record.
            line = line.replacing(#/broker epoch \d+/#, with: "broker epoch <e>")
            line = line.replacing(#/voter, (leader \(active controller\)|follower|prospective|candidate|unattached|voted|resigned)/#,
                                  with: "voter, <role>")
            line = line.replacing(#/broker \d+ \(leader of the KRaft quorum, epoch \d+\)/#, with: "broker <c> (leader of the KRaft quorum)")
            if line.contains(#/^\d  127\.0\.0\.1/#) {
                line = line.replacing(#/  (\d+(\.\d)?(ms|s)|\d+m \d+s)$/#, with: "  <uptime>")
            }
            lines.append(line)
        }
        return lines.joined(separator: "\n")
    }

    final class Collected: @unchecked Sendable {
        // @unchecked: `stored` is touched only under `lock`.
        private let lock = NSLock()
        private var stored = ""
        var text: String {
            lock.lock()
            defer { lock.unlock() }
            return stored
        }
        func append(_ s: String) {
            lock.lock()
            defer { lock.unlock() }
            stored += s
        }
    }
}
