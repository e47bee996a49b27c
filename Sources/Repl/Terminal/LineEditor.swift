// Repl room: the only file that touches libedit. Prompt, emacs keys, bounded history kept in
// a file, and Tab completion through Completer. el_gets blocks, so it runs on its own thread.

import CEdit
import Foundation
import Synchronization

/// What the Tab callback completes from. A global because libedit calls a C function pointer
/// that cannot capture; a Mutex because the session updates it between reads.
let completionState = Mutex<(specs: [CommandSpec], context: CompletionContext)>(([], CompletionContext()))

private let completeFunction: @convention(c) (OpaquePointer?, Int32) -> UInt8 = { el, _ in
    guard let el, let info = el_line(el) else { return UInt8(CC_ERROR) }
    let count = info.pointee.buffer.distance(to: info.pointee.cursor)
    let typed = info.pointee.buffer.withMemoryRebound(to: UInt8.self, capacity: max(count, 1)) {
        String(decoding: UnsafeBufferPointer(start: $0, count: count), as: UTF8.self)
    }
    let (specs, context) = completionState.withLock { ($0.specs, $0.context) }
    let (partial, candidates) = Completer.candidates(for: typed, specs: specs, context: context)
    if candidates.isEmpty { return UInt8(CC_REFRESH_BEEP) }
    if candidates.count == 1 {
        _ = el_insertstr(el, String(candidates[0].dropFirst(partial.count)) + " ")
        return UInt8(CC_REFRESH)
    }
    let common = Completer.commonPrefix(candidates)
    if common.count > partial.count {
        _ = el_insertstr(el, String(common.dropFirst(partial.count)))
        return UInt8(CC_REFRESH)
    }
    FileHandle.standardOutput.write(Data(("\n" + candidates.joined(separator: "  ") + "\n").utf8))
    return UInt8(CC_REDISPLAY)
}

/// A libedit line editor.
///
/// `@unchecked Sendable`: the EditLine and History handles are used by one thread at a time
/// (the reader thread during `readLine`, the caller otherwise), ordered by the continuation.
public final class LineEditor: @unchecked Sendable {
    private let editLine: OpaquePointer
    private let history: OpaquePointer
    private let historyFile: String
    private var promptStorage: UnsafeMutablePointer<CChar>?
    static let historyEntriesMax: Int32 = 1000
    static let lineBytesMax = TypedLine.bytesMax

    public init?(historyFile: String) {
        // libedit drops non-ASCII input in the C locale; Swift never calls setlocale itself.
        if let current = setlocale(LC_CTYPE, ""), ["C", "POSIX"].contains(String(cString: current)) {
            _ = setlocale(LC_CTYPE, "C.UTF-8")
        }
        guard let el = cedit_init("swiftka-learn"), let hist = history_init() else { return nil }
        editLine = el
        history = hist
        self.historyFile = historyFile
        var event = HistEvent()
        _ = cedit_history_setsize(hist, &event, Self.historyEntriesMax)
        _ = cedit_history_setunique(hist, &event, 1)
        _ = cedit_history_load(hist, &event, historyFile)
        _ = cedit_set_editor(el, "emacs")
        _ = cedit_set_signal(el, 1)
        _ = cedit_set_hist(el, hist)
        _ = cedit_addfn(el, "swiftka-complete", "complete a command", completeFunction)
        _ = cedit_bind(el, "^I", "swiftka-complete")
        _ = el_source(el, nil)
    }

    deinit {
        saveHistory()
        history_end(history)
        el_end(editLine)
        free(promptStorage)
    }

    public func updateCompletion(specs: [CommandSpec], context: CompletionContext) {
        completionState.withLock { $0 = (specs, context) }
    }

    /// Reads one line on a dedicated thread (el_gets blocks); nil at end of input (Ctrl-D).
    public func readLine(prompt: String) async -> String? {
        await withCheckedContinuation { (continuation: CheckedContinuation<String?, Never>) in
            let thread = Thread { [self] in
                continuation.resume(returning: self.readLineBlocking(prompt: prompt))
            }
            thread.stackSize = 1 << 20
            thread.start()
        }
    }

    private func readLineBlocking(prompt: String) -> String? {
        free(promptStorage)
        promptStorage = strdup(prompt)
        _ = cedit_set_prompt(editLine, promptStorage)
        var count: Int32 = 0
        guard let raw = el_gets(editLine, &count), count > 0 else { return nil }
        var line = String(cString: raw)
        if line.hasSuffix("\n") { line.removeLast() }
        // A longer line is not cut short (running part of what was typed could do harm): the
        // session refuses it whole, saying why. It stays out of the history, which is bounded.
        if line.utf8.count <= Self.lineBytesMax && !line.trimmingCharacters(in: .whitespaces).isEmpty {
            var event = HistEvent()
            _ = cedit_history_enter(history, &event, line)
            // Saved after every line: a crash or a signal must not lose the session's history.
            saveHistory()
        }
        return line
    }

    public func saveHistory() {
        var event = HistEvent()
        _ = cedit_history_save(history, &event, historyFile)
    }
}
