// `swiftka-learn serve`: the same cluster without the REPL, for kcat and other real clients.
// Prints its bootstrap address once every listener accepts, runs until SIGINT/SIGTERM.

import ArgumentParser
import Cluster
import Dispatch
import Foundation
import Repl

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the embedded cluster without the REPL, for kcat and other Kafka clients.")

    @OptionGroup var cluster: ClusterOptions

    mutating func run() async throws {
        let home = Home.fromEnvironment()
        home.ensureExists()
        let port = cluster.port ?? 9092
        let plan: PortPlan = port == 0 ? .ephemeral : .fixed(base: port)
        let (embedded, temporary) = try await cluster.startCluster(home: home, ports: plan)
        let status = await embedded.status()
        print("bootstrap: \(status.bootstrap)")
        fflushStandardOutput()
        await waitForTermination()
        await embedded.shutdown()
        if let temporary { try? FileManager.default.removeItem(atPath: temporary) }
        FileHandle.standardError.write(Data("swiftka-learn serve: shut down cleanly\n".utf8))
    }

    /// Suspends until SIGINT or SIGTERM arrives.
    private func waitForTermination() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let resumed = SignalOnce(continuation)
            for sig in [SIGINT, SIGTERM] {
                signal(sig, SIG_IGN)
                let source = DispatchSource.makeSignalSource(signal: sig, queue: .global())
                source.setEventHandler { @Sendable in resumed.fire() }
                source.resume()
                resumed.keep(source)
            }
        }
    }
}

/// Resumes a continuation exactly once, from whichever signal comes first.
final class SignalOnce: @unchecked Sendable {
    // @unchecked: both fields are only touched under `lock`.
    private let lock = NSLock()
    private var continuation: CheckedContinuation<Void, Never>?
    private var sources: [any DispatchSourceSignal] = []

    init(_ continuation: CheckedContinuation<Void, Never>) { self.continuation = continuation }

    func keep(_ source: any DispatchSourceSignal) {
        lock.lock()
        sources.append(source)
        lock.unlock()
    }

    func fire() {
        lock.lock()
        let c = continuation
        continuation = nil
        lock.unlock()
        c?.resume()
    }
}

func fflushStandardOutput() {
    fflush(nil)
}
