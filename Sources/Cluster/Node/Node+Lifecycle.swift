// Node room: the broker's side of its lease with the controller (Kafka's
// BrokerLifecycleManager): register once per process, then heartbeat every
// broker.heartbeat.interval.ms, re-registering when the controller forgot this broker.

/// What the broker knows of its registration.
struct BrokerLifecycle: Sendable {
    /// New for every process start, so the controller can tell a restart from a retry.
    let incarnationId: Uuid
    var brokerEpoch: Int64?
    var fenced = true
    var inflight = false
    var nextAttemptAt = Instant.zero
    var shuttingDown = false
    /// The epoch of the last clean life, from the clean-shutdown marker (-1: none).
    var previousBrokerEpoch: Int64 = -1
    /// The controller has answered the controlled shutdown with shouldShutDown.
    var shutdownAcknowledged = false
    /// As the active controller: the log offset its own controlled-shutdown records end at.
    /// It hands the quorum over only once they are committed, so no voter that could win
    /// next is left needing this one's vote to record them.
    var resignWhenCommitted: Int64?

    init(incarnationId: Uuid) { self.incarnationId = incarnationId }

    func nextDeadline(requestTimeout: Duration) -> Instant {
        inflight ? Instant(nanoseconds: .max) : nextAttemptAt
    }
}

extension Node {
    /// How soon to look for a controller again when none is known.
    static let controllerLookupBackoff: Duration = .milliseconds(50)
    static let fencedHeartbeatInterval: Duration = .milliseconds(50)

    mutating func lifecycleTick() {
        guard !lifecycle.inflight, now >= lifecycle.nextAttemptAt else { return }
        guard let leader = raft.leaderId else {
            lifecycle.nextAttemptAt = now + Self.controllerLookupBackoff
            return
        }
        let request: ControllerRequest
        let purpose: Outstanding.Purpose
        if let epoch = lifecycle.brokerEpoch {
            request = .brokerHeartbeat(BrokerHeartbeatRequest(
                brokerId: id.rawValue, brokerEpoch: epoch, currentMetadataOffset: max(-1, raft.highWatermark - 1),
                wantFence: !brokerCaughtUp, wantShutDown: lifecycle.shuttingDown))
            purpose = .heartbeat
        } else {
            request = .brokerRegistration(BrokerRegistrationRequest(
                brokerId: id.rawValue, clusterId: config.clusterId, incarnationId: lifecycle.incarnationId,
                listeners: [.init(name: "PLAINTEXT", host: config.host, port: UInt16(clamping: config.brokerPort))],
                features: [.init(name: FeatureLevelRecord.metadataVersionFeature,
                                 minSupportedVersion: FeatureLevelRecord.metadataVersionMinimum,
                                 maxSupportedVersion: FeatureLevelRecord.metadataVersion4_0_IV3)],
                previousBrokerEpoch: lifecycle.previousBrokerEpoch))
            purpose = .registration
        }
        lifecycle.inflight = true
        if leader == id {
            guard controller != nil else {
                lifecycle.inflight = false
                lifecycle.nextAttemptAt = now + Self.controllerLookupBackoff
                return
            }
            handleControllerRequest(request, reply: .local(purpose))
        } else if !sendToController(request, purpose: purpose) {
            lifecycle.inflight = false
            lifecycle.nextAttemptAt = now + Self.controllerLookupBackoff
        }
    }

    mutating func registrationAnswered(_ response: BrokerRegistrationResponse) {
        lifecycle.inflight = false
        if response.errorCode == .none {
            lifecycle.brokerEpoch = response.brokerEpoch
            broker.setRegistered(true, now: now, wallClockMs: wallClockMs)
            lifecycle.fenced = true
            lifecycle.nextAttemptAt = now
            record(.brokerRegistered(brokerEpoch: response.brokerEpoch))
        } else if response.errorCode == .notController {
            lifecycle.nextAttemptAt = now + Self.controllerLookupBackoff
        } else {
            // DUPLICATE_BROKER_REGISTRATION: our previous life's session is still live, so
            // try again after one heartbeat interval.
            lifecycle.nextAttemptAt = now + config.controller.brokerHeartbeatInterval
        }
    }

    mutating func heartbeatAnswered(_ response: BrokerHeartbeatResponse) {
        lifecycle.inflight = false
        switch response.errorCode {
        case .none:
            lifecycle.fenced = response.isFenced
            if lifecycle.shuttingDown && response.shouldShutDown { lifecycle.shutdownAcknowledged = true }
            // A fenced broker that is catching up asks again soon, so it is unfenced as soon as
            // it has the metadata (Kafka waits a full interval; a classroom wants it quick).
            let interval = config.controller.brokerHeartbeatInterval
            lifecycle.nextAttemptAt = now + (response.isFenced && !lifecycle.shuttingDown ? min(interval, Self.fencedHeartbeatInterval) : interval)
        case .staleBrokerEpoch:
            lifecycle.brokerEpoch = nil
            lifecycle.nextAttemptAt = now
        default:
            lifecycle.nextAttemptAt = now + Self.controllerLookupBackoff
        }
    }

    /// Whether a clean shutdown may finish: the controller agreed (or this node led the
    /// quorum and handed it over itself).
    public var controlledShutdownComplete: Bool { lifecycle.shutdownAcknowledged }

    /// A clean shutdown begins: a leader hands the quorum over, and the broker's next
    /// heartbeat asks the controller for a controlled shutdown.
    public mutating func beginShutdown(now: Instant, wallClockMs: Int64) -> NodeEffects {
        begin(now, wallClockMs)
        lifecycle.shuttingDown = true
        lifecycle.nextAttemptAt = now
        if raft.isLeader, let epoch = lifecycle.brokerEpoch, var active = controller {
            // The active controller records its own controlled shutdown; it resigns once that
            // is committed (see `finishLeaderShutdown`).
            let result = active.handleBrokerHeartbeat(BrokerHeartbeatRequest(
                brokerId: id.rawValue, brokerEpoch: epoch, currentMetadataOffset: raft.highWatermark - 1,
                wantFence: false, wantShutDown: true), now: now)
            controller = active
            commitControllerResult(result.records, events: result.events, reply: nil)
            lifecycle.resignWhenCommitted = raft.log.endOffset
        } else if raft.isLeader {
            resignNow()
        } else {
            lifecycleTick()
        }
        return finish()
    }

    /// Called after every input: a shutting-down leader hands over once its shutdown records
    /// are committed; one that lost leadership meanwhile asks the new controller instead.
    mutating func finishLeaderShutdown() {
        guard lifecycle.shuttingDown, !lifecycle.shutdownAcknowledged, let offset = lifecycle.resignWhenCommitted else { return }
        if !raft.isLeader {
            lifecycle.resignWhenCommitted = nil
            lifecycle.nextAttemptAt = now
            lifecycleTick()
        } else if raft.highWatermark >= offset {
            resignNow()
        }
    }

    /// The last step of a clean stop, whether or not the controller answered in time: a
    /// leader still in office hands the quorum over (EndQuorumEpoch) before the sockets close.
    public mutating func resignIfLeader(now: Instant, wallClockMs: Int64) -> NodeEffects {
        begin(now, wallClockMs)
        if raft.isLeader { resignNow() }
        return finish()
    }

    private mutating func resignNow() {
        absorb(raft.resign(now: now))
        lifecycle.resignWhenCommitted = nil
        lifecycle.shutdownAcknowledged = true
    }
}
