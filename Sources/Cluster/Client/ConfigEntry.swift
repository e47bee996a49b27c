// Client room: one config of a topic as DescribeConfigs reports it, with where its value
// comes from (a topic override, a broker setting, Kafka's default).

/// One config value and its source. Mirrors Kafka's `ConfigEntry`.
public struct ConfigEntry: Sendable, Equatable {
    public var name: String
    /// nil for sensitive values and unset ones.
    public var value: String?
    /// Kafka's `ConfigSource` id (1 DYNAMIC_TOPIC_CONFIG ... 5 DEFAULT_CONFIG).
    public var source: Int8
    public var isReadOnly: Bool
    public var isSensitive: Bool

    public init(name: String, value: String?, source: Int8, isReadOnly: Bool, isSensitive: Bool) {
        self.name = name
        self.value = value
        self.source = source
        self.isReadOnly = isReadOnly
        self.isSensitive = isSensitive
    }

    public var isDefault: Bool { source == DescribeConfigsResponse.Config.defaultConfigSource }

    /// Kafka's name for `source`.
    public var sourceName: String {
        switch source {
        case 1: return "DYNAMIC_TOPIC_CONFIG"
        case 2: return "DYNAMIC_BROKER_CONFIG"
        case 3: return "DYNAMIC_DEFAULT_BROKER_CONFIG"
        case 4: return "STATIC_BROKER_CONFIG"
        case 5: return "DEFAULT_CONFIG"
        case 6: return "DYNAMIC_BROKER_LOGGER_CONFIG"
        case 7: return "CLIENT_METRICS_CONFIG"
        case 8: return "GROUP_CONFIG"
        default: return "UNKNOWN"
        }
    }
}
