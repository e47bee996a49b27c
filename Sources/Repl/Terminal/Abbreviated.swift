// Repl room: shortens a very long word where a message repeats what was typed, so an error
// about a 10,000-character name is still one readable line.

import Foundation

/// Long words cut down for messages: `xxxx…xxxx (10000 characters)`.
public enum Abbreviated {
    /// Words up to this many characters are shown whole.
    public static let wordCharactersMax = 60

    /// `word` itself, or its start and end with its length when it is longer than the limit.
    public static func word(_ word: String) -> String {
        guard word.count > wordCharactersMax else { return word }
        return "\(word.prefix(24))…\(word.suffix(8)) (\(word.count) characters)"
    }

    /// `message` with every long word of `typed` in it abbreviated, longest first (so a word
    /// that contains another is replaced whole).
    public static func message(_ message: String, typed: [String]) -> String {
        var text = message
        for long in Set(typed.filter { $0.count > wordCharactersMax }).sorted(by: { $0.count > $1.count }) {
            text = text.replacingOccurrences(of: long, with: word(long))
        }
        return text
    }
}
