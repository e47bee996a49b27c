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
        // Caught from the start: a signal sent while the cluster starts, or the moment the
        // bootstrap line is out, must still end in the clean shutdown below.
        let termination = TerminationSignal.install()
        let home = Home.fromEnvironment()
        home.ensureExists()
        let port = cluster.port ?? 9092
        let plan: PortPlan = port == 0 ? .ephemeral : .fixed(base: port)
        let (embedded, temporary) = try await cluster.startCluster(home: home, ports: plan)
        let status = await embedded.status()
        print("bootstrap: \(status.bootstrap)")
        fflushStandardOutput()
        await termination.wait()
        await embedded.shutdown()
        if let temporary { try? FileManager.default.removeItem(atPath: temporary) }
        FileHandle.standardError.write(Data("swiftka-learn serve: shut down cleanly\n".utf8))
    }
}

/// SIGINT or SIGTERM, caught from the moment `install()` runs: one that arrives before
/// `wait()` is remembered, so `wait()` then returns at once instead of the process dying.
final class TerminationSignal: @unchecked Sendable {
    // @unchecked: the mutable fields are only touched under `lock`.
    private let lock = NSLock()
    private var fired = false
    private var continuation: CheckedContinuation<Void, Never>?
    private var sources: [any DispatchSourceSignal] = []

    private init() {}

    static func install() -> TerminationSignal {
        let termination = TerminationSignal()
        for sig in [SIGINT, SIGTERM] {
            signal(sig, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: sig, queue: .global())
            source.setEventHandler { @Sendable in termination.fire() }
            source.resume()
            termination.keep(source)
        }
        return termination
    }

    /// Suspends until a signal has arrived (returns at once if one already has).
    func wait() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            lock.lock()
            if fired {
                lock.unlock()
                continuation.resume()
                return
            }
            self.continuation = continuation
            lock.unlock()
        }
    }

    private func keep(_ source: any DispatchSourceSignal) {
        lock.lock()
        sources.append(source)
        lock.unlock()
    }

    private func fire() {
        lock.lock()
        fired = true
        let c = continuation
        continuation = nil
        lock.unlock()
        c?.resume()
    }
}

func fflushStandardOutput() {
    fflush(nil)
}
