// Controller room: BrokerRegistration and BrokerHeartbeat. A broker registers fenced, is
// unfenced once it has replayed its own registration, keeps its session by heartbeating, and
// leaves by controlled shutdown. Kafka's ClusterControlManager and BrokerHeartbeatManager.

extension QuorumController {
    /// Kafka's `MetadataVersion.MINIMUM_VERSION` (3.3-IV3): what a broker that names no
    /// metadata.version range is taken to support.
    static let impliedMetadataVersion = FeatureLevelRecord.metadataVersionMinimum

    /// Decides a BrokerRegistration (Kafka's `ClusterControlManager.registerBroker`).
    ///
    /// The new broker epoch is `nextOffset`, where this result's first record lands: the offset
    /// of the `RegisterBrokerRecord` itself unless a previous incarnation's partitions had to be
    /// let go of first. The broker starts fenced with a fresh session, and is caught up once it
    /// has replayed its registration record. A retry by the same process (same
    /// incarnation id) gets its epoch back and writes nothing. Another process claiming the id
    /// while the old registration's session is live is refused with DUPLICATE_BROKER_REGISTRATION
    /// so it retries; once that session has run out, the newcomer replaces it.
    public mutating func handleBrokerRegistration(
        _ r: BrokerRegistrationRequest, nextOffset: Int64, now: Instant
    ) -> ControllerResult<BrokerRegistrationResponse> {
        guard isActive else {
            return ControllerResult(response: BrokerRegistrationResponse(errorCode: .notController))
        }
        precondition(
            nextOffset > image.offset,
            "a registration at offset \(nextOffset) would land at or before replayed offset \(image.offset)"
        )
        let id = NodeID(r.brokerId)
        func refuse(_ code: ErrorCode) -> ControllerResult<BrokerRegistrationResponse> {
            ControllerResult(
                response: BrokerRegistrationResponse(errorCode: code),
                events: [.brokerRegistrationRefused(id, code)])
        }
        if let clusterId = config.clusterId, clusterId != r.clusterId {
            return refuse(.inconsistentClusterId)
        }
        if let existing = image.brokers[id] {
            if existing.incarnationId == r.incarnationId {
                heartbeats.touch(
                    id, brokerEpoch: existing.epoch, now: now,
                    metadataOffset: heartbeats.brokers[id]?.metadataOffset ?? -1)
                return ControllerResult(
                    response: BrokerRegistrationResponse(brokerEpoch: existing.epoch))
            }
            // KIP-966: a broker that names the epoch of the registration it replaces shut down
            // cleanly and is the same broker coming back: no need to wait out the old session.
            if heartbeats.hasValidSession(id, brokerEpoch: existing.epoch, now: now),
                r.previousBrokerEpoch != existing.epoch
            {
                return refuse(.duplicateBrokerRegistration)
            }
        }
        // Kafka 4 has no ZooKeeper brokers to migrate.
        if r.isMigratingZkBroker { return refuse(.brokerIdNotRegistered) }
        guard let features = registrationFeatures(r.features) else {
            return refuse(.unsupportedVersion)
        }
        let record = RegisterBrokerRecord(
            brokerId: r.brokerId, incarnationId: r.incarnationId, brokerEpoch: nextOffset,
            endPoints: r.listeners.map {
                BrokerEndpoint(
                    name: $0.name, host: $0.host, port: $0.port,
                    securityProtocol: $0.securityProtocol)
            },
            features: features, rack: r.rack, fenced: true, inControlledShutdown: false,
            logDirs: r.logDirs)
        // The previous incarnation is gone: whatever it led or kept in sync it no longer does
        // (Kafka's `BrokerUncleanShutdownHandler`, which without eligible leader replicas
        // treats a clean and an unclean shutdown alike). These records come first; the epoch
        // is still `nextOffset`, the batch's first offset, as in Kafka.
        var draft = ControllerDraft(image)
        updateLeaderAndIsr(
            removing: id, adding: nil,
            partitions: Self.partitions(in: image) { $0.isr.contains(id) },
            in: &draft)
        draft.append(.registerBroker(record))
        draft.events.append(.brokerRegistered(id, brokerEpoch: nextOffset))
        heartbeats.startSession(id, brokerEpoch: nextOffset, now: now)
        return draft.result(BrokerRegistrationResponse(brokerEpoch: nextOffset))
    }

    /// The features to record, or nil when the broker cannot run at a finalized level (Kafka's
    /// `processRegistrationFeature`, UNSUPPORTED_VERSION). A broker that names no
    /// metadata.version range supports only the oldest one.
    private func registrationFeatures(_ requested: [BrokerRegistrationRequest.Feature])
        -> [BrokerFeature]?
    {
        var features = requested.map {
            BrokerFeature(
                name: $0.name, minSupportedVersion: $0.minSupportedVersion,
                maxSupportedVersion: $0.maxSupportedVersion)
        }
        if !features.contains(where: { $0.name == FeatureLevelRecord.metadataVersionFeature }) {
            features.append(
                BrokerFeature(
                    name: FeatureLevelRecord.metadataVersionFeature,
                    minSupportedVersion: Self.impliedMetadataVersion,
                    maxSupportedVersion: Self.impliedMetadataVersion))
        }
        for feature in features {
            guard let level = image.finalizedFeatures[feature.name] else { continue }
            guard feature.minSupportedVersion <= level && level <= feature.maxSupportedVersion
            else {
                return nil
            }
        }
        return features
    }

