// Repl test support: runs the built `swiftka-learn` binary as a child process, with a fresh
// SWIFTKA_HOME, and waits on conditions (a line printed, the process ending) with a bound.

import TestTemporaryFiles
import Foundation
import Testing

/// The built executable, found beside the test bundle or in the package's .build folder.
func executablePath() throws -> String {
    let candidates = [
        URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("swiftka-learn").path,
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent(".build/debug/swiftka-learn").path,
    ]
    guard let found = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
        throw ProcessTestError("swiftka-learn binary not found in \(candidates)")
    }
    return found
}

struct ProcessTestError: Error, CustomStringConvertible {
    var description: String
    init(_ d: String) { description = d }
}

/// A child process with its output collected as it arrives.
final class Child: @unchecked Sendable {
    // @unchecked: `output` is guarded by `lock`; Process is used from the test task only.
    let process = Process()
    private let lock = NSLock()
    private var outputBuffer = Data()
    private var sawEndOfOutput = false
    let home: String
    /// Wakes a waiter whenever output arrives, the output ends, the process exits, or a
    /// waiter's deadline passes: waits are on these events, never on a timer alone.
    private let wakeups: AsyncStream<Void>
    private let wake: AsyncStream<Void>.Continuation

    /// Standard input, when the test keeps it open to write more later.
    private var input: FileHandle?

    init(_ arguments: [String], stdin: String? = nil, home: String? = nil, keepInputOpen: Bool = false) throws {
        (wakeups, wake) = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))
        self.home = home ?? TestTemporaryRoot.unique("proc")
        process.executableURL = URL(fileURLWithPath: try executablePath())
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        env["SWIFTKA_HOME"] = self.home
        env["NO_COLOR"] = "1"
        process.environment = env
        let out = Pipe()
        process.standardOutput = out
        process.standardError = out
        let input = Pipe()
        process.standardInput = input
        // A blocking read loop on its own thread, not `readabilityHandler`: tearing down that
        // handler's dispatch read source races libdispatch's epoll bookkeeping on Linux and has
        // crashed the whole test process with SIGSEGV (swift-corelibs-libdispatch#949).
        let reader = out.fileHandleForReading
        let thread = Thread { [weak self] in
            while true {
                let data = reader.availableData
                guard let self else { return }
                self.lock.lock()
                if data.isEmpty { self.sawEndOfOutput = true } else { self.outputBuffer.append(data) }
                self.lock.unlock()
                self.wake.yield()
                if data.isEmpty { return }
            }
        }
        thread.name = "swiftka-test-child-output"
        let wake = self.wake
        process.terminationHandler = { _ in wake.yield() }
        try process.run()
        thread.start()
        if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
        if keepInputOpen {
            self.input = input.fileHandleForWriting
        } else {
            try? input.fileHandleForWriting.close()
        }
    }

    /// Writes to the child's standard input (kept open with `keepInputOpen`).
    func send(_ text: String) { input?.write(Data(text.utf8)) }

    /// Writes raw bytes (which need not be UTF-8) to the child's standard input.
    func send(bytes: [UInt8]) { input?.write(Data(bytes)) }

    /// Ends the child's standard input.
    func closeInput() {
        try? input?.close()
        input = nil
    }

    var output: String {
        lock.lock()
        defer { lock.unlock() }
        return String(decoding: outputBuffer, as: UTF8.self)
    }

    /// Makes sure a waiter wakes at `deadline` even when nothing else happens.
    private func wake(at deadline: Date) {
        let wake = self.wake
        DispatchQueue.global().asyncAfter(wallDeadline: .now() + max(0, deadline.timeIntervalSinceNow)) { wake.yield() }
    }

    /// Waits until `condition` holds on the output or `seconds` pass (then fails). Output can
    /// still be in the pipe when the process has exited, so an exit ends the wait only after
    /// the output ends (or a 5 s grace).
    func waitFor(_ what: String, seconds: Double = 60, _ condition: (String) -> Bool) async throws {
        let deadline = Date().addingTimeInterval(seconds)
        wake(at: deadline)
        var exitedAt: Date? = nil
        var events = wakeups.makeAsyncIterator()
        while !condition(output) {
            if Date() >= deadline { throw ProcessTestError("timed out waiting for \(what); output so far:\n\(output)") }
            if !process.isRunning {
                let since = exitedAt ?? Date()
                if exitedAt == nil {
                    exitedAt = since
                    wake(at: since.addingTimeInterval(5))
                }
                if outputEnded || Date().timeIntervalSince(since) >= 5 {
                    throw ProcessTestError("process exited (\(process.terminationStatus)) before \(what):\n\(output)")
                }
            }
            _ = await events.next()
        }
    }

    private var outputEnded: Bool {
        lock.lock()
        defer { lock.unlock() }
        return sawEndOfOutput
    }

    /// Waits for exit (bounded), then for the end of its output (at most 5 s more), and
    /// returns the status.
    func exitStatus(seconds: Double = 60) async throws -> Int32 {
        let deadline = Date().addingTimeInterval(seconds)
        wake(at: deadline)
        var events = wakeups.makeAsyncIterator()
        while process.isRunning {
            if Date() >= deadline {
                process.terminate()
                throw ProcessTestError("process did not exit in \(seconds)s; output:\n\(output)")
            }
            _ = await events.next()
        }
        // The pipe may still hold the last lines; EOF normally follows at once.
        let drain = Date().addingTimeInterval(5)
        wake(at: drain)
        while !outputEnded && Date() < drain { _ = await events.next() }
        return process.terminationStatus
    }

    deinit { if process.isRunning { process.terminate() } }
}
