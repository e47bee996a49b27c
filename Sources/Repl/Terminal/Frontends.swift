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
        let (stream, continuation) = AsyncStream<String>.makeStream()
        for line in lines { continuation.yield(line) }
        continuation.finish()
        return await runScript(stream, session: session, keepGoing: keepGoing)
    }

    /// Runs each line as it arrives, so another program can drive the REPL through a pipe.
    public static func runScript(_ lines: AsyncStream<String>, session: Session, keepGoing: Bool) async -> Int32 {
        var failed = false
        var number = 0
        for await line in lines {
            number += 1
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
            session.out.line(session.prompt + trimmed)
            if !(await session.execute(trimmed)) {
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

    /// Standard input, line by line as it arrives. `readLine` blocks, so it runs on a thread
    /// of its own, never on the cooperative pool.
    public static func standardInputLines() -> AsyncStream<String> {
        let (stream, continuation) = AsyncStream<String>.makeStream()
        let thread = Thread {
            while let line = Swift.readLine(strippingNewline: true) { continuation.yield(line) }
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
