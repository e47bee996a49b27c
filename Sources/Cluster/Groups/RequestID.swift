// Groups room: names one request, so that an answer produced later (by a tick or another
// member's request) finds its way back to the right connection and correlation id.

/// A request in flight: the connection it arrived on and the client's correlation id.
///
/// Parked requests (JoinGroup until the rebalance completes, SyncGroup until the leader's
/// assignment arrives) are kept in state as these values, never as closures, so the machine
/// stays a plain value that a simulation can copy and replay. Mirrors the role of Kafka's
/// `RequestChannel.Request` held by a `DelayedOperation`.
public struct RequestID: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var connection: ConnectionID
    public var correlationId: Int32

    public init(connection: ConnectionID, correlationId: Int32) {
        self.connection = connection
        self.correlationId = correlationId
    }

    public static func < (a: RequestID, b: RequestID) -> Bool {
        (a.connection, a.correlationId) < (b.connection, b.correlationId)
    }

    public var description: String { "conn-\(connection.rawValue)#\(correlationId)" }
}
