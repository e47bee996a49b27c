// Node room: the active controller. It exists while this node leads the quorum and has replayed
// its log; its decisions go into the Raft log, and each answer waits until its records are
// committed (Kafka's ControllerResult: records first, response after the commit).

import NIOCore

/// Where a controller's answer goes: back over the wire, or into this node's own broker.
enum ControllerReplyTarget: Sendable {
    case peer(PeerReplyTo, version: Int16, correlationId: Int32)
    case local(Outstanding.Purpose)
}

/// An answer held until the high watermark passes `waitFor`.
struct PendingReply: Sendable {
    var waitFor: Int64
    var createdAt = Instant.zero
    func committedWait(_ bound: Duration) -> Instant { createdAt + bound }
    var target: ControllerReplyTarget?
    var response: ControllerResponse?
    var events: [ControllerEvent]
}

extension Node {
    /// Runs a controller request here (this node must be the active controller, else the
    /// answer is NOT_CONTROLLER so the sender looks the leader up again).
    mutating func handleControllerRequest(_ request: ControllerRequest, reply target: ControllerReplyTarget) {
        guard raft.isLeader, var active = controller else {
            return respond(request.errorResponse(.notController, "Node \(id) is not the active controller."), to: target)
        }
        let records: [MetadataRecord]
        let events: [ControllerEvent]
        let response: ControllerResponse
        switch request {
        case .createTopics(let r):
            let result = active.handleCreateTopics(r)
            (records, events, response) = (result.records, result.events, .createTopics(result.response))
        case .deleteTopics(let r):
            let result = active.handleDeleteTopics(r)
            (records, events, response) = (result.records, result.events, .deleteTopics(result.response))
        case .createPartitions(let r):
            let result = active.handleCreatePartitions(r)
            (records, events, response) = (result.records, result.events, .createPartitions(result.response))
        case .alterConfigs(let r):
            let result = active.handleAlterConfigs(r)
            (records, events, response) = (result.records, result.events, .alterConfigs(result.response))
        case .incrementalAlterConfigs(let r):
            let result = active.handleIncrementalAlterConfigs(r)
            (records, events, response) = (result.records, result.events, .incrementalAlterConfigs(result.response))
        case .brokerRegistration(let r):
            let result = active.handleBrokerRegistration(r, nextOffset: raft.log.endOffset, now: now)
            (records, events, response) = (result.records, result.events, .brokerRegistration(result.response))
        case .brokerHeartbeat(let r):
            let result = active.handleBrokerHeartbeat(r, now: now)
            (records, events, response) = (result.records, result.events, .brokerHeartbeat(result.response))
        case .allocateProducerIds(let r):
            let result = active.handleAllocateProducerIds(r)
            (records, events, response) = (result.records, result.events, .allocateProducerIds(result.response))
        case .describeQuorum:
            controller = active
            return respond(.describeQuorum(describeQuorum()), to: target)
        case .alterPartition(let r):
            let result = active.handleAlterPartition(r)
            (records, events, response) = (result.records, result.events, .alterPartition(result.response))
        case .electLeaders(let r):
            let result = active.handleElectLeaders(r)
            (records, events, response) = (result.records, result.events, .electLeaders(result.response))
        }
        controller = active
        commitControllerResult(records, events: events, reply: (target, response))
    }

    /// Appends a decision's records through Raft and replays them into the controller at once
    /// (the leader's log is what will be committed); the answer and the events wait for the commit.
    mutating func commitControllerResult(
        _ records: [MetadataRecord], events: [ControllerEvent], reply: (ControllerReplyTarget, ControllerResponse)?
    ) {
        guard !records.isEmpty else {
            pendingReplies.append(PendingReply(waitFor: raft.log.endOffset, createdAt: now, target: reply?.0, response: reply?.1, events: events))
            return releasePendingReplies()
        }
        let (raftEffects, offsets) = raft.propose(records, now: now)
        guard let offsets else {
            if let (target, response) = reply { respond(response.asNotController(), to: target) }
            return
        }
        for (i, record) in records.enumerated() { controller?.replay(record, offset: offsets.lowerBound + Int64(i)) }
        pendingReplies.append(PendingReply(waitFor: offsets.upperBound, createdAt: now, target: reply?.0, response: reply?.1, events: events))
        absorb(raftEffects)
    }

    /// Sends every held answer whose records are now committed, and reports its events.
    mutating func releasePendingReplies() {
        // Committed, and (within the fetch timeout) every live broker already holds the
        // records, so a client that asks another broker next finds what it just created.
        let hw = raft.highWatermark
        let isReady: (PendingReply) -> Bool = { [raft, now, config] p in
            p.waitFor <= hw && (p.target == nil || raft.liveReplicasHave(p.waitFor, now: now)
                || now >= p.committedWait(config.raft.fetchTimeout))
        }
        let ready = pendingReplies.filter(isReady)
        guard !ready.isEmpty else { return }
        pendingReplies.removeAll(where: isReady)
        for pending in ready {
            for event in pending.events { record(.controller(event)) }
            if let target = pending.target, let response = pending.response { respond(response, to: target) }
        }
    }

