// Node room: the broker listener. Most requests go straight to the broker; those only a
// controller can decide are forwarded to it (Kafka 4's ForwardingManager), and their answer
// waits until this broker's own metadata has caught up with what the controller committed.

import NIOCore

/// A client request held for the controller's answer.
struct Forward: Sendable {
    var connection: ConnectionID
    var header: RequestHeader
    var request: ControllerRequest
    var requestBytes: Int
    var deadline: Instant
    /// Sent by the node itself (creating `__consumer_offsets`), not by a client.
    var isInternal: Bool
    var state: State

    enum State: Sendable {
        case toSend
        case sent
        /// Answered; released once a Fetch sent after the answer shows the leader's high
        /// watermark and this node's log has reached it (read-your-writes for the client).
        case awaitingImage(ControllerResponse, afterFetchSeq: Int, requiredHighWatermark: Int64?)
    }
}

extension Node {
    /// A request frame (size prefix removed) from a client on the broker listener.
    public mutating func handleClientRequest(
        _ frame: ByteBuffer, connection: ConnectionID, clientHost: String, now: Instant, wallClockMs: Int64
    ) -> (reply: BrokerReply, effects: NodeEffects) {
        begin(now, wallClockMs)
        if case .dispatch(var request) = RequestFraming.prepare(
            frame, supported: Broker.supportedVersions, firstFlexible: Broker.firstFlexibleVersions)
        {
            let header = request.header
            if ControllerRequest.forwarded.contains(header.apiKey) {
                guard let decoded = try? ControllerRequest.decode(&request) else {
                    return (.close(reason: "\(header.apiKey.name) v\(header.apiVersion): unparsable", nil), finish())
                }
                guard forwards.count < Limits.forwardedRequestsMax else {
                    let response = decoded.errorResponse(.requestTimedOut, "Too many requests are waiting for the controller.")
                    let out = response.frame(version: header.apiVersion, correlationId: header.correlationId)
                    return (.respond(out, trace(header, requestBytes: frame.readableBytes, response: response, out)), finish())
                }
                let forwardId = nextForwardId
                nextForwardId += 1
                forwards[forwardId] = Forward(
                    connection: connection, header: header, request: decoded, requestBytes: frame.readableBytes,
                    deadline: now + config.forwardTimeout, isInternal: false, state: .toSend)
                sendForward(forwardId)
                return parkedOrAnswered(connection)
            }
            if header.apiKey == .initProducerId && broker.producerIdBlock.isEmpty {
                guard parkedInitProducerIds.count < Limits.forwardedRequestsMax else {
                    return (broker.handle(frame: frame, connection: connection, clientHost: clientHost, now: now, wallClockMs: wallClockMs), finish())
                }
                parkedInitProducerIds.append((frame, connection, clientHost))
                requestProducerIds()
                return parkedOrAnswered(connection)
            }
        }
        let reply = broker.handle(frame: frame, connection: connection, clientHost: clientHost, now: now, wallClockMs: wallClockMs)
        return (reply, finish())
    }

    /// A request this node parked may have been answered before the call returns (this node
    /// is the controller): then it is answered now, because a connection that is told "parked"
    /// waits for a later reply that would never come.
    private mutating func parkedOrAnswered(_ connection: ConnectionID) -> (reply: BrokerReply, effects: NodeEffects) {
        var effects = finish()
        if let index = effects.clientReplies.firstIndex(where: { $0.connection == connection }) {
            let reply = effects.clientReplies.remove(at: index)
            return (.respond(reply.frame, reply.trace), effects)
        }
        return (.parked, effects)
    }

    public mutating func connectionClosed(_ connection: ConnectionID) {
        broker.connectionClosed(connection)
        for (key, forward) in forwards where forward.connection == connection && !forward.isInternal { forwards[key] = nil }
        parkedInitProducerIds.removeAll { $0.connection == connection }
    }

    private func trace(_ header: RequestHeader, requestBytes: Int, response: ControllerResponse, _ frame: ByteBuffer) -> RequestTrace {
        RequestTrace(
            apiKey: header.apiKey, apiVersion: header.apiVersion, correlationId: header.correlationId, clientId: header.clientId,
            requestBytes: requestBytes, responseBytes: frame.readableBytes, errorCode: response.errorCode)
    }

    mutating func sendForward(_ forwardId: Int) {
        guard var forward = forwards[forwardId] else { return }
        if raft.isLeader && controller != nil {
            forward.state = .sent
            forwards[forwardId] = forward
            handleControllerRequest(forward.request, reply: .local(.forward(forwardId)))
        } else if sendToController(forward.request, purpose: .forward(forwardId)) {
            forward.state = .sent
            forwards[forwardId] = forward
        }
    }

    mutating func forwardAnswered(_ forwardId: Int, _ response: ControllerResponse) {
        guard var forward = forwards[forwardId] else { return }
        if response.isNotController && now < forward.deadline {
            forward.state = .toSend  // the controller moved: ask the new one on the next tick
            forwards[forwardId] = forward
            return
        }
        forward.state = .awaitingImage(response, afterFetchSeq: raftFetchSendSeq, requiredHighWatermark: raft.isLeader ? raft.highWatermark : nil)
        forwards[forwardId] = forward
        releaseForwards()
    }

