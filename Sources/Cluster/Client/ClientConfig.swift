// Client room: the settings shared by every client built on one KafkaClient: where to
// bootstrap, how long requests may take and how retries back off. Kafka's names and defaults.

/// Connection and retry settings of a `KafkaClient`.
///
/// Mirrors the `CommonClientConfigs` part of Kafka's producer, consumer and admin configs:
/// `bootstrap.servers`, `client.id`, `request.timeout.ms`, `retries`, `retry.backoff.ms`,
/// `retry.backoff.max.ms` (KIP-580), `metadata.max.age.ms` and `default.api.timeout.ms`.
public struct ClientConfig: Sendable, Equatable {
    /// `host:port` pairs; the first reachable one answers the first Metadata request.
    public var bootstrapServers: [String]
    public var clientId: String
    /// `request.timeout.ms`: a request without an answer this long closes its connection,
    /// as Kafka's `NetworkClient` does, which fails everything else in flight on it.
    public var requestTimeout: Duration
    /// `retries` for admin and metadata calls.
    public var retries: Int
    /// `retry.backoff.ms`: the first wait before a retry; it doubles up to `retryBackoffMax`.
    public var retryBackoff: Duration
    /// `retry.backoff.max.ms`.
    public var retryBackoffMax: Duration
    /// `metadata.max.age.ms`: cached metadata older than this is refreshed before use.
    public var metadataMaxAge: Duration
    /// `default.api.timeout.ms`: the bound on a whole admin call, retries included.
    public var defaultApiTimeout: Duration
    /// Sent in ApiVersions v3 (KIP-511), shown by brokers in their request logs.
    public var clientSoftwareName: String
    public var clientSoftwareVersion: String

    public init(
        bootstrapServers: [String], clientId: String = "swiftka-learn",
        requestTimeout: Duration = .milliseconds(30_000), retries: Int = Int(Int32.max),
        retryBackoff: Duration = .milliseconds(100),
        retryBackoffMax: Duration = .milliseconds(1_000),
        metadataMaxAge: Duration = .milliseconds(300_000),
        defaultApiTimeout: Duration = .milliseconds(60_000),
        clientSoftwareName: String = "swiftka-learn", clientSoftwareVersion: String = "0.1.0"
    ) {
        self.bootstrapServers = bootstrapServers
        self.clientId = clientId
        self.requestTimeout = requestTimeout
        self.retries = retries
        self.retryBackoff = retryBackoff
        self.retryBackoffMax = retryBackoffMax
        self.metadataMaxAge = metadataMaxAge
        self.defaultApiTimeout = defaultApiTimeout
        self.clientSoftwareName = clientSoftwareName
        self.clientSoftwareVersion = clientSoftwareVersion
    }

    /// The settings table, for the REPL's `config` listings.
    public static let settings: [ConfigSetting] = [
        ConfigSetting("bootstrap.servers", ours: "", kafka: "", "host:port list to start from"),
        ConfigSetting("client.id", ours: "swiftka-learn", kafka: "", "name in broker logs"),
        ConfigSetting(
            "request.timeout.ms", ours: "30000", kafka: "30000",
            "wait this long for an answer, then close the connection"),
        ConfigSetting("retries", ours: "2147483647", kafka: "2147483647", "retry limit"),
        ConfigSetting("retry.backoff.ms", ours: "100", kafka: "100", "first retry wait"),
        ConfigSetting("retry.backoff.max.ms", ours: "1000", kafka: "1000", "longest retry wait"),
        ConfigSetting(
            "metadata.max.age.ms", ours: "300000", kafka: "300000", "refresh metadata this often"),
        ConfigSetting(
            "default.api.timeout.ms", ours: "60000", kafka: "60000", "bound on one admin call"),
    ]

    /// Reads the common settings out of `properties`, leaving the rest to the caller.
    mutating func read(_ reader: inout PropertyReader) throws(KafkaClientError) {
        if let servers = reader.string("bootstrap.servers") {
            bootstrapServers = servers.split(separator: ",").map { String($0).trimmingSpaces }
        }
        if let id = reader.string("client.id") { clientId = id }
        if let v = try reader.milliseconds("request.timeout.ms") { requestTimeout = v }
        if let v = try reader.int("retries", in: 0...Int(Int32.max)) { retries = v }
        if let v = try reader.milliseconds("retry.backoff.ms") { retryBackoff = v }
        if let v = try reader.milliseconds("retry.backoff.max.ms") { retryBackoffMax = v }
        if let v = try reader.milliseconds("metadata.max.age.ms") { metadataMaxAge = v }
        if let v = try reader.milliseconds("default.api.timeout.ms") { defaultApiTimeout = v }
    }

    /// The wait before retry number `attempt` (1-based): `retry.backoff.ms` doubled each
    /// time, capped at `retry.backoff.max.ms`, as KIP-580 describes (without its jitter, so
    /// that a run repeats).
    public func backoff(attempt: Int) -> Duration {
        Self.backoff(attempt: attempt, base: retryBackoff, max: retryBackoffMax)
    }

    static func backoff(attempt: Int, base: Duration, max cap: Duration) -> Duration {
        var wait = base
        var step = 1
        while step < attempt && wait < cap {
            wait = wait * 2
            step += 1
        }
        return Swift.min(wait, Swift.max(cap, base))
    }

    /// Splits `host:port` (the host may be an IPv6 literal in brackets).
    public static func parseServer(_ text: String) throws(KafkaClientError) -> (
        host: String, port: Int
    ) {
        let trimmed = text.trimmingSpaces
        guard let colon = trimmed.lastIndex(of: ":") else { throw .invalidBootstrapServer(text) }
        var host = String(trimmed[..<colon])
        if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        guard !host.isEmpty, let port = Int(trimmed[trimmed.index(after: colon)...]),
            (1...65_535).contains(port)
        else { throw .invalidBootstrapServer(text) }
        return (host, port)
    }
}
