// Client room: the producer's settings with Kafka's names and Kafka 4's defaults, the checks
// Kafka's ProducerConfig makes, and the table the REPL prints.

/// How a `Producer` batches, acknowledges and retries.
///
/// Defaults are Kafka 4.0's: `acks=all` and `enable.idempotence=true` (since 3.0),
/// `linger.ms=5` (KIP-1030), `batch.size=16384`, `delivery.timeout.ms=120000`,
/// `max.in.flight.requests.per.connection=5`. Mirrors Kafka's `ProducerConfig`.
public struct ProducerConfig: Sendable, Equatable {
    /// -1 (all in-sync replicas), 1 (the leader) or 0 (no answer at all).
    public var acks: Int16 = -1
    /// `linger.ms`: how long a batch waits for more records before it is sent.
    public var linger: Duration = .milliseconds(5)
    /// `batch.size`: a batch closes when it reaches this many bytes.
    public var batchSize = 16_384
    /// `retries`: resends of a batch after retriable errors (bounded by the delivery timeout).
    public var retries = Int(Int32.max)
    public var retryBackoff: Duration = .milliseconds(100)
    public var retryBackoffMax: Duration = .milliseconds(1_000)
    /// `delivery.timeout.ms`: the bound on a record's whole journey, retries included.
    public var deliveryTimeout: Duration = .milliseconds(120_000)
    /// `request.timeout.ms`: sent as the Produce timeout and bounding each request.
    public var requestTimeout: Duration = .milliseconds(30_000)
    /// `enable.idempotence`: producer id + sequence numbers, so retries never duplicate.
    public var enableIdempotence = true
    /// `compression.type`: none or gzip here.
    public var compression: CompressionCodec = .none
    /// `max.in.flight.requests.per.connection`.
    public var maxInFlightRequestsPerConnection = 5
    /// `max.request.size`: the largest Produce request (and so the largest record).
    public var maxRequestSize = 1_048_576
    /// `buffer.memory`: records waiting to be sent; `send` waits when it is full.
    public var bufferMemory = 33_554_432
    /// `max.block.ms`: how long `send` may wait for metadata or buffer space.
    public var maxBlock: Duration = .milliseconds(60_000)

    public init() {}

    /// Reads `name=value` properties as Kafka's producer does. As in Kafka, idempotence is
    /// switched off quietly when it was not asked for and `acks` or the in-flight limit
    /// conflict with it, but an explicit `enable.idempotence=true` with them is an error.
    public init(properties: [String: String]) throws(KafkaClientError) {
        var reader = PropertyReader(properties, known: Self.settings + ClientConfig.settings)
        if let text = reader.string("acks") {
            switch text.lowercased() {
            case "all", "-1": acks = -1
            case "1": acks = 1
            case "0": acks = 0
            default: throw .invalidConfig("acks=\(text) must be all, -1, 0 or 1")
            }
        }
        if let v = try reader.milliseconds("linger.ms") { linger = v }
        if let v = try reader.int("batch.size", in: 0...Int(Int32.max)) { batchSize = v }
        if let v = try reader.int("retries", in: 0...Int(Int32.max)) { retries = v }
        if let v = try reader.milliseconds("retry.backoff.ms") { retryBackoff = v }
        if let v = try reader.milliseconds("retry.backoff.max.ms") { retryBackoffMax = v }
        if let v = try reader.milliseconds("delivery.timeout.ms") { deliveryTimeout = v }
        if let v = try reader.milliseconds("request.timeout.ms") { requestTimeout = v }
        if let text = reader.string("compression.type") {
            compression = try Self.codec(text)
        }
        if let v = try reader.int("max.in.flight.requests.per.connection", in: 1...Int(Int32.max)) {
            maxInFlightRequestsPerConnection = v
        }
        if let v = try reader.int("max.request.size", in: 1...Int(Int32.max)) { maxRequestSize = v }
        if let v = try reader.int("buffer.memory", in: 0...Int(Int64.max)) { bufferMemory = v }
        if let v = try reader.milliseconds("max.block.ms") { maxBlock = v }
        let explicitIdempotence = try reader.bool("enable.idempotence")
        if let explicitIdempotence {
            enableIdempotence = explicitIdempotence
        } else if acks != -1 || retries == 0 || maxInFlightRequestsPerConnection > 5 {
            enableIdempotence = false
        }
        try reader.finish()
        try validate()
    }

