// Client room: what a group consumer reports as its membership changes (joined a generation,
// partitions revoked or lost, left), for the REPL to print and tests to wait on.

/// One change in a `GroupConsumer`'s membership, in the order it happened.
///
/// Mirrors the callbacks of Kafka's `ConsumerRebalanceListener` (`onPartitionsRevoked`,
/// `onPartitionsAssigned`, `onPartitionsLost`) plus the coordinator and leave steps a learner
/// wants to see.
public enum GroupConsumerEvent: Sendable, Equatable, CustomStringConvertible {
    /// FindCoordinator named this broker as the group's coordinator.
    case coordinatorFound(nodeId: Int32)
    /// SyncGroup gave this member its share of generation `generation`.
    case joined(
        generation: Int32, memberId: String, leader: Bool, protocolName: String?,
        assignment: [TopicPartition])
    /// A rebalance began: these partitions were committed (with auto-commit) and given up.
    case revoked([TopicPartition])
    /// The coordinator dropped this member (UNKNOWN_MEMBER_ID, ILLEGAL_GENERATION, or
    /// max.poll.interval.ms passed): these partitions were lost without a commit.
    case lost([TopicPartition], reason: String)
    /// Offsets the coordinator accepted.
    case committed([TopicPartition: Int64])
    /// LeaveGroup was sent (or the member was killed); the consumer is stopped.
    case left(sentLeaveGroup: Bool)
    /// A failure that stops the consumer (FENCED_INSTANCE_ID, an unusable config...).
    case failed(String)

    public var description: String {
        func list(_ tps: [TopicPartition]) -> String {
            tps.isEmpty ? "(none)" : tps.map(\.description).joined(separator: ", ")
        }
        switch self {
        case .coordinatorFound(let id):
            return "coordinator is broker \(id)"
        case .joined(let generation, let memberId, let leader, let name, let assignment):
            let role = leader ? "leader" : "follower"
            return "joined generation \(generation) as \(role) \(memberId) "
                + "(\(name ?? "no protocol")): \(list(assignment))"
        case .revoked(let tps):
            return "revoked \(list(tps))"
        case .lost(let tps, let reason):
            return "lost \(list(tps)): \(reason)"
        case .committed(let offsets):
            let text = offsets.keys.sorted().map { "\($0)@\(offsets[$0] ?? -1)" }
            return "committed \(text.joined(separator: ", "))"
        case .left(let sent):
            return sent ? "left the group (LeaveGroup sent)" : "stopped without LeaveGroup"
        case .failed(let why):
            return "failed: \(why)"
        }
    }
}
