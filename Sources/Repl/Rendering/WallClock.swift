// Repl room: wall-clock times as a learner reads them (local time of day) for events, trace
// lines and record timestamps. Pure but for the time zone, which comes from the process.

import Foundation

public enum WallClock {
    /// Now, in milliseconds since 1970 (the unit of Kafka's timestamps).
    public static func nowMs() -> Int64 { Int64((Date().timeIntervalSince1970 * 1000).rounded(.down)) }

    /// `13:04:05.123` in local time; `-` for a negative (absent) timestamp.
    public static func timeOfDay(_ ms: Int64) -> String {
        guard ms >= 0 else { return "-" }
        var seconds = time_t(ms / 1000)
        var parts = tm()
        localtime_r(&seconds, &parts)
        return pad(Int(parts.tm_hour)) + ":" + pad(Int(parts.tm_min)) + ":" + pad(Int(parts.tm_sec)) + "." + pad3(Int(ms % 1000))
    }

    static func pad(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
    static func pad3(_ n: Int) -> String { n < 10 ? "00\(n)" : n < 100 ? "0\(n)" : "\(n)" }
}
