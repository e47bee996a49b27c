// Repl room: what any line must be before it is split into words: not too long, valid UTF-8,
// and free of control characters. One check for every command, typed or from a script.

/// The checks a line passes before any command sees it.
///
/// Why here and not per command: a control character (an escape sequence pasted in) would be
/// echoed back to the terminal by whichever error names the word, and a line too long to read
/// is a mistake whatever it was meant to run.
public enum TypedLine {
    /// The longest line read, in bytes (the line editor's buffer and history hold no more).
    public static let bytesMax = 64 * 1024

    /// nil when `line` may run, else one sentence on what is wrong and what to do.
    public static func problem(with line: String) -> String? {
        let bytes = line.utf8.count
        if bytes > bytesMax {
            return "the line is \(bytes) bytes long; a line holds at most \(bytesMax) bytes. "
                + "Shorten it (for big test data try: produce TOPIC --count N --size BYTES)"
        }
        // Readers put U+FFFD where the bytes were not UTF-8 (String(cString:), readLine).
        if line.unicodeScalars.contains("\u{FFFD}") {
            return "the line has bytes that are not valid UTF-8 (shown as U+FFFD); type it again as plain UTF-8 text"
        }
        for (column, scalar) in line.unicodeScalars.enumerated() where isControl(scalar) {
            let code = String(scalar.value, radix: 16, uppercase: true)
            return "the line has a control character (U+\(String(repeating: "0", count: max(0, 4 - code.count)) + code)) "
                + "at column \(column + 1); type printable text (quote a value that has spaces)"
        }
        return nil
    }

    /// C0 controls except tab, DEL, and the C1 controls: none can be typed as text.
    static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        (scalar.value < 0x20 && scalar != "\t") || (0x7F...0x9F).contains(scalar.value)
    }

    /// `line` made safe to echo: control characters in caret notation (`^[` for ESC) and very
    /// long words abbreviated, so a script's echo cannot drive the terminal or flood it.
    public static func shown(_ line: String) -> String {
        var text = ""
        for scalar in line.unicodeScalars {
            if scalar.value < 0x20 && scalar != "\t" {
                text += "^" + String(Character(Unicode.Scalar(UInt8(scalar.value + 0x40))))
            } else if scalar.value == 0x7F {
                text += "^?"
            } else if isControl(scalar) {
                text += "<U+00" + String(scalar.value, radix: 16, uppercase: true) + ">"
            } else {
                text.unicodeScalars.append(scalar)
            }
        }
        guard text.count > Abbreviated.wordCharactersMax else { return text }
        return text.split(separator: " ", omittingEmptySubsequences: false)
            .map { Abbreviated.word(String($0)) }.joined(separator: " ")
    }
}
