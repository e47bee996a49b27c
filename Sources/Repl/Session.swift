// Repl room: one learner's session: the cluster it controls, the lesson under way, what has
// been typed, and running one line. Terminal and script front ends both drive this.

import Cluster
import Foundation

/// API names of the requests traced since the current step was shown. Filled from the
/// brokers' event loops while `trace on` runs, read by lesson checks.
///
/// `@unchecked Sendable`: `names` is only touched under `lock`.
public final class TraceLog: @unchecked Sendable {
    private let lock = NSLock()
    private var names: Set<String> = []

    public func record(_ api: String) {
        lock.lock()
        defer { lock.unlock() }
        names.insert(api)
    }

    public var seen: Set<String> {
        lock.lock()
        defer { lock.unlock() }
        return names
    }

    public func clear() {
        lock.lock()
        defer { lock.unlock() }
        names = []
    }
}

/// The REPL's state and the one way lines are executed.
@MainActor
public final class Session {
    /// The cluster commands act on; `cluster restart` replaces it (see Session+Restart).
    public internal(set) var cluster: EmbeddedCluster
    /// The cluster the REPL was started with, which `cluster restart` can go back to.
    public let starting: StartingCluster
    /// Its configuration: every restarted cluster is made from it (ports, seed, timings).
    let startingConfig: EmbeddedClusterConfig
    public let out: Output
    public let home: Home
    public let scriptMode: Bool
    public var lessons: LessonRunner
    /// Commands since the current lesson step was shown (bounded).
    public private(set) var recent: [ExecutedCommand] = []
    public private(set) var quitRequested = false
    /// The REPL's own Kafka client, over real sockets to the cluster.
    let clients: ClientSession
    /// Group members started with `group join`, and the events they report.
    let groupMembers = GroupMembers()
    /// The highest offset a `consume` returned per partition this step (for `consumed … up
    /// to offset` checks).
    public internal(set) var consumed: [TopicPartition: Int64] = [:]
    /// The offsets each `consume` this step returned, one range per consume and partition
    /// (bounded), and how many records a consume returned that an earlier one this step had
    /// returned too: at-least-once delivery made visible (`read a record again`).
    public internal(set) var readRanges: [TopicPartition: [ClosedRange<Int64>]] = [:]
    public internal(set) var rereadRecords = 0
    static let readRangesMax = 200
    /// Requests traced this step (for `traced a Produce request` checks).
    public let traceLog = TraceLog()
    /// The answer given to this step's question, and whether it was right.
    public internal(set) var answered: (answer: String, correct: Bool)?
    /// The cluster's bootstrap servers, read before every command (for `{bootstrap}` in lessons).
    public private(set) var bootstrap = ""
    static let recentMax = 200

    public init(cluster: EmbeddedCluster, out: Output, home: Home, scriptMode: Bool, catalogue: LessonCatalogue) {
        self.cluster = cluster
        self.out = out
        self.home = home
        self.scriptMode = scriptMode
        self.startingConfig = cluster.config
        self.starting = StartingCluster(
            dataDirectory: cluster.config.dataDirectory, brokerCount: cluster.config.brokerCount,
            voterCount: cluster.config.voters.count)
        self.lessons = LessonRunner(catalogue: catalogue, progressFile: home.progressFile)
        let events = cluster.events
        self.lessons.eventsMark = { events.mark }
        self.clients = ClientSession()
        // Read at each new connection, so the client follows `cluster restart`.
        clients.bootstrap = { [weak self] () async -> [String] in
            await self?.cluster.status().brokers.map(\.address) ?? []
        }
    }

    /// The prompt shows where the learner is: `swiftka [welcome 2/5]> `.
    public var prompt: String {
        if let position = lessons.position { return "swiftka [\(position)]> " }
        return "swiftka> "
    }

    func requestQuit() { quitRequested = true }

    /// Closes the REPL's client connections (before the cluster shuts down).
    public func closeClients() async {
        await groupMembers.stopAll()
        await clients.close()
    }

    /// Ends the session's hold on its cluster: clients closed, the cluster shut down cleanly,
    /// and a scratch cluster's directory removed (see `RestartPlan`).
    public func shutdown() async {
        await closeClients()
        await cluster.shutdown()
        removeScratchDirectory(of: cluster)
    }

