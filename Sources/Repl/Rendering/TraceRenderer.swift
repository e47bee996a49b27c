// Repl room: one line per request for `trace on`. Pure: event in, line out (local time).

import Cluster

public enum TraceRenderer {
    /// `13:04:05.123  127.0.0.1:51234 (swiftka-repl) → broker 1  Produce v9  corr 5  412 B → 80 B  0.21 ms  NONE`
    ///
    /// The client.id in brackets tells the REPL's own requests from a follower's replica
    /// fetches (`broker-2-fetcher-0`) and from real clients such as kcat (`rdkafka`).
    public static func line(_ e: TraceEvent) -> String {
        let clock = LocalTime.timeOfDay(e.wallClockMs)
        let micros = e.latency.nanosecondsClamped / 1000
        let latency = micros < 1000 ? "\(micros) µs" : "\(micros / 1000).\(LocalTime.pad(Int(micros % 1000 / 10))) ms"
        let t = e.trace
        let client = t.clientId.map { $0.isEmpty ? "" : " (\($0))" } ?? ""
        let line = "\(clock)  \(e.peer)\(client) → broker \(e.node)  \(t.apiKey.name) v\(t.apiVersion)  corr \(t.correlationId)  "
            + "\(t.requestBytes) B → \(t.responseBytes) B  \(latency)  \(t.errorCode.name)"
        guard let served = t.versionsServed else { return line }
        // No response went out: say so, and why, instead of leaving a bare disconnect.
        let floor = t.apiVersion < served.lowerBound ? ", KIP-896" : ""
        return line + "  connection closed: \(t.apiKey.name) is served at v\(served.lowerBound)–v\(served.upperBound)\(floor)"
    }

}
