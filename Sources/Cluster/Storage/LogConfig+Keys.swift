// Storage room: `LogConfig` by Kafka's dotted names: the table, parsing a topic's
// `[String: String]` settings, and listing the effective values.

extension LogConfig {
    /// The settings a partition log follows, by Kafka's names, sorted by name.
    public static let keys: [LogConfigKey] = [
        .long(
            "flush.messages", kafkaDefault: String(Int64.max), atLeast: 1,
            "fsync the log after this many records not yet flushed", \.flushMessages),
        .long(
            "flush.ms", kafkaDefault: String(Int64.max), atLeast: 0,
            "fsync the log when the last flush is older than this", \.flushMs),
        .int(
            "index.interval.bytes", kafkaDefault: "4096", atLeast: 0,
            "log bytes between two entries of the offset index", \.indexIntervalBytes),
        .int(
            "max.message.bytes", kafkaDefault: "1048588", atLeast: 0,
            "the largest record batch the log accepts", \.maxMessageBytes),
        LogConfigKey(
            name: "message.timestamp.type", kafkaDefault: "CreateTime",
            validValues: "[CreateTime, LogAppendTime]",
            documentation: "keep the producer's timestamps, or stamp the broker's append time",
            render: { $0.messageTimestampType == .logAppendTime ? "LogAppendTime" : "CreateTime" },
            apply: { config, text in
                switch text {
                case "CreateTime": config.messageTimestampType = .createTime
                case "LogAppendTime": config.messageTimestampType = .logAppendTime
                default: return "String must be one of: CreateTime, LogAppendTime"
                }
                return nil
            }),
        .long(
            "retention.bytes", kafkaDefault: "-1", atLeast: nil,
            "delete the oldest closed segments while the partition is larger (-1: no limit)",
            \.retentionBytes),
        .long(
            "retention.ms", kafkaDefault: "604800000", atLeast: -1,
            "delete a closed segment once its newest record is older (-1: keep forever)",
            \.retentionMs),
        .int(
            "segment.bytes", kafkaDefault: "1073741824", atLeast: 14,
            note: " (Kafka 3's minimum, one record's overhead; Kafka 4 requires at least 1048576)",
            "roll a new segment before the log file would grow past this", \.segmentBytes),
        .int(
            "segment.index.bytes", kafkaDefault: "10485760", atLeast: 4,
            "the largest .index or .timeindex file; a full index rolls the segment",
            \.segmentIndexBytes),
        .long(
            "segment.ms", kafkaDefault: "604800000", atLeast: 1,
            "roll a new segment once the active one spans this long", \.segmentMs),
    ]

    /// The table entry for a Kafka name, or nil when the log does not own that setting.
    public static func key(named name: String) -> LogConfigKey? {
        keys.first { $0.name == name }
    }

    /// `base` with every setting in `values` that the log owns applied and checked.
    ///
    /// Names the log does not own (`cleanup.policy`, `min.insync.replicas`...) are left to
    /// the caller, which knows the rest of Kafka's topic settings. The first refused value,
    /// in name order, is the error, as Kafka reports one at a time.
    public static func parse(
        _ values: [String: String], base: LogConfig = .default
    ) -> Result<LogConfig, LogConfigError> {
        var config = base
        for name in values.keys.sorted() {
            guard let key = key(named: name), let text = values[name] else { continue }
            if let reason = key.apply(&config, text) {
                return .failure(LogConfigError(key: name, value: text, reason: reason))
            }
        }
        return .success(config)
    }

    /// Every setting the log owns with its value here, sorted by name, for `describe`.
    public var settings: [(name: String, value: String)] {
        Self.keys.map { ($0.name, $0.value(in: self)) }
    }
}
