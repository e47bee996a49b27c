// Broker room: one broker's request handling as a plain value. A frame comes in, a reply
// goes out; no sockets, clocks or tasks here, so the simulator can drive the same code.

import NIOCore

/// Who a broker is: the facts its Metadata and DescribeCluster answers are built from.
public struct BrokerIdentity: Sendable, Equatable {
    public var nodeID: NodeID
    public var clusterID: String
    public var host: String
    public var port: Int

    public init(nodeID: NodeID, clusterID: String, host: String, port: Int) {
        self.nodeID = nodeID
        self.clusterID = clusterID
        self.host = host
        self.port = port
    }
}

/// What the network edge should do after the broker has looked at a request.
public enum BrokerReply {
    /// Write this whole response frame (size prefix included).
    case respond(ByteBuffer, RequestTrace)
    /// Kafka would close this connection (unknown API key, unparsable request).
    case close(reason: String, RequestTrace?)
}

/// One line of `trace`: what a broker saw and answered.
public struct RequestTrace: Sendable, Equatable {
    public var apiKey: ApiKey
    public var apiVersion: Int16
    public var correlationId: Int32
    public var clientId: String?
    public var requestBytes: Int
    public var responseBytes: Int
    /// The first non-zero error code in the response, or NONE.
    public var errorCode: ErrorCode
}

/// A broker: answers Kafka requests from its state.
///
/// A struct owned by one node on one event loop (LiveWorld) or by the simulator; mirrors the
/// request side of Kafka's `KafkaApis`.
public struct Broker {
    public var identity: BrokerIdentity

    public init(identity: BrokerIdentity) {
        self.identity = identity
    }
}
