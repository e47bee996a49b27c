// Protocol room: a named listener (name, host, port) as KRaft's RPCs carry it: a leader's
// `leader_endpoints` in Begin/EndQuorumEpoch and a controller's `listeners` in DescribeQuorum.

/// One listener of a controller: `CONTROLLER://127.0.0.1:9093` as name, host and port.
///
/// Every field that uses this shape exists only in flexible versions, so strings are always
/// compact and each entry ends with its tagged fields. Mirrors Kafka's `LeaderEndpoint`
/// (BeginQuorumEpoch, EndQuorumEpoch) and `Listener` (DescribeQuorum), both added by
/// KIP-853; the port is a `uint16` on the wire.
public struct QuorumListener: Equatable, Sendable {
    public var name: String
    public var host: String
    public var port: UInt16

    public init(name: String, host: String, port: UInt16) {
        self.name = name
        self.host = host
        self.port = port
    }

    static func readArray(_ reader: inout WireReader, field: String) throws(DecodeError)
        -> [QuorumListener]
    {
        try reader.readArray(field, compact: true) { l throws(DecodeError) in
            let name = try l.readString("name", compact: true)
            let host = try l.readString("host", compact: true)
            let port = try l.readUInt16("port")
            try l.readTaggedFields(field)
            return QuorumListener(name: name, host: host, port: port)
        }
    }

    static func writeArray(_ listeners: [QuorumListener], to writer: inout WireWriter) {
        writer.writeArray(listeners, compact: true) { w, l in
            w.writeString(l.name, compact: true)
            w.writeString(l.host, compact: true)
            w.writeUInt16(l.port)
            w.writeTaggedFields()
        }
    }
}
