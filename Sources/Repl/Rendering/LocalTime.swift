// Repl room: wall-clock times as a learner reads them (local time of day) for events, trace
// lines and record timestamps. Pure but for the time zone, which comes from the process.

import Foundation

/// Renders Kafka's millisecond timestamps as a time of day; `WallClock` (Cluster) reads now.
public enum LocalTime {
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
