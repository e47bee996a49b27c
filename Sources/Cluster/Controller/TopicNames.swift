// Controller room: Kafka's rules for topic names. A name becomes a directory name on every
// broker, so these rules are also what keeps a topic from reaching outside the data dir.

public enum TopicNames {
    /// Kafka's `Topic.MAX_NAME_LENGTH`.
    public static let lengthMax = 249

    /// nil when `name` is a legal topic name, else Kafka's reason.
    public static func problem(with name: String) -> String? {
        if name.isEmpty { return "Topic name is illegal, it can't be empty" }
        if name == "." || name == ".." { return "Topic name cannot be \".\" or \"..\"" }
        if name.utf8.count > lengthMax {
            return "Topic name is illegal, it can't be longer than \(lengthMax) characters, topic name: \(quoted(name))"
        }
        let legal = name.utf8.allSatisfy { c in
            (c >= 0x61 && c <= 0x7A) || (c >= 0x41 && c <= 0x5A) || (c >= 0x30 && c <= 0x39)
                || c == 0x2E || c == 0x5F || c == 0x2D
        }
        if !legal {
            return "Topic name \(quoted(name)) is illegal, it contains a character other than ASCII alphanumerics, '.', '_' and '-'"
        }
        return nil
    }

    /// The name as an error message quotes it: at most `lengthMax` bytes, so that a message
    /// about a name as long as a request may carry still fits a response's STRING.
    static func quoted(_ name: String) -> String {
        guard name.utf8.count > lengthMax else { return name }
        return String(decoding: name.utf8.prefix(lengthMax), as: UTF8.self) + "..."
    }
}
