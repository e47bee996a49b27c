// Protocol room: the `NodeEndpoint` entry that Vote, BeginQuorumEpoch and EndQuorumEpoch
// responses carry in their tagged `node_endpoints` field (v1+, KIP-853).

import NIOCore

/// Where to reach a quorum leader named in a response's partitions.
///
/// A voter that answers "the leader is node 3" also says where node 3 listens, so the
/// asker can reach a leader it has never heard of. Mirrors Kafka's `NodeEndpoint` in
/// `VoteResponse.json` and its siblings; the port is a `uint16` on the wire.
public struct QuorumNodeEndpoint: Equatable, Sendable {
    public var nodeId: Int32
    public var host: String
    public var port: UInt16

    public init(nodeId: Int32, host: String, port: UInt16) {
        self.nodeId = nodeId
        self.host = host
        self.port = port
    }

    /// The tag all three responses give `node_endpoints`.
    static let nodeEndpointsTag: UInt32 = 0

    /// Reads the value of a `node_endpoints` tagged field: a compact array of endpoints.
    static func readArray(_ reader: inout WireReader) throws(DecodeError) -> [QuorumNodeEndpoint] {
        try reader.readArray("node_endpoints", compact: true) { e throws(DecodeError) in
            let nodeId = try e.readInt32("node_id")
            let host = try e.readString("host", compact: true)
            let port = try e.readUInt16("port")
            try e.readTaggedFields("node_endpoints")
            return QuorumNodeEndpoint(nodeId: nodeId, host: host, port: port)
        }
    }

    /// The `node_endpoints` tagged field, ready for `writeTaggedFields`.
    static func taggedField(_ endpoints: [QuorumNodeEndpoint]) -> (tag: UInt32, bytes: ByteBuffer) {
        WireWriter.taggedField(nodeEndpointsTag) { w in
            w.writeArray(endpoints, compact: true) { w, e in
                w.writeInt32(e.nodeId)
                w.writeString(e.host, compact: true)
                w.writeUInt16(e.port)
                w.writeTaggedFields()
            }
        }
    }
}
