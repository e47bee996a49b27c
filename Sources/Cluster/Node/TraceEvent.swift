// Node room: one request as `trace on` shows it: when, from which client to which broker,
// which API and version, its size both ways, how long the broker took and the error code.

/// A request a node answered, with the edge's facts added to the broker's trace.
public struct TraceEvent: Sendable, Equatable {
    /// Wall-clock milliseconds when the response was written.
    public var wallClockMs: Int64
    public var node: NodeID
    /// The client's address as the broker saw it.
    public var peer: String
    public var trace: RequestTrace
    /// From the request's arrival to its response (a long poll's wait included).
    public var latency: Duration
}

/// Where trace events go; switched on and off by the REPL while nodes run.
///
/// `@unchecked Sendable`: `sink` is only read and written under `lock`.
public final class TraceSwitch: @unchecked Sendable {
    private let lock = NIOLockLite()
    private var sink: (@Sendable (TraceEvent) -> Void)?

    public init() {}

    public var isOn: Bool { lock.withLock { sink != nil } }

    public func set(_ sink: (@Sendable (TraceEvent) -> Void)?) { lock.withLock { self.sink = sink } }

    func emit(_ event: @autoclosure () -> TraceEvent) {
        guard let sink = lock.withLock({ self.sink }) else { return }
        sink(event())
    }
}
