// Repl room: where command output goes. One sink for the terminal, for --script and for
// in-process transcript tests, and the only place colour is decided.

import Foundation

/// Text styles used for emphasis only; nothing is said by colour alone.
public enum Style: Sendable {
    case plain, bold, dim, success, failure, note, heading

    var ansi: String {
        switch self {
        case .plain: return ""
        case .bold, .heading: return "\u{1B}[1m"
        case .dim: return "\u{1B}[2m"
        case .success: return "\u{1B}[32m"
        case .failure: return "\u{1B}[31m"
        case .note: return "\u{1B}[36m"
        }
    }
}

/// Collects or prints what commands say.
///
/// `@unchecked Sendable`: the buffer is guarded by `lock`; the sink is called under it, so
/// lines from background work (trace, group members) never interleave mid-line.
public final class Output: @unchecked Sendable {
    public let colour: Bool
    private let sink: @Sendable (String) -> Void
    private let lock = NSLock()

    public init(colour: Bool, sink: @escaping @Sendable (String) -> Void) {
        self.colour = colour
        self.sink = sink
    }

    /// Standard output, flushed per write so a piped transcript keeps its order.
    public static func standard(colour: Bool) -> Output {
        Output(colour: colour) { text in
            FileHandle.standardOutput.write(Data(text.utf8))
        }
    }

    public func styled(_ text: String, _ style: Style) -> String {
        guard colour, style != .plain else { return text }
        return style.ansi + text + "\u{1B}[0m"
    }

    /// How many writes have gone out, so a caller can tell whether anything was said since.
    public var writes: Int {
        lock.lock()
        defer { lock.unlock() }
        return writeCount
    }
    private var writeCount = 0

    public func line(_ text: String = "", _ style: Style = .plain) {
        lock.lock()
        defer { lock.unlock() }
        writeCount += 1
        sink(styled(text, style) + "\n")
    }

    public func lines(_ text: String, _ style: Style = .plain) {
        for l in text.split(separator: "\n", omittingEmptySubsequences: false) { line(String(l), style) }
    }

    /// Output that is not a line (a prompt echo, a progress bar redraw).
    public func raw(_ text: String) {
        lock.lock()
        defer { lock.unlock() }
        writeCount += 1
        sink(text)
    }
}

/// Colour is on only when stdout is a terminal, NO_COLOR is unset or empty and the user did
/// not ask for --no-color (https://no-color.org).
public func colourWanted(noColourFlag: Bool, script: Bool) -> Bool {
    if noColourFlag || script { return false }
    if let v = ProcessInfo.processInfo.environment["NO_COLOR"], !v.isEmpty { return false }
    return isatty(STDOUT_FILENO) == 1
}
