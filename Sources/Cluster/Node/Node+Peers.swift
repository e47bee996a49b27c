// Node room: the CONTROLLER listener. Raft RPCs go to the Raft machine; registrations,
// heartbeats and forwarded admin requests go to the active controller, or are refused with
// NOT_CONTROLLER so the sender asks the right node. Answers to this node's own requests land here too.

import NIOCore

extension Node {
    /// Every API the CONTROLLER listener answers (Kafka's `ControllerApis`), for ApiVersions.
    static let controllerListenerRequests: [any KafkaRequest.Type] =
        [ApiVersionsRequest.self, VoteRequest.self, BeginQuorumEpochRequest.self, EndQuorumEpochRequest.self, FetchRequest.self]
        + ControllerRequest.types
    static let controllerVersions: [ApiKey: ClosedRange<Int16>] = Dictionary(
        uniqueKeysWithValues: controllerListenerRequests.map { ($0.apiKey, $0.versions) })
    static let controllerFlexible: [ApiKey: Int16] = Dictionary(
        uniqueKeysWithValues: controllerListenerRequests.compactMap { t in t.firstFlexibleVersion.map { (t.apiKey, $0) } })

    /// A request frame (size prefix removed) that arrived on the CONTROLLER listener. Returns
    /// false when Kafka would close the connection (a frame that does not parse).
    public mutating func handlePeerRequest(_ frame: ByteBuffer, reply: PeerReplyTo, now: Instant, wallClockMs: Int64)
        -> (effects: NodeEffects, keepOpen: Bool)
    {
        begin(now, wallClockMs)
        guard storageFailure == nil else { return (finish(), false) }
        switch RequestFraming.prepare(frame, supported: Self.controllerVersions, firstFlexible: Self.controllerFlexible) {
        case .close, .unsupportedVersion:
            return (finish(), false)
        case .unsupportedApiVersions(let header):
            effects.peerResponses.append((reply, Broker.apiVersionsFrame(
                for: header, supported: Self.controllerListenerRequests, error: .unsupportedVersion)))
        case .dispatch(var request):
            let header = request.header
            switch header.apiKey {
            case .apiVersions:
                effects.peerResponses.append((reply, Broker.apiVersionsFrame(
                    for: header, supported: Self.controllerListenerRequests, error: .none)))
            case .vote, .beginQuorumEpoch, .endQuorumEpoch, .fetch:
                guard header.apiVersion == RaftWire.version(of: header.apiKey),
                    let (from, message) = try? RaftWire.decodeRequest(&request)
                else { return (finish(), false) }
                let key = RaftInboundKey(peer: from, correlationId: header.correlationId)
                raftInbound[key] = reply
                trimRaftInbound(from: from)
                absorb(raft.step(RaftEnvelope(from: from, to: id, correlationId: header.correlationId, message: message), now: now))
            default:
                guard let decoded = try? ControllerRequest.decode(&request) else { return (finish(), false) }
                handleControllerRequest(decoded, reply: .peer(reply, version: header.apiVersion, correlationId: header.correlationId))
            }
        }
        return (finish(), true)
    }

    /// A response frame (size prefix removed) from `peer`'s CONTROLLER listener.
    public mutating func handlePeerResponse(_ frame: ByteBuffer, from peer: NodeID, now: Instant, wallClockMs: Int64) -> NodeEffects {
        begin(now, wallClockMs)
        guard storageFailure == nil else { return finish() }
        var reader = WireReader(frame)
        guard let correlationId = try? reader.readInt32("correlation_id"), let sent = outstanding[correlationId], sent.to == peer
        else { return finish() }
        outstanding[correlationId] = nil
        // Response header v1 (flexible requests) carries tagged fields after the id.
        if Self.controllerFlexible[sent.apiKey].map({ sent.version >= $0 }) ?? false {
            guard (try? reader.readTaggedFields("response_header")) != nil else { return finish() }
        }
        switch sent.purpose {
        case .raft(let raftCorrelation, let fetchSeq):
            guard let message = try? RaftWire.decodeResponse(sent.apiKey, body: &reader) else { return finish() }
            if let fetchSeq, case .fetchResponse(let r) = message, r.errorCode == .none { noteFetchAnswered(fetchSeq, leaderHighWatermark: r.highWatermark) }
            absorb(raft.step(RaftEnvelope(from: peer, to: id, correlationId: raftCorrelation, message: message), now: now))
        case .registration, .heartbeat, .allocateProducerIds, .forward, .alterPartition:
            guard let response = try? ControllerResponse.decode(sent.apiKey, version: sent.version, body: &reader) else {
                deliverControllerFailure(purpose: sent.purpose)
                return finish()
            }
            deliverControllerResponse(response, purpose: sent.purpose)
        case .replicaFetch(let leader):
            replicaFetchAnswered(&reader, from: leader, version: sent.version)
        }
        return finish()
    }

    /// The world could not reach `peer` (no listener known, connection refused): requests to
    /// it will not be answered, so the controller client tries again soon instead of waiting
    /// out the request timeout. Raft keeps its own timers.
    public mutating func peerUnreachable(_ peer: NodeID, now: Instant, wallClockMs: Int64) -> NodeEffects {
        begin(now, wallClockMs)
        for wireId in outstanding.keys.sorted() {
            guard let sent = outstanding[wireId], sent.to == peer else { continue }
            if case .raft = sent.purpose { continue }
            outstanding[wireId] = nil
            deliverControllerFailure(purpose: sent.purpose)
        }
        return finish()
    }

    /// Only the newest few requests of a peer can still be answered; older entries (a fetch
    /// the leader replaced with a newer one) are forgotten so the table stays bounded.
    private mutating func trimRaftInbound(from peer: NodeID) {
        let mine = raftInbound.keys.filter { $0.peer == peer }
        guard mine.count > Limits.raftInboundPerPeerMax else { return }
        for key in mine.sorted(by: { $0.correlationId < $1.correlationId }).prefix(mine.count - Limits.raftInboundPerPeerMax) {
            raftInbound[key] = nil
        }
    }

    /// Sends a request to the active controller over the wire (this node is not it).
    mutating func sendToController(_ request: ControllerRequest, purpose: Outstanding.Purpose) -> Bool {
        guard let leader = raft.leaderId, leader != id else { return false }
        let wireId = newWireId()
        let version = request.newestVersion
        outstanding[wireId] = Outstanding(to: leader, apiKey: request.apiKey, version: version, sentAt: now, purpose: purpose)
        effects.peerRequests.append((leader, request.frame(version: version, correlationId: wireId, clientId: correlationClient())))
        return true
    }

    /// Requests nobody answered within `controller.quorum.request.timeout.ms` are given up;
    /// Raft asks again on its own, the others are retried by their owners.
    mutating func expireOutstanding() {
        let expired = outstanding.filter { now >= $0.value.sentAt + config.raft.requestTimeout }.keys.sorted()
        for wireId in expired {
            guard let sent = outstanding.removeValue(forKey: wireId) else { continue }
            switch sent.purpose {
            case .raft: break
            case .registration, .heartbeat, .allocateProducerIds, .forward, .alterPartition, .replicaFetch:
                deliverControllerFailure(purpose: sent.purpose)
            }
        }
    }
}
