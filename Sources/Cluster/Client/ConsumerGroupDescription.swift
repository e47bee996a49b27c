// Client room: what the admin client reports about consumer groups: one line of a listing
// (kafka-consumer-groups.sh --list --state) and a group's description (--describe --members).

/// One group a broker coordinates. Mirrors Kafka's `ConsumerGroupListing`.
public struct ConsumerGroupListing: Sendable, Equatable {
    public var groupId: String
    /// Kafka's state name: Empty, Stable, PreparingRebalance, CompletingRebalance, Dead.
    public var state: String
    /// "consumer" for consumer groups; empty for a group that only commits offsets.
    public var protocolType: String

    public init(groupId: String, state: String, protocolType: String) {
        self.groupId = groupId
        self.state = state
        self.protocolType = protocolType
    }

    /// A group with no protocol type only stores offsets (Kafka's "simple consumer group").
    public var isSimpleConsumerGroup: Bool { protocolType.isEmpty }
}

/// A group as its coordinator describes it. Mirrors Kafka's `ConsumerGroupDescription`.
public struct ConsumerGroupDescription: Sendable, Equatable {
    /// One member and the partitions assigned to it. Mirrors Kafka's `MemberDescription`.
    public struct Member: Sendable, Equatable {
        public var memberId: String
        public var groupInstanceId: String?
        public var clientId: String
        /// As Kafka prints it: "/127.0.0.1".
        public var host: String
        /// Decoded from the consumer protocol's assignment; empty for other protocols.
        public var assignment: [TopicPartition]

        public init(
            memberId: String, groupInstanceId: String?, clientId: String, host: String,
            assignment: [TopicPartition]
        ) {
            self.memberId = memberId
            self.groupInstanceId = groupInstanceId
            self.clientId = clientId
            self.host = host
            self.assignment = assignment
        }
    }

    public var groupId: String
    /// NONE, or why the coordinator could not describe it (GROUP_ID_NOT_FOUND...).
    public var errorCode: ErrorCode
    public var state: String
    public var protocolType: String
    /// The assignor the group chose (range, roundrobin...), once it has one.
    public var partitionAssignor: String
    public var members: [Member]
    /// The broker coordinating the group.
    public var coordinator: Int32

    public init(
        groupId: String, errorCode: ErrorCode = .none, state: String = "", protocolType: String = "",
        partitionAssignor: String = "", members: [Member] = [], coordinator: Int32 = -1
    ) {
        self.groupId = groupId
        self.errorCode = errorCode
        self.state = state
        self.protocolType = protocolType
        self.partitionAssignor = partitionAssignor
        self.members = members
        self.coordinator = coordinator
    }
}
