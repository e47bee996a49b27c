// Benchmark (not a test): the embedded cluster measured in-process with the Swift client.
// Scenarios: produce (throughput and latency, RF 1 against RF 3), kraft (start-up, topic
// creation through the quorum, controller failover) and failover (partition leader failover
// under an acks=all producer). Each prints its figures, its targets and the command used.
//   swift build -c release --product ClusterBench
//   .build/release/ClusterBench [--scenario produce|kraft|failover|all] [--records N] [--size B]
//       [--latency-samples N] [--replication-factor R] [--runs N] [--topics N]
//       [--bootstrap HOST:PORT,...]   (the produce scenario against a cluster in another process)

import Cluster
import Foundation

enum Scenario: String, CaseIterable {
    case produce, kraft, failover, all
}

struct Options {
    var scenario = Scenario.produce
    var runs: [(count: Int, size: Int)] = [(1_000_000, 100), (200_000, 1000)]
    var latencySamples = 5_000
    /// nil: RF 1 and RF 3 on the same cluster, with their ratio.
    var replicationFactor: Int16?
    /// Repetitions of each timed start, kill or stop (bounded by `runsMax`).
    var repetitions = 5
    /// CreateTopics calls, one at a time, for the creation latency.
    var topicCreations = 200
    /// The produce scenario against a cluster in another process instead of its own.
    var bootstrap: [String]?

    static let runsMax = 20
    static let topicCreationsMax = 10_000
    static let usage = """
        usage: ClusterBench [--scenario produce|kraft|failover|all] [--records N] [--size B]
                            [--latency-samples N] [--replication-factor R] [--runs N] [--topics N]
                            [--bootstrap HOST:PORT,...]   (produce only: a cluster elsewhere)
        """

    init(_ args: [String]) throws {
        var i = 1
        var count: Int?
        var size: Int?
        while i < args.count {
            let flag = args[i]
            guard i + 1 < args.count else {
                throw BenchError.failed("\(flag) needs a value\n\(Self.usage)")
            }
            let text = args[i + 1]
            if flag == "--bootstrap" {
                bootstrap = text.split(separator: ",").map(String.init)
                // Benchmarks load what they reach: only this machine's loopback.
                for address in bootstrap ?? [] where !(address.hasPrefix("127.0.0.1:") || address.hasPrefix("localhost:")) {
                    throw BenchError.failed("--bootstrap takes loopback addresses only (127.0.0.1:PORT), not '\(address)'")
                }
                i += 2
                continue
            }
            if flag == "--scenario" {
                guard let chosen = Scenario(rawValue: text) else {
                    throw BenchError.failed("no scenario '\(text)'\n\(Self.usage)")
                }
                scenario = chosen
                i += 2
                continue
            }
            guard let value = Int(text), value > 0 else {
                throw BenchError.failed(
                    "\(flag) wants a positive number, not '\(text)'\n\(Self.usage)")
            }
            switch flag {
            case "--records": count = value
            case "--size": size = value
            case "--latency-samples": latencySamples = value
            case "--replication-factor": replicationFactor = Int16(clamping: value)
            case "--runs": repetitions = min(value, Self.runsMax)
            case "--topics": topicCreations = min(value, Self.topicCreationsMax)
            default: throw BenchError.failed("unknown flag \(flag)\n\(Self.usage)")
            }
            i += 2
        }
        if let count { runs = [(count, size ?? 100)] }
        if bootstrap != nil && scenario != .produce {
            throw BenchError.failed("--bootstrap goes with --scenario produce\n\(Self.usage)")
        }
    }
}

@main
struct ClusterBench {
    static func main() async {
        let options: Options
        do {
            options = try Options(CommandLine.arguments)
        } catch {
            FileHandle.standardError.write(Data("\(error)\n".utf8))
            exit(2)
        }
        let arguments = CommandLine.arguments.dropFirst().joined(separator: " ")
        print("command: .build/release/ClusterBench \(arguments)")
        // Other work on the machine moves every figure here: say how busy it was.
        let load = (try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8))?.split(
            separator: " "
        ).prefix(3).joined(separator: " ")
        print(
            "machine: \(ProcessInfo.processInfo.activeProcessorCount) cores, load average \(load ?? "unknown"); every listener on 127.0.0.1"
        )
        let all = options.scenario == .all
        do {
            if all || options.scenario == .produce { try await ProduceBench.run(options) }
            if all || options.scenario == .kraft { try await KRaftBench.run(options) }
            if all || options.scenario == .failover { try await FailoverBench.run(options) }
        } catch {
            // Said on stdout after the figures so far (exit flushes them), not as a crash.
            print("error: \(error)")
            exit(1)
        }
    }
}