    /// Decides a BrokerHeartbeat (Kafka's `ReplicationControlManager.processBrokerHeartbeat`
    /// with `BrokerHeartbeatManager.calculateNextBrokerState`).
    ///
    /// The heartbeat renews the session. A fenced broker that does not `wantFence` and has
    /// replayed its own registration is unfenced and takes the leadership of leaderless
    /// partitions whose ISR names it. `wantShutDown` starts a controlled shutdown: leadership
    /// moves to other ISR members first. Kafka then always waits for the other brokers to
    /// replay the move before it lets the broker go; when no other broker took anything over
    /// there is nothing to wait for, so here the broker is fenced and told to stop at once.
    public mutating func handleBrokerHeartbeat(
        _ r: BrokerHeartbeatRequest, now: Instant
    ) -> ControllerResult<BrokerHeartbeatResponse> {
        guard isActive else {
            return ControllerResult(response: BrokerHeartbeatResponse(errorCode: .notController))
        }
        let id = NodeID(r.brokerId)
        guard let broker = image.brokers[id], broker.epoch == r.brokerEpoch,
            let registrationOffset = registrationOffset(of: id)
        else {
            return ControllerResult(response: BrokerHeartbeatResponse(errorCode: .staleBrokerEpoch))
        }
        var draft = ControllerDraft(image)
        let current = controlState(of: broker)
        var next = nextState(
            from: current, broker: broker, request: r, registrationOffset: registrationOffset)
        if next != current {
            switch next {
            case .fenced:
                fenceBroker(id, reason: .requested, in: &draft)
            case .unfenced:
                unfenceBroker(id, brokerEpoch: broker.epoch, in: &draft)
            case .controlledShutdown:
                beginControlledShutdown(id, brokerEpoch: broker.epoch, in: &draft)
                if canStopAtOnce(id, draft: draft) {
                    fenceBroker(id, reason: .controlledShutdown, in: &draft)
                    next = .shutdownNow
                }
            case .shutdownNow where !broker.fenced:
                fenceBroker(id, reason: .controlledShutdown, in: &draft)
            case .shutdownNow:
                break
            }
        }
        heartbeats.touch(
            id, brokerEpoch: broker.epoch, now: now, metadataOffset: r.currentMetadataOffset)
        return draft.result(
            BrokerHeartbeatResponse(
                isCaughtUp: r.currentMetadataOffset >= registrationOffset, isFenced: next.isFenced,
                shouldShutDown: next == .shutdownNow))
    }

    /// Kafka's `currentBrokerState`. A fenced broker that already went through a controlled
    /// shutdown stays on its way out: it must register again to come back.
    func controlState(of broker: BrokerRegistration) -> BrokerControlState {
        if broker.fenced { return broker.inControlledShutdown ? .shutdownNow : .fenced }
        return broker.inControlledShutdown ? .controlledShutdown : .unfenced
    }

    /// Kafka's `calculateNextBrokerState`.
    private func nextState(
        from current: BrokerControlState, broker: BrokerRegistration,
        request r: BrokerHeartbeatRequest,
        registrationOffset: Int64
    ) -> BrokerControlState {
        switch current {
        case .fenced:
            if r.wantShutDown { return .shutdownNow }
            if !r.wantFence && r.currentMetadataOffset >= registrationOffset { return .unfenced }
            return .fenced
        case .unfenced:
            if r.wantFence { return r.wantShutDown ? .shutdownNow : .fenced }
            if r.wantShutDown {
                return Self.hasLeaderships(broker.id, in: image)
                    ? .controlledShutdown : .shutdownNow
            }
            return .unfenced
        case .controlledShutdown:
            if Self.hasLeaderships(broker.id, in: image) { return .controlledShutdown }
            let shutdownOffset =
                heartbeats.brokers[broker.id]?.controlledShutdownOffset ?? image.offset
            let active = image.sortedBrokers.map(\.id).filter { Self.isActiveBroker($0, in: image) }
            return shutdownOffset <= heartbeats.lowestMetadataOffset(of: active)
                ? .shutdownNow : .controlledShutdown
        case .shutdownNow:
            return .shutdownNow
        }
    }

    /// Whether a broker that just began its controlled shutdown may stop in the same breath:
    /// it leads nothing any more and no other broker was handed a partition to lead, so no
    /// one has to learn anything before it goes.
    private func canStopAtOnce(_ id: NodeID, draft: ControllerDraft) -> Bool {
        guard !Self.hasLeaderships(id, in: draft.image) else { return false }
        return !draft.events.contains { event in
            if case .partitionChanged(_, _, let leader, _, _) = event {
                return leader.from == id && leader.to != nil
            }
            return false
        }
    }
}
