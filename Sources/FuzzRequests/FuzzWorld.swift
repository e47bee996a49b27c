// Fuzz harness: what answers a fuzzed frame. A broker, and beside it an active controller for
// the requests a node forwards (topics, partitions, configs), so those reach real decisions.

import Cluster
import NIOCore

/// One broker as a client sees it, in virtual time: the harness's stand-in for a node.
///
/// Requests a node forwards to its controller go to `controller`; its records are replayed
/// and the new image given to the broker at once (no Raft: one voter commits what it
/// appends). Everything else goes to `broker.handle`, as the node's listener does.
struct FuzzWorld {
    /// nil: a bare broker with no controller (the old fresh-broker mode).
    var controller: QuorumController?
    var broker: Broker
    var now: Instant
    var wallClockMs: Int64

    static let connection = ConnectionID(1)
    static let identity = BrokerIdentity(
        nodeID: NodeID(1), clusterID: "fuzz-cluster", host: "127.0.0.1", port: 9092)

    /// An empty broker: no topics, no groups, no producers.
    static func empty() -> FuzzWorld {
        FuzzWorld(controller: nil, broker: Broker(identity: identity), now: .zero, wallClockMs: 0)
    }

    mutating func handle(_ frame: ByteBuffer) -> BrokerReply {
        if let reply = forwardToController(frame) { return reply }
        return broker.handle(
            frame: frame, connection: Self.connection, now: now, wallClockMs: wallClockMs)
    }

    /// Moves virtual and wall-clock time on and lets the broker do its periodic work
    /// (retention, session and rebalance deadlines, expired long polls).
    mutating func advance(by span: Duration) -> [DeferredReply] {
        now = now + span
        wallClockMs += span.milliseconds
        return broker.tick(now: now, wallClockMs: wallClockMs)
    }

    // MARK: - The controller's requests

    /// The answer to a request only a controller decides, or nil for any other frame.
    private mutating func forwardToController(_ frame: ByteBuffer) -> BrokerReply? {
        guard controller != nil,
            case .dispatch(var request) = RequestFraming.prepare(
                frame, supported: FuzzCatalog.supported, firstFlexible: FuzzCatalog.firstFlexible)
        else { return nil }
        switch request.header.apiKey {
        case .createTopics:
            return decide(CreateTopicsRequest.self, &request) { $0.handleCreateTopics($1) }
        case .deleteTopics:
            return decide(DeleteTopicsRequest.self, &request) { $0.handleDeleteTopics($1) }
        case .createPartitions:
            return decide(CreatePartitionsRequest.self, &request) { $0.handleCreatePartitions($1) }
        case .alterConfigs:
            return decide(AlterConfigsRequest.self, &request) { $0.handleAlterConfigs($1) }
        case .incrementalAlterConfigs:
            return decide(IncrementalAlterConfigsRequest.self, &request) {
                $0.handleIncrementalAlterConfigs($1)
            }
        default:
            return nil
        }
    }

    /// Decodes, decides, commits the records (replayed into the controller, then the broker
    /// adopts the image) and frames the answer, as the node does once its records commit.
    private mutating func decide<R: KafkaRequest>(
        _ type: R.Type, _ request: inout RequestFrame,
        _ decision: (inout QuorumController, R) -> ControllerResult<R.Response>
    ) -> BrokerReply {
        let header = request.header
        let size = request.size
        guard var active = controller,
            let decoded = try? R(from: &request.body, version: header.apiVersion)
        else { return .close(reason: "\(header.apiKey.name): unparsable", nil) }
        let result = decision(&active, decoded)
        for record in result.records { active.replay(record, offset: active.image.offset + 1) }
        controller = active
        if !result.records.isEmpty {
            broker.apply(image: active.image, now: now, wallClockMs: wallClockMs)
        }
        let frame = RequestFraming.responseFrame(
            R.self, version: header.apiVersion, correlationId: header.correlationId,
            body: result.response)
        return .respond(
            frame,
            RequestTrace(
                apiKey: header.apiKey, apiVersion: header.apiVersion,
                correlationId: header.correlationId, clientId: header.clientId,
                requestBytes: size, responseBytes: frame.readableBytes,
                errorCode: .none))
    }
}
