// Repl room: splits a typed line into words, honouring single and double quotes and
// backslash escapes, the way a shell does, so `produce orders "hello world"` is two words + one.

/// Why a line could not be split into words.
public struct TokenizeError: Error, Equatable, CustomStringConvertible {
    public var description: String
}

public enum Tokenizer {
    public static func split(_ line: String) throws(TokenizeError) -> [String] {
        var words: [String] = []
        var current = ""
        var inWord = false
        var quote: Character? = nil
        var escaped = false
        for ch in line {
            if escaped {
                current.append(ch)
                escaped = false
                continue
            }
            if ch == "\\" && quote != "'" {
                escaped = true
                inWord = true
                continue
            }
            if let q = quote {
                if ch == q { quote = nil } else { current.append(ch) }
                continue
            }
            if ch == "\"" || ch == "'" {
                quote = ch
                inWord = true
            } else if ch == " " || ch == "\t" {
                if inWord {
                    words.append(current)
                    current = ""
                    inWord = false
                }
            } else {
                current.append(ch)
                inWord = true
            }
        }
        if let q = quote { throw TokenizeError(description: "unclosed \(q) quote") }
        if escaped { current.append("\\") }
        if inWord { words.append(current) }
        return words
    }
}
