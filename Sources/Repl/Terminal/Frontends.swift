// Repl room: the two ways lines reach a Session: a terminal with libedit, and a script (a
// file, or stdin that is not a terminal) echoed like a transcript.

import Cluster
import Dispatch
import Foundation

@MainActor
public enum Frontends {
    /// Runs commands from `lines`; echoes each after the prompt. Returns the exit status:
    /// 0 when every command succeeded, else 1 (at the first failure unless keepGoing).
    public static func runScript(_ lines: [String], session: Session, keepGoing: Bool) async -> Int32 {
        await runScript(lines.map(ScriptLine.text), session: session, keepGoing: keepGoing)
    }

    public static func runScript(_ lines: [ScriptLine], session: Session, keepGoing: Bool) async -> Int32 {
        let (stream, continuation) = AsyncStream<ScriptLine>.makeStream()
        for line in lines { continuation.yield(line) }
        continuation.finish()
        return await runScript(stream, session: session, keepGoing: keepGoing)
    }

    /// Runs each line as it arrives, so another program can drive the REPL through a pipe. A
    /// line that cannot be read (not UTF-8, too long) fails at its number like a failed command.
    public static func runScript(_ lines: AsyncStream<ScriptLine>, session: Session, keepGoing: Bool) async -> Int32 {
        var failed = false
        var number = 0
        for await scriptLine in lines {
            number += 1
            let succeeded: Bool
            switch scriptLine {
            case .text(let line):
                let trimmed = line.trimmingCharacters(in: .whitespaces)
                if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
                session.out.line(session.prompt + TypedLine.shown(trimmed))
                succeeded = await session.execute(trimmed)
            case .notUTF8, .tooLong:
                session.out.line("error: " + (scriptLine.problem(number: number) ?? ""), .failure)
                succeeded = false
            }
            if !succeeded {
                failed = true
                if !keepGoing {
                    session.out.line("script: stopped at line \(number) because that command failed (--keep-going runs on).")
                    return 1
                }
            }
            if session.quitRequested { break }
        }
        return failed ? 1 : 0
    }

    /// Standard input, line by line as it arrives. Reading blocks, so it runs on a thread of
    /// its own, never on the cooperative pool. Bytes, not `readLine`, which would quietly turn
    /// bytes that are not UTF-8 into U+FFFD instead of saying which line had them.
    public static func standardInputLines() -> AsyncStream<ScriptLine> {
        let (stream, continuation) = AsyncStream<ScriptLine>.makeStream()
        let thread = Thread {
            var splitter = ScriptLineSplitter()
            let input = FileHandle.standardInput
            while true {
                let data = input.availableData
                if data.isEmpty { break }
                for line in splitter.feed(data) { continuation.yield(line) }
            }
            for line in splitter.finish() { continuation.yield(line) }
            continuation.finish()
        }
        thread.stackSize = 1 << 20
        thread.start()
        return stream
    }

    /// The interactive loop: read, run (Ctrl-C cancels the running command), repeat until
    /// quit or Ctrl-D.
    public static func runInteractive(_ session: Session, editor: LineEditor) async {
        let interrupts = InterruptWatcher()
        while !session.quitRequested {
            editor.updateCompletion(specs: CommandRegistry.specs, context: await completionContext(session))
            guard let line = await editor.readLine(prompt: session.prompt) else {
                session.out.line("")
                break
            }
            let word = line.trimmingCharacters(in: .whitespaces)
            if word == "exit" { break }
            let task = Task { @MainActor in await session.execute(line) }
            // The terminal itself echoes ^C; start a fresh line after it, and say more only
            // when the command said nothing about being stopped.
            var writesAtInterrupt = 0
            interrupts.onInterrupt = {
                session.out.raw("\n")
                writesAtInterrupt = session.out.writes
                task.cancel()
            }
            _ = await task.value
            interrupts.onInterrupt = nil
            if task.isCancelled && session.out.writes == writesAtInterrupt {
                session.out.line("(interrupted; back at the prompt)", .dim)
            }
        }
        editor.saveHistory()
    }

    static func completionContext(_ session: Session) async -> CompletionContext {
        var context = CompletionContext()
        context.brokerIDs = session.cluster.nodeIDs.map(\.description)
        context.lessonIDs = session.lessons.catalogue.lessons.map(\.id)
        // Live names, read again before every prompt so new topics and groups complete at once.
        context.topics = session.cluster.image.topicNames.filter { !$0.hasPrefix("__") }
        context.groups = await session.cluster.groups().map(\.groupId).sorted()
        return context
    }
}

/// Turns SIGINT into a call on the main actor instead of the default "terminate".
///
/// libedit (EL_SIGNAL on) restores the terminal around signals while reading; at the prompt a
/// Ctrl-C does nothing, while a command runs it cancels that command's task.
@MainActor
final class InterruptWatcher {
    var onInterrupt: (() -> Void)?
    private let source: any DispatchSourceSignal

    init() {
        signal(SIGINT, SIG_IGN)
        source = DispatchSource.makeSignalSource(signal: SIGINT, queue: .global())
        source.setEventHandler { @Sendable [weak self] in
            Task { @MainActor in self?.onInterrupt?() }
        }
        source.resume()
    }
}
