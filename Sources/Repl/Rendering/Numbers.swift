// Repl room: number formats the learner reads: 302,400,000,000 and 302.4 GB.

public enum Numbers {
    /// Thousands separated by commas: 302,400,000,000.
    public static func grouped(_ n: Int64) -> String {
        let digits = String(n.magnitude)
        var out = ""
        for (i, ch) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(ch)
        }
        return n < 0 ? "-" + out : out
    }

    /// Decimal units as disks are sold (1 GB = 10^9 B), one decimal: 302.4 GB.
    public static func decimalBytes(_ n: Double) -> String {
        let units = ["B", "kB", "MB", "GB", "TB", "PB"]
        var value = n
        var unit = 0
        while value >= 1000 && unit < units.count - 1 {
            value /= 1000
            unit += 1
        }
        return unit == 0 ? "\(Int64(value)) B" : "\(oneDecimal(value)) \(units[unit])"
    }

    static func oneDecimal(_ v: Double) -> String {
        let tenths = Int64((v * 10).rounded())
        return "\(tenths / 10).\(tenths % 10)"
    }
}