    /// A Fetch of the metadata log was answered: forwards waiting for one sent after their
    /// answer now know how far this node must catch up. Those it has already reached go out
    /// now: an answer that changed nothing (DescribeQuorum, a refused request) commits no
    /// record, so no later commit would release it.
    mutating func noteFetchAnswered(_ fetchSeq: Int, leaderHighWatermark: Int64) {
        for (key, forward) in forwards {
            guard case .awaitingImage(let response, let after, nil) = forward.state, fetchSeq > after else { continue }
            forwards[key]?.state = .awaitingImage(response, afterFetchSeq: after, requiredHighWatermark: leaderHighWatermark)
        }
        releaseForwards()
    }

    mutating func releaseForwards() {
        for key in forwards.keys.sorted() {
            guard let forward = forwards[key], case .awaitingImage(let response, _, let required?) = forward.state,
                raft.highWatermark >= required, brokerCaughtUp
            else { continue }
            answerForward(key, response)
        }
    }

    mutating func answerForward(_ forwardId: Int, _ response: ControllerResponse) {
        guard let forward = forwards.removeValue(forKey: forwardId) else { return }
        if forward.isInternal {
            offsetsTopicInflight = false
            return
        }
        let header = forward.header
        let frame = response.frame(version: header.apiVersion, correlationId: header.correlationId)
        effects.clientReplies.append(DeferredReply(
            connection: forward.connection, frame: frame,
            trace: trace(header, requestBytes: forward.requestBytes, response: response, frame)))
    }

    mutating func expireForwards() {
        for key in forwards.keys.sorted() {
            guard let forward = forwards[key] else { continue }
            if now >= forward.deadline {
                if case .awaitingImage(let response, _, _) = forward.state {
                    answerForward(key, response)
                } else {
                    answerForward(key, forward.request.errorResponse(.requestTimedOut, "The controller did not answer in time."))
                }
            } else if case .toSend = forward.state {
                sendForward(key)
            }
        }
        if !parkedInitProducerIds.isEmpty && !producerIdsInflight { requestProducerIds() }
    }

    // MARK: - Producer ids and internal topics

    mutating func requestProducerIds() {
        guard !producerIdsInflight, let epoch = lifecycle.brokerEpoch else { return }
        producerIdsInflight = true
        let request = ControllerRequest.allocateProducerIds(AllocateProducerIdsRequest(brokerId: id.rawValue, brokerEpoch: epoch))
        if raft.isLeader && controller != nil {
            handleControllerRequest(request, reply: .local(.allocateProducerIds))
        } else if !sendToController(request, purpose: .allocateProducerIds) {
            producerIdsInflight = false
        }
    }

    mutating func producerIdsAnswered(_ response: AllocateProducerIdsResponse) {
        producerIdsInflight = false
        guard response.errorCode == .none, response.producerIdLen > 0 else { return }
        broker.adoptProducerIds(response.producerIdStart..<(response.producerIdStart + Int64(response.producerIdLen)))
        let parked = parkedInitProducerIds
        parkedInitProducerIds = []
        for p in parked {
            switch broker.handle(frame: p.frame, connection: p.connection, clientHost: p.clientHost, now: now, wallClockMs: wallClockMs) {
            case .respond(let frame, let trace):
                effects.clientReplies.append(DeferredReply(connection: p.connection, frame: frame, trace: trace))
            default:
                break
            }
        }
    }

    /// The broker needs `__consumer_offsets`: ask the controller to create it, once at a time.
    mutating func maybeRequestInternalTopics() {
        guard let wanted = broker.takeWantedOffsetsTopic(), !offsetsTopicInflight else { return }
        offsetsTopicInflight = true
        let request = CreateTopicsRequest(topics: [wanted])
        let forwardId = nextForwardId
        nextForwardId += 1
        let header = RequestHeader(apiKey: .createTopics, apiVersion: CreateTopicsRequest.versions.upperBound, correlationId: 0, clientId: correlationClient())
        forwards[forwardId] = Forward(
            connection: ConnectionID(-1), header: header, request: .createTopics(request), requestBytes: 0,
            deadline: now + config.forwardTimeout, isInternal: true, state: .toSend)
        sendForward(forwardId)
    }

    /// A controller answer (or its absence) for one of this node's own requests.
    mutating func deliverControllerResponse(_ response: ControllerResponse, purpose: Outstanding.Purpose) {
        switch (purpose, response) {
        case (.registration, .brokerRegistration(let r)): registrationAnswered(r)
        case (.heartbeat, .brokerHeartbeat(let r)): heartbeatAnswered(r)
        case (.allocateProducerIds, .allocateProducerIds(let r)): producerIdsAnswered(r)
        case (.forward(let forwardId), _): forwardAnswered(forwardId, response)
        case (.alterPartition(let proposals), .alterPartition(let r)): broker.isrChangeAnswered(proposals, response: r, now: now)
        default: break
        }
    }

    mutating func deliverControllerFailure(purpose: Outstanding.Purpose) {
        switch purpose {
        case .registration, .heartbeat:
            lifecycle.inflight = false
            lifecycle.nextAttemptAt = now + Self.controllerLookupBackoff
        case .allocateProducerIds:
            producerIdsInflight = false
        case .forward(let forwardId):
            if forwards[forwardId] != nil { forwards[forwardId]?.state = .toSend }
        case .alterPartition(let proposals):
            broker.isrChangeAnswered(proposals, response: nil, now: now)
        case .replicaFetch(let leader):
            broker.replicaFetchFailed(from: leader, now: now)
        case .raft:
            break
        }
    }
}