    /// Runs one line. Returns false when the command failed (usage or runtime), which ends a
    /// script run. Never throws: every error is printed with what to type instead.
    @discardableResult
    public func execute(_ line: String) async -> Bool {
        let trimmed = line.trimmingCharacters(in: .whitespaces)
        if trimmed.isEmpty || trimmed.hasPrefix("#") { return true }
        if let problem = TypedLine.problem(with: trimmed) {
            out.line("error: \(problem).", .failure)
            return false
        }
        let words: [String]
        do {
            words = try Tokenizer.split(trimmed)
        } catch {
            out.line("error: \(error.description). Close the quote and try again.", .failure)
            return false
        }
        guard let command = CommandRegistry.find(words) else {
            reportUnknown(words)
            return false
        }
        bootstrap = await cluster.status().bootstrap
        let spec = command.spec
        var executed = ExecutedCommand(words: words, succeeded: true)
        do throws(ReplError) {
            let invocation = try Invocation.parse(spec, rest: Array(words.dropFirst(spec.words.count)), words: words)
            executed.name = spec.name
            executed.positionals = invocation.positionals
            executed.flags = invocation.flags
            try await command.run(invocation, in: self)
        } catch {
            switch error {
            case .usage(let message):
                out.line("error: \(Abbreviated.message(message, typed: words))", .failure)
                out.line("usage: \(spec.synopsis)    (try: help \(spec.name))")
            case .failed(let message) where Task.isCancelled:
                // Ctrl-C: what the command was doing when it stopped, not an error.
                out.line(message, .dim)
            case .failed(let message):
                out.line("error: \(Abbreviated.message(message, typed: words))", .failure)
                executed.errorNames = ErrorNames.found(in: message)
            }
            executed.succeeded = false
        }
        let succeeded = executed.succeeded
        await cluster.settle()
        for notice in cluster.notices.drain() {
            groupMembers.log(notice)
            // Group state changes are many and are what `events` is for; the rest are rare
            // and worth seeing at once (recovery cuts, retention, deleted logs), except the
            // logs a lesson's setup deleted, which its "Setup:" line already reported.
            if notice.contains(": group ") { continue }
            if setupDeletedTopics.contains(where: { notice.contains("deleted the log of \($0)-") }) { continue }
            out.line("note: " + notice, .note)
        }
        remember(executed)
        if spec.group != "lessons" || [["lesson", "start"], ["lesson", "reset"], ["answer"]].contains(spec.words) {
            await lessons.afterCommand(in: self)
        }
        return succeeded
    }

    private func remember(_ command: ExecutedCommand) {
        recent.append(command)
        if recent.count > Self.recentMax { recent.removeFirst(recent.count - Self.recentMax) }
    }

    /// Topics the last lesson setup deleted: the brokers' notices about their logs are not
    /// repeated to the learner.
    private var setupDeletedTopics: [String] = []

    func quietLogDeletions(of topics: [String]) { setupDeletedTopics = topics }

    /// Called when a lesson step is shown: checks look only at what happens from now on.
    func startStepHistory() {
        recent = []
        consumed = [:]
        readRanges = [:]
        rereadRecords = 0
        traceLog.clear()
        answered = nil
    }

    private func reportUnknown(_ words: [String]) {
        let family = CommandRegistry.family(words[0])
        if !family.isEmpty {
            let subs = family.map { $0.words.dropFirst().joined(separator: " ") }.filter { !$0.isEmpty }
            let what = words.count > 1 ? "Unknown subcommand '\(Abbreviated.word(words[1]))' for '\(words[0])'." : "'\(words[0])' needs a subcommand."
            out.line("error: \(what) Try one of: \(subs.map { "\(words[0]) \($0)" }.joined(separator: ", ")).", .failure)
            return
        }
        var message = "error: Unknown command '\(Abbreviated.word(words[0]))'."
        if let suggestion = CommandRegistry.suggestion(for: words) { message += " Did you mean '\(suggestion)'?" }
        out.line(message + " Type 'help' for the list.", .failure)
    }
}

extension Session {
    /// Keeps the offsets one `consume` returned, for the `read a record again` check.
    func noteRead(_ ranges: [TopicPartition: ClosedRange<Int64>]) {
        for (tp, range) in ranges {
            readRanges[tp, default: []].append(range)
            if let n = readRanges[tp]?.count, n > Self.readRangesMax { readRanges[tp]?.removeFirst(n - Self.readRangesMax) }
        }
    }
}
