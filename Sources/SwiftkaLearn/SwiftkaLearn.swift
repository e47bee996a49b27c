// The root command: an embedded cluster plus the REPL, interactive or from a script.

import ArgumentParser
import Cluster
import Foundation
import Repl

@main
struct SwiftkaLearn: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "swiftka-learn",
        abstract: "A terminal classroom for Apache Kafka, over a real Kafka-compatible cluster running in this process.",
        version: "swiftka-learn 0.1.0",
        subcommands: [Serve.self])

    @OptionGroup var cluster: ClusterOptions

    @Option(name: .long, help: "Run REPL commands from FILE ('-' for standard input) instead of a terminal.")
    var script: String?

    @Flag(name: .long, help: "In a script, run on after a failed command (the exit status is still 1).")
    var keepGoing = false

    @Flag(name: .long, help: "No colour (NO_COLOR does the same).")
    var noColor = false

    mutating func run() async throws {
        let home = Home.fromEnvironment()
        home.ensureExists()
        // A script from standard input runs line by line as it arrives (a pipe can drive the
        // REPL); a file is read whole, so a missing one fails before the cluster starts.
        let scriptLines: AsyncStream<ScriptLine>?
        if let script, script != "-" {
            let lines = try readScript(script)
            let (stream, continuation) = AsyncStream<ScriptLine>.makeStream()
            for line in lines { continuation.yield(line) }
            continuation.finish()
            scriptLines = stream
        } else if script == "-" || isatty(STDIN_FILENO) == 0 {
            scriptLines = await Frontends.standardInputLines()
        } else {
            scriptLines = nil
        }
        let plan: PortPlan = cluster.port.map { $0 == 0 ? .ephemeral : .fixed(base: $0) } ?? .preferred(base: 9092)
        let (cluster, temporary) = try await cluster.startCluster(home: home, ports: plan)
        let out = Output.standard(colour: colourWanted(noColourFlag: noColor, script: scriptLines != nil))
        let (catalogue, lessonErrors) = LessonCatalogue.bundled()
        let session = await MainActor.run { () -> Session in
            Session(cluster: cluster, out: out, home: home, scriptMode: scriptLines != nil, catalogue: catalogue)
        }
        let status: Int32 = await session.run(script: scriptLines, keepGoing: keepGoing, lessonErrors: lessonErrors, home: home)
        // The session's cluster: `cluster restart` may have replaced the one started here.
        await session.shutdown()
        if let temporary { try? FileManager.default.removeItem(atPath: temporary) }
        if status != 0 { throw ExitCode(status) }
    }

    /// The script's lines, each decoded alone: a line that is not UTF-8 fails when the run
    /// reaches it, with its number, rather than refusing the whole file.
    private func readScript(_ path: String) throws -> [ScriptLine] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ValidationError("Cannot read the script '\(path)'. Give a readable file, or '-' for standard input.")
        }
        return ScriptLineSplitter.lines(of: data)
    }
}

extension Session {
    /// Runs the session to its end and returns the process exit status.
    func run(script: AsyncStream<ScriptLine>?, keepGoing: Bool, lessonErrors: [LessonFileError], home: Home) async -> Int32 {
        for error in lessonErrors { out.line("warning: lesson skipped: \(error)") }
        if let script {
            return await Frontends.runScript(script, session: self, keepGoing: keepGoing)
        }
        await Welcome.show(self)
        guard let editor = LineEditor(historyFile: home.historyFile) else {
            out.line("error: libedit could not start on this terminal; piping commands in works: swiftka-learn --script FILE")
            return 1
        }
        await Frontends.runInteractive(self, editor: editor)
        out.line("Shutting the cluster down cleanly. Bye!")
        return 0
    }
}
