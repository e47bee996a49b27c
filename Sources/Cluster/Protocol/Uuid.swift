// Protocol room: Kafka's 128-bit UUID (topic ids, cluster ids), printed the way Kafka
// prints it: URL-safe base64 without padding, 22 characters.

/// A Kafka `Uuid`. `Uuid.zero` means "no id" on the wire, as in Kafka.
public struct Uuid: Hashable, Sendable, Comparable, CustomStringConvertible {
    public var mostSignificantBits: UInt64
    public var leastSignificantBits: UInt64

    public init(mostSignificantBits: UInt64, leastSignificantBits: UInt64) {
        self.mostSignificantBits = mostSignificantBits
        self.leastSignificantBits = leastSignificantBits
    }

    public static let zero = Uuid(mostSignificantBits: 0, leastSignificantBits: 0)

    public static func < (a: Uuid, b: Uuid) -> Bool {
        (a.mostSignificantBits, a.leastSignificantBits) < (b.mostSignificantBits, b.leastSignificantBits)
    }

    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)

    var bytes: [UInt8] {
        (0..<8).map { UInt8(truncatingIfNeeded: mostSignificantBits >> UInt64(56 - 8 * $0)) }
            + (0..<8).map { UInt8(truncatingIfNeeded: leastSignificantBits >> UInt64(56 - 8 * $0)) }
    }

    /// URL-safe base64 without padding, as `org.apache.kafka.common.Uuid.toString()`.
    public var description: String {
        let b = bytes
        var out: [UInt8] = []
        var i = 0
        while i < b.count {
            let chunk = b[i..<min(i + 3, b.count)]
            var n: UInt32 = 0
            for (k, byte) in chunk.enumerated() { n |= UInt32(byte) << UInt32(16 - 8 * k) }
            let chars = chunk.count + 1
            for k in 0..<chars { out.append(Self.alphabet[Int((n >> UInt32(18 - 6 * k)) & 63)]) }
            i += 3
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Parses Kafka's 22-character form; nil for anything else.
    public init?(_ text: String) {
        let chars = Array(text.utf8)
        guard chars.count == 22 else { return nil }
        var bits: [UInt8] = []
        var acc: UInt32 = 0
        var accBits = 0
        for c in chars {
            guard let v = Self.alphabet.firstIndex(of: c) else { return nil }
            acc = (acc << 6) | UInt32(v)
            accBits += 6
            if accBits >= 8 {
                accBits -= 8
                bits.append(UInt8(truncatingIfNeeded: acc >> UInt32(accBits)))
            }
        }
        guard bits.count == 16 else { return nil }
        var high: UInt64 = 0
        var low: UInt64 = 0
        for k in 0..<8 { high = (high << 8) | UInt64(bits[k]) }
        for k in 8..<16 { low = (low << 8) | UInt64(bits[k]) }
        self.init(mostSignificantBits: high, leastSignificantBits: low)
    }
}
