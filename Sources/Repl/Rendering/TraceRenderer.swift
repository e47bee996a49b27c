// Repl room: one line per request for `trace on`. Pure: event in, line out.

import Cluster

public enum TraceRenderer {
    /// `13:04:05.123  127.0.0.1:51234 → broker 1  Produce v9  corr 5  412 B → 80 B  0.21 ms  NONE`
    public static func line(_ e: TraceEvent) -> String {
        let ms = e.wallClockMs % 86_400_000
        let clock = "\(pad(ms / 3_600_000)):\(pad(ms / 60_000 % 60)):\(pad(ms / 1000 % 60)).\(pad3(ms % 1000))"
        let micros = e.latency.nanosecondsClamped / 1000
        let latency = micros < 1000 ? "\(micros) µs" : "\(micros / 1000).\(pad(micros % 1000 / 10)) ms"
        let t = e.trace
        return "\(clock)  \(e.peer) → broker \(e.node)  \(t.apiKey.name) v\(t.apiVersion)  corr \(t.correlationId)  "
            + "\(t.requestBytes) B → \(t.responseBytes) B  \(latency)  \(t.errorCode.name)"
    }

    static func pad(_ n: Int64) -> String { n < 10 ? "0\(n)" : "\(n)" }
    static func pad3(_ n: Int64) -> String { n < 10 ? "00\(n)" : n < 100 ? "0\(n)" : "\(n)" }
}
