// Process flags shared by the REPL and `serve`: how many brokers and where their data lives.

import ArgumentParser
import Cluster
import Foundation
import Repl

struct ClusterOptions: ParsableArguments {
    @Option(name: .long, help: "Number of brokers, 1 to 9.")
    var brokers: Int = 3

    @Option(name: .long, help: "How many of the brokers vote in the KRaft quorum (process.roles=broker,controller), 1 to --brokers; the rest are brokers only. Default: all of up to 3, else 3.")
    var controllers: Int?

    @Option(name: .long, help: "Data directory (default: $SWIFTKA_HOME/data, i.e. ~/.swiftka-learn/data).")
    var dataDir: String?

    @Flag(name: .long, help: "Use a temporary data directory, removed at exit.")
    var ephemeral = false

    @Flag(name: .long, help: "Wipe the data directory first.")
    var fresh = false

    @Option(name: .long, help: "First listener port; brokers use P, P+1, ... (0 = ephemeral ports). Default: 9092 (the REPL falls back to ephemeral ports when 9092 and up are taken).")
    var port: Int?

    mutating func validate() throws {
        guard (1...Limits.brokersMax).contains(brokers) else {
            throw ValidationError("--brokers must be 1 to \(Limits.brokersMax), not \(brokers).")
        }
        if let controllers, !(1...brokers).contains(controllers) {
            throw ValidationError("--controllers must be 1 to --brokers (\(brokers)), not \(controllers).")
        }
        if let port, !(0...65_535 - Limits.brokersMax).contains(port) {
            throw ValidationError("--port must be 0 (ephemeral) or a port from 1 to \(65_535 - Limits.brokersMax), not \(port).")
        }
        if ephemeral && dataDir != nil {
            throw ValidationError("--ephemeral and --data-dir exclude each other: pick one.")
        }
    }

    /// Locks the data directory and starts every broker. Returns the temporary directory to
    /// remove at exit when --ephemeral. Errors are one clear line and a non-zero exit.
    func startCluster(home: Home, ports: PortPlan) async throws -> (EmbeddedCluster, String?) {
        var temporary: String? = nil
        let directory: String
        if ephemeral {
            let base = ProcessInfo.processInfo.environment["TMPDIR"].flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp"
            var template = Array("\(base)/swiftka-learn-XXXXXX".utf8CString)
            guard let made = mkdtemp(&template) else {
                throw CleanExit.message("error: cannot create a temporary directory under \(base)")
            }
            directory = String(cString: made)
            temporary = directory
        } else {
            directory = dataDir ?? home.defaultDataDirectory
        }
        do {
            let config = EmbeddedClusterConfig(
                brokerCount: brokers, dataDirectory: directory, fresh: fresh, ports: ports, controllers: controllers)
            let cluster = try EmbeddedCluster(config: config)
            try await cluster.start()
            return (cluster, temporary)
        } catch {
            if let temporary { try? FileManager.default.removeItem(atPath: temporary) }
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            throw ExitCode(2)
        }
    }
}
