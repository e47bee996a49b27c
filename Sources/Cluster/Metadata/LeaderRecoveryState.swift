// Metadata room: a partition's leader recovery state (KIP-704) and the reserved log
// directory ids (KIP-858), as the partition records carry them.

/// Whether a partition's leader came from an unclean election and is still recovering.
/// Mirrors Kafka's `LeaderRecoveryState`; a change record's -1 ("no change") is nil there.
public enum LeaderRecoveryState: Int8, Equatable, Sendable {
    case recovered = 0
    case recovering = 1

    /// The value a `PartitionChangeRecord` writes when the state did not change.
    public static let noChange: Int8 = -1
}

/// The reserved directory ids of Kafka's `DirectoryId`. A broker that registered no log
/// directories gets `migrating` for every replica placed on it (`ClusterControlManager.defaultDir`).
public enum DirectoryId {
    public static let migrating = Uuid(mostSignificantBits: 0, leastSignificantBits: 0)
    public static let unassigned = Uuid(mostSignificantBits: 0, leastSignificantBits: 1)
    public static let lost = Uuid(mostSignificantBits: 0, leastSignificantBits: 2)
}
