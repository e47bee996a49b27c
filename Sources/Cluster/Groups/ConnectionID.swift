// Groups room: names one client connection, so a parked request can be answered on the
// connection it came from. Assigned by the network edge; decision code only compares them.

/// One client connection to a broker, numbered by the network layer.
///
/// Decision code never opens or reads a socket: it keeps a connection's number next to a parked
/// request (a JoinGroup waiting for the rebalance) and hands it back in its effects. Kafka's
/// equivalent is the `connectionId` string in `RequestChannel.Request`.
public struct ConnectionID: RawRepresentable, Hashable, Comparable, Sendable,
    CustomStringConvertible
{
    public var rawValue: UInt64
    public init(rawValue: UInt64) { self.rawValue = rawValue }
    public init(_ value: UInt64) { self.rawValue = value }
    public static func < (a: ConnectionID, b: ConnectionID) -> Bool { a.rawValue < b.rawValue }
    public var description: String { "conn-\(rawValue)" }
}
