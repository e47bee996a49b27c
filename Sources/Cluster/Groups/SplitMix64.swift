// Groups room: the seeded random source for member ids. Decision code never draws from the
// system's generator; it uses one forked from the node's seed.

/// Sebastiano Vigna's SplitMix64: tiny, fast, and fully determined by its seed.
///
/// Used where Kafka draws a random UUID (member ids), so a simulation run with the same
/// seed produces the same ids and the same trace.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A random (version 4) UUID in Java's `UUID.toString()` form, e.g.
    /// `3f2c6a1e-8d3b-4c7a-9e1f-0a1b2c3d4e5f`, as Kafka puts in member ids.
    public mutating func nextUUIDString() -> String {
        let high = (next() & 0xFFFF_FFFF_FFFF_0FFF) | 0x0000_0000_0000_4000
        let low = (next() & 0x3FFF_FFFF_FFFF_FFFF) | 0x8000_0000_0000_0000
        let digits = Self.hex(high, 16) + Self.hex(low, 16)
        let d = Array(digits)
        return String(d[0..<8]) + "-" + String(d[8..<12]) + "-" + String(d[12..<16]) + "-"
            + String(d[16..<20]) + "-" + String(d[20..<32])
    }

    private static func hex(_ value: UInt64, _ width: Int) -> String {
        let text = String(value, radix: 16)
        return String(repeating: "0", count: max(0, width - text.count)) + text
    }
}
