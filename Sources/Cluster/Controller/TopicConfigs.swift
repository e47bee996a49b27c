// Controller room: which topic-level configs exist here and whether a value is valid. The log
// owns most (segment.bytes, retention.ms...); the rest are checked here.

/// Topic configs beyond the ones `LogConfig` owns, with their defaults.
public enum TopicConfigs {
    /// Settings that are not the log's: name, default, and what is accepted.
    public static let otherKeys: [(name: String, defaultValue: String)] = [
        ("cleanup.policy", "delete"),
        ("min.insync.replicas", "1"),
        ("unclean.leader.election.enable", "false"),
    ]

    /// `unclean.leader.election.enable` of a topic: its override, else the broker default
    /// (false, as Kafka's). Parsed as Kafka's `ConfigDef` parses a BOOLEAN.
    public static func uncleanLeaderElectionEnable(_ configs: [String: String]) -> Bool {
        configs["unclean.leader.election.enable"].flatMap(parseBoolean) ?? false
    }

    /// "true" or "false" in any case, around spaces; nil for anything else.
    static func parseBoolean(_ text: String) -> Bool? {
        let trimmed = text.drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace)
        switch String(trimmed.reversed()).lowercased() {
        case "true": return true
        case "false": return false
        default: return nil
        }
    }

    public static var allNames: [String] {
        (LogConfig.keys.map(\.name) + otherKeys.map(\.name)).sorted()
    }

    /// nil when every entry is a known topic config with a valid value, else Kafka-style reason.
    public static func problem(with configs: [String: String]) -> String? {
        for name in configs.keys.sorted() {
            let value = configs[name] ?? ""
            switch name {
            case "cleanup.policy":
                if value == "compact" || value.contains("compact") {
                    return "Invalid value \(value) for configuration cleanup.policy: log compaction is not available in this cluster yet; use delete."
                }
                if value != "delete" { return "Invalid value \(value) for configuration cleanup.policy: String must be one of: compact, delete" }
            case "unclean.leader.election.enable":
                guard parseBoolean(value) != nil else {
                    return "Invalid value \(value) for configuration unclean.leader.election.enable: Expected value to be either true or false"
                }
            case "min.insync.replicas":
                // Kafka's INT: 32 bits, read after trimming.
                guard let n = Int32(LogConfigKey.javaTrimmed(value)) else {
                    return "Invalid value \(value) for configuration min.insync.replicas: Not a number of type INT"
                }
                guard n >= 1 else {
                    return "Invalid value \(value) for configuration min.insync.replicas: Value must be at least 1"
                }
            default:
                guard LogConfig.key(named: name) != nil else { return "Unknown topic config name: \(name)" }
            }
        }
        if case .failure(let error) = LogConfig.parse(configs) { return error.description }
        return nil
    }

    /// Every topic config with its effective value and whether the topic overrides it.
    public static func describe(_ overrides: [String: String]) -> [(name: String, value: String, isDefault: Bool)] {
        let log: LogConfig
        switch LogConfig.parse(overrides) {
        case .success(let c): log = c
        case .failure: log = .default
        }
        var out: [(name: String, value: String, isDefault: Bool)] = log.settings.map { ($0.name, $0.value, overrides[$0.name] == nil) }
        for (name, value) in otherKeys { out.append((name, overrides[name] ?? value, overrides[name] == nil)) }
        return out.sorted { $0.name < $1.name }
    }
}
