// Groups room: random UUID strings from the node's seeded generator, for member ids. Decision
// code never draws from the system's generator.

extension SplitMix64 {
    /// A random (version 4) UUID in Java's `UUID.toString()` form, e.g.
    /// `3f2c6a1e-8d3b-4c7a-9e1f-0a1b2c3d4e5f`, as Kafka puts in member ids; drawn from this
    /// generator so a simulation with the same seed produces the same ids.
    public mutating func nextUUIDString() -> String {
        let high = (next() & 0xFFFF_FFFF_FFFF_0FFF) | 0x0000_0000_0000_4000
        let low = (next() & 0x3FFF_FFFF_FFFF_FFFF) | 0x8000_0000_0000_0000
        let digits = Array(Self.hex(high) + Self.hex(low))
        return String(digits[0..<8]) + "-" + String(digits[8..<12]) + "-" + String(digits[12..<16])
            + "-" + String(digits[16..<20]) + "-" + String(digits[20..<32])
    }

    /// Sixteen lowercase hex digits, zero-padded.
    private static func hex(_ value: UInt64) -> String {
        let text = String(value, radix: 16)
        return String(repeating: "0", count: max(0, 16 - text.count)) + text
    }
}
