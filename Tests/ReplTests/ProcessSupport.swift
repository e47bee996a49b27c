// Repl test support: runs the built `swiftka-learn` binary as a child process, with a fresh
// SWIFTKA_HOME, and waits on conditions (a line printed, the process ending) with a bound.

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

    init(_ arguments: [String], stdin: String? = nil, home: String? = nil) throws {
        self.home = home ?? NSTemporaryDirectory() + "swiftka-proc-\(UInt64.random(in: 0...UInt64.max))"
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
        out.fileHandleForReading.readabilityHandler = { [weak self] handle in
            let data = handle.availableData
            guard let self else { return }
            self.lock.lock()
            if data.isEmpty {
                self.sawEndOfOutput = true
                handle.readabilityHandler = nil
            } else {
                self.outputBuffer.append(data)
            }
            self.lock.unlock()
        }
        try process.run()
        if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
        try? input.fileHandleForWriting.close()
    }

    var output: String {
        lock.lock()
        defer { lock.unlock() }
        return String(decoding: outputBuffer, as: UTF8.self)
    }

    /// Waits until `condition` holds on the output or `seconds` pass (then fails). Output can
    /// still be in the pipe when the process has exited, so an exit only ends the wait after
    /// a short grace period.
    func waitFor(_ what: String, seconds: Double = 60, _ condition: (String) -> Bool) async throws {
        let deadline = Date().addingTimeInterval(seconds)
        var exitedAt: Date? = nil
        while !condition(output) {
            if Date() > deadline { throw ProcessTestError("timed out waiting for \(what); output so far:\n\(output)") }
            if !process.isRunning {
                let since = exitedAt ?? Date()
                exitedAt = since
                if Date().timeIntervalSince(since) > 5 {
                    throw ProcessTestError("process exited (\(process.terminationStatus)) before \(what):\n\(output)")
                }
            }
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    private var outputEnded: Bool {
        lock.lock()
        defer { lock.unlock() }
        return sawEndOfOutput
    }

    /// Waits for exit (bounded), then briefly for the end of its output, and returns the status.
    func exitStatus(seconds: Double = 60) async throws -> Int32 {
        let deadline = Date().addingTimeInterval(seconds)
        while process.isRunning {
            if Date() > deadline {
                process.terminate()
                throw ProcessTestError("process did not exit in \(seconds)s; output:\n\(output)")
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        // The pipe may still hold the last lines; EOF normally follows at once.
        let drain = Date().addingTimeInterval(5)
        while !outputEnded && Date() < drain { try await Task.sleep(for: .milliseconds(20)) }
        return process.terminationStatus
    }

    deinit { if process.isRunning { process.terminate() } }
}
