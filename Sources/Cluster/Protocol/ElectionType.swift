// Protocol room: the kind of leader election an ElectLeaders request asks for (KIP-460), as
// a value that keeps a number it does not know, so the controller can refuse it by name.

/// Kafka's `org.apache.kafka.common.ElectionType`: PREFERRED (0) or UNCLEAN (1).
///
/// A struct over `Int8` rather than an enum, like `ErrorCode`, so that an unknown value read
/// from a client still round-trips and is answered with INVALID_REQUEST instead of a crash.
public struct ElectionType: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public var rawValue: Int8
    public init(rawValue: Int8) { self.rawValue = rawValue }

    /// Make the preferred replica (the first in the replica list) the leader, if it is alive
    /// and in the ISR.
    public static let preferred = ElectionType(rawValue: 0)
    /// Give a leaderless partition a leader even from outside the ISR: the first live
    /// replica. Records only the old ISR had are lost.
    public static let unclean = ElectionType(rawValue: 1)

    public var isKnown: Bool { self == .preferred || self == .unclean }

    /// Kafka's spelling, as `kafka-leader-election.sh` prints it: `PREFERRED`, `UNCLEAN`.
    public var description: String {
        switch self {
        case .preferred: return "PREFERRED"
        case .unclean: return "UNCLEAN"
        default: return "ElectionType(\(rawValue))"
        }
    }
}
