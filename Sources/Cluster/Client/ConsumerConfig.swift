// Client room: the consumer's fetch settings with Kafka's names and defaults, and what to do
// when a position is missing or out of range (auto.offset.reset).

/// What to do without a valid position. Mirrors Kafka's `AutoOffsetResetStrategy`.
public enum AutoOffsetReset: String, Sendable, Equatable {
    case earliest, latest, none
}

/// How a `Consumer` fetches. Defaults are Kafka 4.0's. Mirrors Kafka's `ConsumerConfig`.
public struct ConsumerConfig: Sendable, Equatable {
    /// `fetch.min.bytes`: the broker waits (up to `fetch.max.wait.ms`) for this much data.
    public var fetchMinBytes: Int32 = 1
    /// `fetch.max.bytes`: the most one Fetch answer should carry.
    public var fetchMaxBytes: Int32 = 52_428_800
    /// `max.partition.fetch.bytes`: the most per partition in one Fetch.
    public var maxPartitionFetchBytes: Int32 = 1_048_576
    /// `fetch.max.wait.ms`: the long-poll bound the broker may wait for `fetch.min.bytes`.
    public var fetchMaxWait: Duration = .milliseconds(500)
    /// `max.poll.records`: the most records one `poll` returns.
    public var maxPollRecords = 500
    /// `auto.offset.reset`.
    public var autoOffsetReset: AutoOffsetReset = .latest
    /// `retry.backoff.ms`: the pause after a fetch round that could not be sent.
    public var retryBackoff: Duration = .milliseconds(100)
    /// `client.rack`: sent in Fetch v11+ (KIP-392).
    public var clientRack = ""

    public init() {}

    public init(properties: [String: String]) throws(KafkaClientError) {
        var reader = PropertyReader(properties, known: Self.settings + ClientConfig.settings)
        let int32 = 0...Int(Int32.max)
        if let v = try reader.int("fetch.min.bytes", in: int32) { fetchMinBytes = Int32(v) }
        if let v = try reader.int("fetch.max.bytes", in: int32) { fetchMaxBytes = Int32(v) }
        if let v = try reader.int("max.partition.fetch.bytes", in: int32) {
            maxPartitionFetchBytes = Int32(v)
        }
        if let v = try reader.milliseconds("fetch.max.wait.ms") { fetchMaxWait = v }
        if let v = try reader.int("max.poll.records", in: 1...Int(Int32.max)) { maxPollRecords = v }
        if let text = reader.string("auto.offset.reset") {
            guard let reset = AutoOffsetReset(rawValue: text.lowercased()) else {
                throw .invalidConfig("auto.offset.reset=\(text) must be earliest, latest or none")
            }
            autoOffsetReset = reset
        }
        if let v = try reader.milliseconds("retry.backoff.ms") { retryBackoff = v }
        if let rack = reader.string("client.rack") { clientRack = rack }
        if let level = reader.string("isolation.level"), level != "read_uncommitted" {
            throw .invalidConfig(
                "isolation.level=\(level) is not supported here; only read_uncommitted")
        }
        try reader.finish()
    }

    public static let settings: [ConfigSetting] = [
        ConfigSetting(
            "fetch.min.bytes", ours: "1", kafka: "1", "the broker waits for this much data"),
        ConfigSetting(
            "fetch.max.bytes", ours: "52428800", kafka: "52428800", "most bytes per Fetch"),
        ConfigSetting(
            "max.partition.fetch.bytes", ours: "1048576", kafka: "1048576",
            "most bytes per partition"),
        ConfigSetting("fetch.max.wait.ms", ours: "500", kafka: "500", "longest broker-side wait"),
        ConfigSetting("max.poll.records", ours: "500", kafka: "500", "most records per poll"),
        ConfigSetting(
            "auto.offset.reset", ours: "latest", kafka: "latest",
            "where to start without a position"),
        ConfigSetting(
            "isolation.level", ours: "read_uncommitted", kafka: "read_uncommitted",
            "only read_uncommitted here"),
        ConfigSetting("client.rack", ours: "", kafka: "", "rack id sent in Fetch"),
    ]
}