    mutating func respond(_ response: ControllerResponse, to target: ControllerReplyTarget?) {
        switch target {
        case .peer(let reply, let version, let correlationId):
            effects.peerResponses.append((reply, response.frame(version: version, correlationId: correlationId)))
        case .local(let purpose):
            deliverControllerResponse(response, purpose: purpose)
        case nil:
            break
        }
    }

    /// Starts or stops the active controller as Raft leadership comes and goes.
    mutating func maybeChangeControllerState() {
        if raft.isLeader {
            guard controller == nil, raft.highWatermark > 0, raft.highWatermark >= raft.log.endOffset else { return }
            // Seeded by the cluster and the epoch, not the node: the same cluster decides the
            // same way whichever voter wins, and each epoch's topic ids differ from the last's.
            var active = QuorumController(config: config.controller, seed: config.controllerSeed ^ (UInt64(UInt32(bitPattern: raft.epoch)) &* 0x9E37_79B9_7F4A_7C15))
            for batch in raft.log.batches {
                guard case .records(let records) = batch.content else { continue }
                for (i, record) in records.enumerated() { active.replay(record, offset: batch.baseOffset + Int64(i)) }
            }
            active.activate(now: now)
            controller = active
            record(.controllerActivated(epoch: raft.epoch))
            if active.image.metadataVersion == nil {
                commitControllerResult(active.bootstrapRecords(), events: [], reply: nil)
            }
        } else if controller != nil {
            controller = nil
            record(.controllerDeactivated(epoch: raft.epoch))
            let abandoned = pendingReplies
            pendingReplies = []
            for pending in abandoned {
                guard let target = pending.target, let response = pending.response else { continue }
                respond(response.asNotController(), to: target)
            }
        }
    }

    /// DescribeQuorum as the leader answers it; NOT_LEADER_OR_FOLLOWER elsewhere.
    func describeQuorum() -> DescribeQuorumResponse {
        guard let quorum = raft.describeQuorum() else {
            return DescribeQuorumResponse(topics: [.init(partitions: [.init(
                errorCode: .notLeaderOrFollower, errorMessage: "Node \(id) is not the quorum leader.",
                leaderId: raft.leaderId?.rawValue ?? -1, leaderEpoch: raft.epoch, highWatermark: -1)])])
        }
        func wall(_ instant: Instant?) -> Int64 {
            guard let instant else { return -1 }
            return wallClockMs - (now - instant).milliseconds
        }
        func state(_ r: QuorumReplicaState) -> DescribeQuorumResponse.ReplicaState {
            let isLeader = r.replicaId == id
            return .init(replicaId: r.replicaId.rawValue, logEndOffset: r.logEndOffset,
                         lastFetchTimestamp: isLeader ? wallClockMs : wall(r.lastFetch),
                         lastCaughtUpTimestamp: isLeader ? wallClockMs : wall(r.lastCaughtUp))
        }
        return DescribeQuorumResponse(topics: [.init(partitions: [.init(
            leaderId: quorum.leaderId.rawValue, leaderEpoch: quorum.leaderEpoch, highWatermark: quorum.highWatermark,
            currentVoters: quorum.voters.map(state), observers: quorum.observers.map(state))])])
    }
}

extension ControllerResponse {
    /// The same answer turned into NOT_CONTROLLER (leadership moved before it committed).
    func asNotController() -> ControllerResponse {
        switch self {
        case .createTopics(var r):
            for i in r.topics.indices { r.topics[i].errorCode = .notController }
            return .createTopics(r)
        case .deleteTopics(var r):
            for i in r.responses.indices { r.responses[i].errorCode = .notController }
            return .deleteTopics(r)
        case .createPartitions(var r):
            for i in r.results.indices { r.results[i].errorCode = .notController }
            return .createPartitions(r)
        case .alterConfigs(var r):
            for i in r.responses.indices { r.responses[i].errorCode = .notController }
            return .alterConfigs(r)
        case .incrementalAlterConfigs(var r):
            for i in r.responses.indices { r.responses[i].errorCode = .notController }
            return .incrementalAlterConfigs(r)
        case .brokerRegistration(var r):
            r.errorCode = .notController
            return .brokerRegistration(r)
        case .brokerHeartbeat(var r):
            r.errorCode = .notController
            return .brokerHeartbeat(r)
        case .allocateProducerIds(var r):
            r.errorCode = .notController
            return .allocateProducerIds(r)
        case .describeQuorum(var r):
            r.errorCode = .notController
            return .describeQuorum(r)
        case .alterPartition(var r):
            r.errorCode = .notController
            return .alterPartition(r)
        case .electLeaders(var r):
            r.errorCode = .notController
            for t in r.replicaElectionResults.indices {
                for p in r.replicaElectionResults[t].partitionResult.indices {
                    r.replicaElectionResults[t].partitionResult[p].errorCode = .notController
                }
            }
            return .electLeaders(r)
        }
    }
}