    private static func codec(_ text: String) throws(KafkaClientError) -> CompressionCodec {
        switch text.lowercased() {
        case "none": return .none
        case "gzip": return .gzip
        case "snappy", "lz4", "zstd":
            throw .invalidConfig("compression.type=\(text) is not supported here; use none or gzip")
        default:
            throw .invalidConfig("compression.type=\(text) must be none, gzip, snappy, lz4 or zstd")
        }
    }

    /// The checks of Kafka's `ProducerConfig`; throws on the first broken rule.
    public func validate() throws(KafkaClientError) {
        guard [-1, 0, 1].contains(acks) else { throw .invalidConfig("acks must be -1, 0 or 1") }
        guard compression == .none || compression == .gzip else {
            throw .invalidConfig("compression.type=\(compression) is not supported here")
        }
        guard maxInFlightRequestsPerConnection >= 1 else {
            throw .invalidConfig("max.in.flight.requests.per.connection must be at least 1")
        }
        if enableIdempotence {
            guard acks == -1 else {
                throw .invalidConfig("enable.idempotence=true requires acks=all")
            }
            guard retries > 0 else {
                throw .invalidConfig("enable.idempotence=true requires retries > 0")
            }
            guard maxInFlightRequestsPerConnection <= 5 else {
                throw .invalidConfig(
                    "enable.idempotence=true requires max.in.flight.requests.per.connection <= 5")
            }
        }
        guard deliveryTimeout >= linger + requestTimeout else {
            throw .invalidConfig(
                "delivery.timeout.ms should be at least linger.ms + request.timeout.ms")
        }
    }

    /// Kafka's `acks` as it is written in configs.
    public var acksName: String { acks == -1 ? "all" : String(acks) }

    public static let settings: [ConfigSetting] = [
        ConfigSetting(
            "acks", ours: "all", kafka: "all", "who must have a record before it is acknowledged"),
        ConfigSetting("linger.ms", ours: "5", kafka: "5", "wait this long to fill a batch"),
        ConfigSetting("batch.size", ours: "16384", kafka: "16384", "bytes per partition batch"),
        ConfigSetting(
            "retries", ours: "2147483647", kafka: "2147483647", "resends on retriable errors"),
        ConfigSetting("retry.backoff.ms", ours: "100", kafka: "100", "first wait before a resend"),
        ConfigSetting(
            "retry.backoff.max.ms", ours: "1000", kafka: "1000", "longest wait before a resend"),
        ConfigSetting(
            "delivery.timeout.ms", ours: "120000", kafka: "120000", "bound on send to answer"),
        ConfigSetting("request.timeout.ms", ours: "30000", kafka: "30000", "bound on one request"),
        ConfigSetting(
            "enable.idempotence", ours: "true", kafka: "true", "sequence numbers against duplicates"
        ),
        ConfigSetting("compression.type", ours: "none", kafka: "none", "none or gzip here"),
        ConfigSetting(
            "max.in.flight.requests.per.connection", ours: "5", kafka: "5",
            "unanswered requests per broker"),
        ConfigSetting(
            "max.request.size", ours: "1048576", kafka: "1048576", "largest Produce request"),
        ConfigSetting(
            "buffer.memory", ours: "33554432", kafka: "33554432", "bytes waiting to be sent"),
        ConfigSetting("max.block.ms", ours: "60000", kafka: "60000", "how long send may wait"),
    ]
}
