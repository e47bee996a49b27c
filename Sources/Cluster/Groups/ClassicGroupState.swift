// Groups room: the five states of a classic consumer group, with Kafka's names and the
// transitions Kafka allows between them.

/// Where a classic group is in its rebalance cycle. Mirrors Kafka's `ClassicGroupState`.
///
/// Empty → PreparingRebalance (members join) → CompletingRebalance (waiting for the leader's
/// assignment) → Stable (everyone consuming) → PreparingRebalance again when membership or
/// subscriptions change. Dead is a group being removed.
public enum ClassicGroupState: String, CaseIterable, Sendable, CustomStringConvertible {
    case empty = "Empty"
    case preparingRebalance = "PreparingRebalance"
    case completingRebalance = "CompletingRebalance"
    case stable = "Stable"
    case dead = "Dead"

    /// Kafka's spelling, as ListGroups and DescribeGroups send it.
    public var description: String { rawValue }

    /// The states a group may move here from (Kafka's `validPreviousStates`).
    public var validPreviousStates: Set<ClassicGroupState> {
        switch self {
        case .empty: return [.preparingRebalance]
        case .preparingRebalance: return [.stable, .completingRebalance, .empty]
        case .completingRebalance: return [.preparingRebalance]
        case .stable: return [.completingRebalance]
        case .dead: return [.stable, .preparingRebalance, .completingRebalance, .empty, .dead]
        }
    }
}
