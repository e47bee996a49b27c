// Groups room: what happened inside the coordinator, as data for the REPL's event view and
// the simulator's trace. Never needed to carry out the effects.

/// A notable change in a group, in the order it happened.
public enum GroupEvent: Equatable, Sendable, CustomStringConvertible {
    case stateChanged(
        groupId: String, from: ClassicGroupState, to: ClassicGroupState, generationId: Int32)
    case memberAdded(groupId: String, memberId: String)
    case memberRemoved(groupId: String, memberId: String, reason: String)

    public var description: String {
        switch self {
        case .stateChanged(let g, let from, let to, let generation):
            return "group \(g): \(from) -> \(to) (generation \(generation))"
        case .memberAdded(let g, let m):
            return "group \(g): member \(m) added"
        case .memberRemoved(let g, let m, let reason):
            return "group \(g): member \(m) removed (\(reason))"
        }
    }
}
