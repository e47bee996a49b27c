// Repl room: aligned text tables, the shape Kafka's CLI tools print. Pure: rows in, String out.

/// A left-aligned table with a header row, columns separated by two spaces.
public struct Table: Sendable {
    public var headers: [String]
    public var rows: [[String]]

    public init(headers: [String], rows: [[String]]) {
        self.headers = headers
        self.rows = rows
    }

    public func render() -> String {
        var widths = headers.map(\.count)
        for row in rows {
            for (i, cell) in row.enumerated() where i < widths.count { widths[i] = max(widths[i], cell.count) }
        }
        func format(_ cells: [String]) -> String {
            var parts: [String] = []
            for (i, cell) in cells.enumerated() {
                let isLast = i == cells.count - 1
                parts.append(isLast ? cell : cell.padding(to: widths[i]))
            }
            return parts.joined(separator: "  ")
        }
        return ([format(headers)] + rows.map(format)).joined(separator: "\n")
    }
}

extension String {
    /// Pads with spaces on the right to `width` characters (never truncates).
    func padding(to width: Int) -> String {
        count >= width ? self : self + String(repeating: " ", count: width - count)
    }
}

/// "1.2s", "3m 04s", "2h 10m": short, human uptimes.
public func formatDuration(_ d: Duration) -> String {
    let ms = d.milliseconds
    if ms < 1000 { return "\(ms)ms" }
    let s = ms / 1000
    if s < 60 { return "\(s).\((ms % 1000) / 100)s" }
    if s < 3600 { return "\(s / 60)m \(String(format2: s % 60))s" }
    return "\(s / 3600)h \(String(format2: (s % 3600) / 60))m"
}

extension String {
    init(format2 value: Int64) { self = value < 10 ? "0\(value)" : "\(value)" }
}
