// Controller room: Kafka's rules for topic names. A name becomes a directory name on every
// broker, so these rules are also what keeps a topic from reaching outside the data dir.

/// Kafka's `Topic.validate` and its `.`/`_` collision rules, with Kafka's words.
public enum TopicNames {
    /// Kafka's `Topic.MAX_NAME_LENGTH`.
    public static let lengthMax = 249

    /// nil when `name` is a legal topic name, else Kafka's reason (`Topic.validate`, which
    /// the controller answers with INVALID_TOPIC_EXCEPTION).
    public static func problem(with name: String) -> String? {
        reason(name).map { "Topic name is invalid: " + $0 }
    }

    /// Kafka's `detectInvalidTopic`. Lengths count UTF-16 units, as Java's `length()` does;
    /// any name that is not plain ASCII is refused by the character check anyway.
    private static func reason(_ name: String) -> String? {
        if name.isEmpty { return "the empty string is not allowed" }
        if name == "." { return "'.' is not allowed" }
        if name == ".." { return "'..' is not allowed" }
        if name.utf16.count > lengthMax {
            return "the length of '\(quoted(name))' is longer than the max allowed length \(lengthMax)"
        }
        if !name.utf8.allSatisfy(isLegal) {
            return "'\(quoted(name))' contains one or more characters other than ASCII alphanumerics, '.', '_' and '-'"
        }
        return nil
    }

    /// `[a-zA-Z0-9._-]`, Kafka's `Topic.LEGAL_CHARS`.
    static func isLegal(_ c: UInt8) -> Bool {
        (c >= 0x61 && c <= 0x7A) || (c >= 0x41 && c <= 0x5A) || (c >= 0x30 && c <= 0x39)
            || c == 0x2E || c == 0x5F || c == 0x2D
    }

    /// Kafka's `Topic.hasCollisionChars`: metric names turn '.' into '_', so `a.b` and `a_b`
    /// would share their metrics. kafka-topics.sh warns about any name with either.
    public static func hasCollisionChars(_ name: String) -> Bool {
        name.contains(".") || name.contains("_")
    }

    /// Kafka's `Topic.unifyCollisionChars`: the name with every '.' read as '_'.
    public static func unifyCollisionChars(_ name: String) -> String {
        String(name.map { $0 == "." ? "_" : $0 })
    }

    /// The existing topic that `name` collides with (equal once '.' and '_' are unified), the
    /// least such name when several do, so the answer does not depend on hash order. Kafka's
    /// controller refuses such a name (`ReplicationControlManager.validateNewTopicNames`).
    public static func collision(of name: String, among existing: [String]) -> String? {
        guard hasCollisionChars(name) else { return nil }
        let unified = unifyCollisionChars(name)
        return existing.filter { $0 != name && unifyCollisionChars($0) == unified }.min()
    }

    /// kafka-topics.sh's warning before it creates a topic whose name has '.' or '_'.
    public static let collisionWarning =
        "WARNING: Due to limitations in metric names, topics with a period ('.') or underscore ('_') could collide. "
        + "To avoid issues it is best to use either, but not both."

    /// The name as an error message quotes it: whole, as Kafka does, up to `quotedBytesMax`
    /// bytes, so that a message about a name as long as a request may carry (32767 bytes)
    /// still fits a response's STRING.
    static func quoted(_ name: String) -> String {
        guard name.utf8.count > quotedBytesMax else { return name }
        return String(decoding: name.utf8.prefix(quotedBytesMax), as: UTF8.self) + "..."
    }

    static let quotedBytesMax = 1_000
}
