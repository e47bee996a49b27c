// Repl room: a script's bytes cut into lines. Each line is decoded on its own, so one line
// that is not UTF-8 (a file saved as Latin-1, a stray byte) fails at its number, not the file.

/// One line of a script as read.
public enum ScriptLine: Sendable, Equatable {
    case text(String)
    /// Its bytes are not valid UTF-8.
    case notUTF8
    /// Longer than `TypedLine.bytesMax`; only its length is kept.
    case tooLong(bytes: Int)

    /// What the script run says about a line it cannot run: which line, and what to do.
    func problem(number: Int) -> String? {
        switch self {
        case .text: return nil
        case .notUTF8:
            return "line \(number) of the script is not valid UTF-8 text, so it was not run; "
                + "save the script as UTF-8 (iconv -t UTF-8 converts it) and run it again."
        case .tooLong(let bytes):
            return "line \(number) of the script is \(bytes) bytes long, so it was not run; "
                + "a line holds at most \(TypedLine.bytesMax) bytes."
        }
    }
}

/// Cuts bytes into `ScriptLine`s as they arrive: at "\n", without a "\r" before it, and the
/// last line even without a newline. Holds at most one line's worth of bytes (bounded).
public struct ScriptLineSplitter: Sendable {
    private var pending: [UInt8] = []
    /// Bytes of the current line beyond what is kept, once it is too long.
    private var dropped = 0

    public init() {}

    /// The lines that `bytes` completes.
    public mutating func feed<Bytes: Sequence>(_ bytes: Bytes) -> [ScriptLine] where Bytes.Element == UInt8 {
        var lines: [ScriptLine] = []
        for byte in bytes {
            if byte == UInt8(ascii: "\n") {
                lines.append(takeLine())
            } else if pending.count <= TypedLine.bytesMax {
                pending.append(byte)
            } else {
                dropped += 1
            }
        }
        return lines
    }

    /// The last line, when the input did not end with a newline.
    public mutating func finish() -> [ScriptLine] {
        pending.isEmpty && dropped == 0 ? [] : [takeLine()]
    }

    private mutating func takeLine() -> ScriptLine {
        defer {
            pending.removeAll(keepingCapacity: true)
            dropped = 0
        }
        if pending.last == UInt8(ascii: "\r") { pending.removeLast() }
        if dropped > 0 || pending.count > TypedLine.bytesMax { return .tooLong(bytes: pending.count + dropped) }
        // Strict decoding: String(validating:) refuses what String(decoding:) would repair.
        guard let text = String(validating: pending, as: UTF8.self) else { return .notUTF8 }
        return .text(text)
    }

    /// Every line of `bytes` (a whole script file).
    public static func lines<Bytes: Sequence>(of bytes: Bytes) -> [ScriptLine] where Bytes.Element == UInt8 {
        var splitter = ScriptLineSplitter()
        return splitter.feed(bytes) + splitter.finish()
    }
}
