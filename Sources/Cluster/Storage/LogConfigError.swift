// Storage room: a refused log setting, worded as Kafka words it and answered with
// INVALID_CONFIG.

/// Why a topic setting was refused. Kafka answers CreateTopics and AlterConfigs with
/// `INVALID_CONFIG` and this message (`Invalid value 10 for configuration segment.bytes:
/// Value must be at least 14`).
public struct LogConfigError: Error, Equatable, Sendable, CustomStringConvertible {
    public var key: String
    public var value: String
    public var reason: String

    public init(key: String, value: String, reason: String) {
        self.key = key
        self.value = value
        self.reason = reason
    }

    public var errorCode: ErrorCode { .invalidConfig }

    public var description: String {
        "Invalid value \(value) for configuration \(key): \(reason)"
    }
}
