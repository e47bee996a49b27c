// Client room: a group consumer's membership settings with Kafka's names, our shorter
// learning defaults beside Kafka's, and the fetch settings it shares with `Consumer`.

/// How a `GroupConsumer` joins, stays in and commits for its group.
///
/// Timeouts keep Kafka's names but are shorter by default here, so a rebalance or an expired
/// member can be watched within seconds: `session.timeout.ms` 10000 (Kafka 45000),
/// `heartbeat.interval.ms` 1000 (3000), `auto.commit.interval.ms` 1000 (5000). Fetching uses
/// `fetch`, a `ConsumerConfig`. Mirrors the group part of Kafka's `ConsumerConfig`.
public struct GroupConsumerConfig: Sendable, Equatable {
    /// `group.id`: the group to join; required.
    public var groupId: String
    /// `group.instance.id`: a static member's stable name (KIP-345); nil for dynamic members.
    public var groupInstanceId: String?
    /// `session.timeout.ms`: without a heartbeat for this long the coordinator drops us.
    public var sessionTimeout: Duration = .milliseconds(10_000)
    /// `heartbeat.interval.ms`: how often the background loop heartbeats.
    public var heartbeatInterval: Duration = .milliseconds(1_000)
    /// `max.poll.interval.ms`: the most time between polls before we leave the group; also the
    /// rebalance timeout sent in JoinGroup, as Kafka's consumer does.
    public var maxPollInterval: Duration = .milliseconds(300_000)
    /// `partition.assignment.strategy`: the assignors offered, preferred first.
    public var assignmentStrategies: [Assignors.Strategy] = [.range]
    /// `enable.auto.commit`.
    public var enableAutoCommit = true
    /// `auto.commit.interval.ms`.
    public var autoCommitInterval: Duration = .milliseconds(1_000)
    /// The fetch settings (and `auto.offset.reset`, used when nothing is committed).
    public var fetch = ConsumerConfig()

    public init(groupId: String) { self.groupId = groupId }

    /// `auto.offset.reset`, kept in the fetch settings.
    public var autoOffsetReset: AutoOffsetReset {
        get { fetch.autoOffsetReset }
        set { fetch.autoOffsetReset = newValue }
    }

    /// Reads Kafka-style properties; fetch settings go to `ConsumerConfig`.
    public init(properties: [String: String]) throws(KafkaClientError) {
        var group: [String: String] = [:]
        var rest: [String: String] = [:]
        let names = Set(Self.settings.map(\.name))
        for (name, value) in properties {
            if names.contains(name) { group[name] = value } else { rest[name] = value }
        }
        var reader = PropertyReader(group, known: Self.settings)
        guard let id = reader.string("group.id"), !id.isEmpty else {
            throw .invalidConfig("group.id is required for a group consumer")
        }
        self.init(groupId: id)
        fetch = try ConsumerConfig(properties: rest)
        if let instance = reader.string("group.instance.id"), !instance.isEmpty {
            groupInstanceId = instance
        }
        if let v = try reader.milliseconds("session.timeout.ms") { sessionTimeout = v }
        if let v = try reader.milliseconds("heartbeat.interval.ms") { heartbeatInterval = v }
        if let v = try reader.milliseconds("max.poll.interval.ms") { maxPollInterval = v }
        if let text = reader.string("partition.assignment.strategy") {
            assignmentStrategies = try Self.strategies(text)
        }
        if let v = try reader.bool("enable.auto.commit") { enableAutoCommit = v }
        if let v = try reader.milliseconds("auto.commit.interval.ms") { autoCommitInterval = v }
        try reader.finish()
        try validate()
    }

    /// Refuses what Kafka's consumer refuses at construction.
    public func validate() throws(KafkaClientError) {
        guard !groupId.isEmpty else { throw .invalidConfig("group.id must not be empty") }
        guard !assignmentStrategies.isEmpty else {
            throw .invalidConfig("partition.assignment.strategy needs at least one assignor")
        }
        guard heartbeatInterval > .zero, heartbeatInterval < sessionTimeout else {
            throw .invalidConfig(
                "heartbeat.interval.ms (\(heartbeatInterval.milliseconds)) must be above 0 and "
                    + "below session.timeout.ms (\(sessionTimeout.milliseconds))")
        }
    }

    /// "range", "roundrobin, sticky", or Kafka's class names (`...RangeAssignor`).
    static func strategies(_ text: String) throws(KafkaClientError) -> [Assignors.Strategy] {
        var out: [Assignors.Strategy] = []
        for part in text.split(separator: ",") {
            let name = String(part).trimmingSpaces
            let short = name.split(separator: ".").last.map(String.init) ?? name
            let strategy: Assignors.Strategy?
            switch short.lowercased() {
            case "range", "rangeassignor": strategy = .range
            case "roundrobin", "roundrobinassignor": strategy = .roundrobin
            case "sticky", "stickyassignor": strategy = .sticky
            default: strategy = nil
            }
            guard let strategy else {
                throw .invalidConfig(
                    "partition.assignment.strategy '\(name)' is not one of range, roundrobin, sticky")
            }
            if !out.contains(strategy) { out.append(strategy) }
        }
        return out
    }

    public static let settings: [ConfigSetting] = [
        ConfigSetting("group.id", ours: "", kafka: "null", "the group to join"),
        ConfigSetting("group.instance.id", ours: "", kafka: "null", "static member name"),
        ConfigSetting("session.timeout.ms", ours: "10000", kafka: "45000", "silence before expiry"),
        ConfigSetting("heartbeat.interval.ms", ours: "1000", kafka: "3000", "heartbeat period"),
        ConfigSetting("max.poll.interval.ms", ours: "300000", kafka: "300000", "longest gap between polls"),
        ConfigSetting(
            "partition.assignment.strategy", ours: "range", kafka: "range,cooperative-sticky",
            "assignors offered (range, roundrobin, sticky)"),
        ConfigSetting("enable.auto.commit", ours: "true", kafka: "true", "commit positions periodically"),
        ConfigSetting("auto.commit.interval.ms", ours: "1000", kafka: "5000", "auto-commit period"),
    ]
}
