// Protocol room: the numeric API keys of Kafka's protocol, with Kafka's names.

/// A Kafka API key. A struct so that an unknown key read from a client is still a value
/// the broker can name in an error before it closes the connection.
public struct ApiKey: RawRepresentable, Hashable, Sendable, Comparable, CustomStringConvertible {
    public var rawValue: Int16
    public init(rawValue: Int16) { self.rawValue = rawValue }

    public static let produce = ApiKey(rawValue: 0)
    public static let fetch = ApiKey(rawValue: 1)
    public static let listOffsets = ApiKey(rawValue: 2)
    public static let metadata = ApiKey(rawValue: 3)
    public static let offsetCommit = ApiKey(rawValue: 8)
    public static let offsetFetch = ApiKey(rawValue: 9)
    public static let findCoordinator = ApiKey(rawValue: 10)
    public static let joinGroup = ApiKey(rawValue: 11)
    public static let heartbeat = ApiKey(rawValue: 12)
    public static let leaveGroup = ApiKey(rawValue: 13)
    public static let syncGroup = ApiKey(rawValue: 14)
    public static let describeGroups = ApiKey(rawValue: 15)
    public static let listGroups = ApiKey(rawValue: 16)
    public static let saslHandshake = ApiKey(rawValue: 17)
    public static let apiVersions = ApiKey(rawValue: 18)
    public static let createTopics = ApiKey(rawValue: 19)
    public static let deleteTopics = ApiKey(rawValue: 20)
    public static let deleteRecords = ApiKey(rawValue: 21)
    public static let initProducerId = ApiKey(rawValue: 22)
    public static let offsetForLeaderEpoch = ApiKey(rawValue: 23)
    public static let describeConfigs = ApiKey(rawValue: 32)
    public static let alterConfigs = ApiKey(rawValue: 33)
    public static let createPartitions = ApiKey(rawValue: 37)
    public static let deleteGroups = ApiKey(rawValue: 42)
    public static let electLeaders = ApiKey(rawValue: 43)
    public static let incrementalAlterConfigs = ApiKey(rawValue: 44)
    public static let offsetDelete = ApiKey(rawValue: 47)
    public static let vote = ApiKey(rawValue: 52)
    public static let beginQuorumEpoch = ApiKey(rawValue: 53)
    public static let endQuorumEpoch = ApiKey(rawValue: 54)
    public static let describeQuorum = ApiKey(rawValue: 55)
    public static let alterPartition = ApiKey(rawValue: 56)
    public static let describeCluster = ApiKey(rawValue: 60)
    public static let brokerRegistration = ApiKey(rawValue: 62)
    public static let brokerHeartbeat = ApiKey(rawValue: 63)
    public static let allocateProducerIds = ApiKey(rawValue: 67)

    private static let names: [Int16: String] = [
        0: "Produce", 1: "Fetch", 2: "ListOffsets", 3: "Metadata", 8: "OffsetCommit",
        9: "OffsetFetch", 10: "FindCoordinator", 11: "JoinGroup", 12: "Heartbeat",
        13: "LeaveGroup", 14: "SyncGroup", 15: "DescribeGroups", 16: "ListGroups",
        17: "SaslHandshake", 18: "ApiVersions", 19: "CreateTopics", 20: "DeleteTopics",
        21: "DeleteRecords", 22: "InitProducerId", 23: "OffsetForLeaderEpoch",
        32: "DescribeConfigs", 33: "AlterConfigs", 37: "CreatePartitions", 42: "DeleteGroups",
        43: "ElectLeaders", 44: "IncrementalAlterConfigs", 47: "OffsetDelete", 52: "Vote",
        53: "BeginQuorumEpoch", 54: "EndQuorumEpoch", 55: "DescribeQuorum", 56: "AlterPartition",
        60: "DescribeCluster", 62: "BrokerRegistration", 63: "BrokerHeartbeat",
        67: "AllocateProducerIds",
    ]

    /// Kafka's name for the API (`Produce`, `ApiVersions`), or `ApiKey(<n>)` when unknown.
    public var name: String { Self.names[rawValue] ?? "ApiKey(\(rawValue))" }
    public var description: String { name }
    public static func < (a: ApiKey, b: ApiKey) -> Bool { a.rawValue < b.rawValue }
}
