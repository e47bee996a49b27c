// Repl room: one line per request for `trace on`. Pure: event in, line out (local time).

import Cluster

public enum TraceRenderer {
    /// `13:04:05.123  127.0.0.1:51234 → broker 1  Produce v9  corr 5  412 B → 80 B  0.21 ms  NONE`
    public static func line(_ e: TraceEvent) -> String {
        let clock = LocalTime.timeOfDay(e.wallClockMs)
        let micros = e.latency.nanosecondsClamped / 1000
        let latency = micros < 1000 ? "\(micros) µs" : "\(micros / 1000).\(LocalTime.pad(Int(micros % 1000 / 10))) ms"
        let t = e.trace
        return "\(clock)  \(e.peer) → broker \(e.node)  \(t.apiKey.name) v\(t.apiVersion)  corr \(t.correlationId)  "
            + "\(t.requestBytes) B → \(t.responseBytes) B  \(latency)  \(t.errorCode.name)"
    }

}
