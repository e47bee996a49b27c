// Groups room: the group coordinator's settings, under Kafka's dotted names, with shorter
// defaults where a classroom wants to watch a rebalance happen in a second.

/// The broker settings that shape classic groups, typed, beside a table of Kafka's names.
///
/// Each property mirrors a Kafka broker config (`GroupCoordinatorConfig`); `entries` lists
/// name, our default and Kafka's so the REPL can show where we differ and why.
public struct GroupConfig: Equatable, Sendable {
    /// `group.initial.rebalance.delay.ms`: how long an empty group's first rebalance waits for
    /// more members (extended while members keep arriving, up to the rebalance timeout).
    public var initialRebalanceDelay: Duration
    /// `group.min.session.timeout.ms`: JoinGroup with a shorter session timeout is refused.
    public var minSessionTimeout: Duration
    /// `group.max.session.timeout.ms`: JoinGroup with a longer session timeout is refused.
    public var maxSessionTimeout: Duration
    /// `offsets.topic.num.partitions`: partitions of `__consumer_offsets`; a group lives in
    /// exactly one, chosen by hashing its id.
    public var offsetsTopicNumPartitions: Int32
    /// `group.max.size`: members one group may hold (Kafka: unbounded, Int32.max).
    public var groupMaxSize: Int
    /// `offset.metadata.max.bytes`: the longest metadata string a commit may carry.
    public var offsetMetadataMaxBytes: Int
    /// How long a new member's JoinGroup may stay parked before it is dropped (Kafka's
    /// internal `classicGroupNewMemberJoinTimeoutMs`, 5 minutes; not a broker config).
    public var newMemberJoinTimeout: Duration

    public init(
        initialRebalanceDelay: Duration = .milliseconds(300),
        minSessionTimeout: Duration = .milliseconds(6_000),
        maxSessionTimeout: Duration = .milliseconds(1_800_000),
        offsetsTopicNumPartitions: Int32 = 50,
        groupMaxSize: Int = 1_000,
        offsetMetadataMaxBytes: Int = 4_096,
        newMemberJoinTimeout: Duration = .milliseconds(300_000)
    ) {
        self.initialRebalanceDelay = initialRebalanceDelay
        self.minSessionTimeout = minSessionTimeout
        self.maxSessionTimeout = maxSessionTimeout
        self.offsetsTopicNumPartitions = offsetsTopicNumPartitions
        self.groupMaxSize = groupMaxSize
        self.offsetMetadataMaxBytes = offsetMetadataMaxBytes
        self.newMemberJoinTimeout = newMemberJoinTimeout
    }

    /// One setting as the REPL shows it.
    public struct Entry: Equatable, Sendable {
        public var name: String
        public var value: String
        public var kafkaDefault: String
    }

    /// Kafka's name, our value and Kafka's default for every setting with a Kafka name.
    public var entries: [Entry] {
        [
            Entry(
                name: "group.initial.rebalance.delay.ms",
                value: String(initialRebalanceDelay.milliseconds),
                kafkaDefault: "3000"),
            Entry(
                name: "group.min.session.timeout.ms", value: String(minSessionTimeout.milliseconds),
                kafkaDefault: "6000"),
            Entry(
                name: "group.max.session.timeout.ms", value: String(maxSessionTimeout.milliseconds),
                kafkaDefault: "1800000"),
            Entry(
                name: "offsets.topic.num.partitions", value: String(offsetsTopicNumPartitions),
                kafkaDefault: "50"),
            Entry(name: "group.max.size", value: String(groupMaxSize), kafkaDefault: "2147483647"),
            Entry(
                name: "offset.metadata.max.bytes", value: String(offsetMetadataMaxBytes),
                kafkaDefault: "4096"),
        ]
    }

    /// The `__consumer_offsets` partition that holds `groupId`: Kafka's
    /// `Utils.abs(groupId.hashCode()) % offsets.topic.num.partitions`, where `Utils.abs` masks
    /// the sign bit (`& 0x7fffffff`) rather than negating.
    public func offsetsPartition(for groupId: String) -> Int32 {
        let partitions = max(1, offsetsTopicNumPartitions)
        return (Self.javaStringHashCode(groupId) & 0x7FFF_FFFF) % partitions
    }

    /// Java's `String.hashCode()`: `s[0]*31^(n-1) + ... + s[n-1]` over UTF-16 code units,
    /// in wrapping 32-bit arithmetic.
    public static func javaStringHashCode(_ s: String) -> Int32 {
        var hash: Int32 = 0
        for unit in s.utf16 { hash = hash &* 31 &+ Int32(unit) }
        return hash
    }
}
