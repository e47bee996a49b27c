// Storage room: the table of log settings by Kafka's dotted names, with their defaults and
// validators, so the broker can accept `segment.bytes=16384` and the REPL can list them.

/// One topic-level setting of `LogConfig`: its Kafka name, both defaults, what values it
/// takes, and how to read and set it.
///
/// Mirrors one `define(...)` line of Kafka's `LogConfig.CONFIG`. Where we accept values
/// Kafka would refuse (a 16 KiB `segment.bytes`, so that a learner sees segments roll), the
/// validator says so in `validValues`.
public struct LogConfigKey: Sendable {
    public typealias Parse = @Sendable (inout LogConfig, String) -> String?

    public let name: String
    /// Kafka's default, as Kafka's docs print it.
    public let kafkaDefault: String
    /// The accepted values, in words ("at least 1024").
    public let validValues: String
    public let documentation: String
    let render: @Sendable (LogConfig) -> String
    /// Sets the value; returns the reason when the text is refused.
    let apply: Parse

    /// The value as text in `config`.
    public func value(in config: LogConfig) -> String { render(config) }

    /// An INT setting (Kafka's INT is 32 bits) at least `minimum`.
    static func int(
        _ name: String, kafkaDefault: String, atLeast minimum: Int, note: String = "",
        _ documentation: String, _ field: WritableKeyPath<LogConfig, Int> & Sendable
    ) -> LogConfigKey {
        LogConfigKey(
            name: name, kafkaDefault: kafkaDefault, validValues: "[\(minimum),...]" + note,
            documentation: documentation, render: { String($0[keyPath: field]) },
            apply: { config, text in
                guard let value = Int32(javaTrimmed(text)) else { return "Not a number of type INT" }
                guard Int(value) >= minimum else { return "Value must be at least \(minimum)" }
                config[keyPath: field] = Int(value)
                return nil
            })
    }

    /// A LONG setting, at least `minimum` when one is given.
    static func long(
        _ name: String, kafkaDefault: String, atLeast minimum: Int64?,
        _ documentation: String, _ field: WritableKeyPath<LogConfig, Int64> & Sendable
    ) -> LogConfigKey {
        LogConfigKey(
            name: name, kafkaDefault: kafkaDefault,
            validValues: minimum.map { "[\($0),...]" } ?? "any",
            documentation: documentation, render: { String($0[keyPath: field]) },
            apply: { config, text in
                guard let value = Int64(javaTrimmed(text)) else { return "Not a number of type LONG" }
                if let minimum, value < minimum { return "Value must be at least \(minimum)" }
                config[keyPath: field] = value
                return nil
            })
    }

    /// The text without the leading and trailing spaces and control characters Java's
    /// `String.trim()` drops, as Kafka's `ConfigDef.parseType` does before it reads a number.
    static func javaTrimmed(_ text: String) -> Substring {
        let isSpace: (Character) -> Bool = { $0.unicodeScalars.allSatisfy { $0.value <= 0x20 } }
        let start = text.firstIndex { !isSpace($0) } ?? text.endIndex
        let end = text.lastIndex { !isSpace($0) }.map { text.index(after: $0) } ?? start
        return text[start..<max(start, end)]
    }
}
