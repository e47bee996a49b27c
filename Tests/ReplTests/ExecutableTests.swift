// Tests of the swiftka-learn binary as a learner runs it. Goal: script mode's exit status,
// flag errors, `serve` printing its bootstrap and answering ApiVersions until SIGTERM, and the
// clear one-line errors for a busy port and a data directory in use.

import TestTemporaryFiles
import Cluster
import Foundation
import NIOPosix
import Testing

@Suite(.serialized) struct ExecutableTests {
    func writeScript(_ text: String) throws -> String {
        let path = TestTemporaryRoot.unique("script") + ".txt"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test("a script whose lesson check fails exits 1 at that line")
    func failingCheckExitsOne() async throws {
        let script = try writeScript("# a comment\n\nlesson start welcome\nlesson next\nlesson next\nlesson next\nlesson check\nstatus\n")
        let child = try Child(["--ephemeral", "--script", script])
        #expect(try await child.exitStatus() == 1)
        #expect(child.output.contains("✗ broker 2 is down: broker 2 is running, not down"))
        #expect(child.output.contains("script: stopped at line 7"))
        #expect(!child.output.contains("swiftka [welcome 4/5]> status"))
    }

    @Test("a script line that is not UTF-8 fails at its number; the lines before it run, and with --keep-going those after")
    func notUTF8Line() async throws {
        let path = NSTemporaryDirectory() + "swiftka-script-\(UInt64.random(in: 0...UInt64.max)).txt"
        let bytes = Array("topic list\n".utf8) + [0xFF, 0xFE, 0x20, 0x6C, 0x69, 0x73, 0x74, 0x0A] + Array("broker list\n".utf8)
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let notice = "error: line 2 of the script is not valid UTF-8 text, so it was not run; "
            + "save the script as UTF-8 (iconv -t UTF-8 converts it) and run it again."
        let stopping = try Child(["--ephemeral", "--script", path])
        #expect(try await stopping.exitStatus() == 1)
        #expect(stopping.output.contains("swiftka> topic list\n(no topics yet"), "\(stopping.output)")
        #expect(stopping.output.contains(notice + "\nscript: stopped at line 2"))
        #expect(!stopping.output.contains("swiftka> broker list"))
        let going = try Child(["--ephemeral", "--keep-going", "--script", path])
        #expect(try await going.exitStatus() == 1)
        #expect(going.output.contains(notice + "\nswiftka> broker list\nID  ADDRESS"), "\(going.output)")
        #expect(!going.output.contains("Cannot read the script"))
    }

    @Test("standard input is read as bytes: a line that is not UTF-8 is named, not silently repaired")
    func notUTF8OnStdin() async throws {
        let child = try Child(["--ephemeral", "--keep-going", "--script", "-"], keepInputOpen: true)
        child.send(bytes: Array("status\n".utf8) + [0x62, 0xFF, 0x0A] + Array("broker list\r\n".utf8))
        child.closeInput()
        #expect(try await child.exitStatus() == 1)
        #expect(child.output.contains("error: line 2 of the script is not valid UTF-8 text"), "\(child.output)")
        #expect(child.output.contains("swiftka> broker list\nID  ADDRESS"))
    }

    @Test("the whole welcome lesson run as a script exits 0")
    func welcomeLessonPasses() async throws {
        let script = try writeScript("lesson start welcome\nhelp\nstatus\nbroker list\nbroker kill 2\nbroker list\nbroker start 2\nbroker list\nlesson check\n")
        let child = try Child(["--ephemeral", "--script", script])
        #expect(try await child.exitStatus() == 0, "\(child.output)")
        #expect(child.output.contains("Lesson 'welcome' is complete and its last check still holds."))
    }

    @Test("stdin that is not a terminal is run as a script, and --keep-going runs past failures")
    func pipedStdin() async throws {
        let child = try Child(["--ephemeral", "--keep-going"], stdin: "nosuch\nbroker list\n")
        #expect(try await child.exitStatus() == 1)
        #expect(child.output.contains("swiftka> broker list\nID  ADDRESS"))
    }

    @Test("--script - runs each line as it arrives, so a program can drive the REPL through a pipe")
    func scriptFromPipeRunsLineByLine() async throws {
        let child = try Child(["--ephemeral", "--script", "-"], keepInputOpen: true)
        child.send("broker list\n")
        // The answer comes while standard input is still open: the line ran as it arrived.
        try await child.waitFor("the broker list") { $0.contains("swiftka> broker list\nID  ADDRESS") }
        child.send("status\n")
        try await child.waitFor("the status") { $0.contains("Cluster id:") }
        child.closeInput()
        #expect(try await child.exitStatus() == 0, "\(child.output)")
    }

    @Test("bad process flags get one clear line and a non-zero exit", arguments: [
        (["--brokers", "12"], "--brokers must be 1 to 9"),
        (["--ephemeral", "--data-dir", "/tmp/x"], "--ephemeral and --data-dir exclude each other"),
        (["--frobnicate"], "Unknown option '--frobnicate'"),
    ])
    func badFlags(arguments: [String], message: String) async throws {
        let child = try Child(arguments)
        #expect(try await child.exitStatus() != 0)
        #expect(child.output.contains(message), "\(child.output)")
    }

    @Test("--version prints the version")
    func version() async throws {
        let child = try Child(["--version"])
        #expect(try await child.exitStatus() == 0)
        #expect(child.output.hasPrefix("swiftka-learn "))
    }

    @Test("serve prints its bootstrap once listening, answers ApiVersions, and exits 0 on SIGTERM")
    func serve() async throws {
        let child = try Child(["serve", "--ephemeral", "--brokers", "3", "--port", "0"])
        try await child.waitFor("the bootstrap line") { $0.contains("bootstrap: ") && $0.contains("\n") }
        let line = child.output.split(separator: "\n").first { $0.hasPrefix("bootstrap: ") } ?? ""
        let addresses = line.dropFirst("bootstrap: ".count).split(separator: ",")
        #expect(addresses.count == 3)
        for address in addresses {
            let port = Int(address.split(separator: ":").last ?? "") ?? 0
            let connection = try await KafkaConnection.connect(host: "127.0.0.1", port: port, group: MultiThreadedEventLoopGroup.singleton)
            let response = try await connection.send(ApiVersionsRequest(), version: 3)
            #expect(response.errorCode == .none && response.apiKeys.contains { $0.apiKey == .apiVersions })
            await connection.close()
        }
        child.process.terminate()  // SIGTERM
        #expect(try await child.exitStatus() == 0)
        #expect(child.output.contains("shut down cleanly"))
    }

    @Test("serve on a port in use fails with one line naming the port")
    func portInUse() async throws {
        let first = try Child(["serve", "--ephemeral", "--brokers", "1", "--port", "0"])
        try await first.waitFor("the bootstrap line") { $0.contains("bootstrap: ") && $0.hasSuffix("\n") }
        let port = first.output.split(separator: ":").last.map { String($0.prefix { $0.isNumber }) } ?? ""
        let second = try Child(["serve", "--ephemeral", "--brokers", "1", "--port", port])
        #expect(try await second.exitStatus() != 0)
        #expect(second.output.contains("Port \(port) on 127.0.0.1 is already in use"), "\(second.output)")
        first.process.terminate()
        _ = try await first.exitStatus()
    }

    @Test("a second process on the same data directory is refused with what to do")
    func dataDirectoryInUse() async throws {
        let dir = TestTemporaryRoot.unique("shared")
        let first = try Child(["serve", "--data-dir", dir, "--brokers", "1", "--port", "0"])
        try await first.waitFor("the bootstrap line") { $0.contains("bootstrap: ") }
        let second = try Child(["--data-dir", dir, "--brokers", "1", "--script", "-"], stdin: "status\n")
        #expect(try await second.exitStatus() != 0)
        #expect(second.output.contains("is in use by another swiftka-learn"), "\(second.output)")
        first.process.terminate()
        #expect(try await first.exitStatus() == 0)
        let third = try Child(["--data-dir", dir, "--brokers", "2", "--script", "-"], stdin: "status\n")
        #expect(try await third.exitStatus() != 0)
        #expect(third.output.contains("holds a 1-broker cluster"), "\(third.output)")
    }
}
