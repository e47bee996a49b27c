// Cluster-wide seeded randomness. Decision code draws only from a SplitMix64 it was given, so
// that one seed replays a whole run; nothing here reads the system's entropy.

/// A small, fast, seeded pseudo-random generator (Steele, Lea and Flood's SplitMix64).
///
/// Every random choice in the cluster and its clients (sticky partition picks, election
/// jitter, generated IDs) comes from one of these, forked per component in a fixed order, so
/// a simulation run is repeatable from its seed. Not for cryptography. Kafka itself uses
/// `ThreadLocalRandom`; we trade that for replayability.
public struct SplitMix64: RandomNumberGenerator, Sendable, Equatable {
    public private(set) var state: UInt64

    public init(seed: UInt64) { self.state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A new generator seeded from this one, for a component that needs its own stream.
    public mutating func fork() -> SplitMix64 { SplitMix64(seed: next()) }
}
