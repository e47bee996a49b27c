// Controller room: the active controller's soft state about brokers: when each last
// heartbeated, how far it has replayed the metadata log, and where its controlled shutdown
// ends. None of it is in the log; a new active controller starts it afresh.

/// What the active controller knows about live brokers beyond the metadata image.
///
/// Mirrors Kafka's `BrokerHeartbeatManager` together with its `BrokerHeartbeatTracker`: only
/// the active controller has one, so that heartbeats never fill the metadata log. The price,
/// as in Kafka, is that after a failover every broker gets a fresh session from the moment the
/// new controller activates, so a dead broker is fenced a little later than it would have been.
/// A broker's fenced and controlled-shutdown flags are not kept here: they are in the image.
public struct BrokerHeartbeatTracker: Equatable, Sendable {
    /// One broker's soft state (Kafka's `BrokerHeartbeatState` and its contact time).
    public struct BrokerState: Equatable, Sendable {
        /// The registration the session belongs to (Kafka keys sessions by id and epoch).
        public var brokerEpoch: Int64
        /// When the session was last renewed; nil once it expired.
        public var lastContact: Instant?
        /// The metadata offset the broker last reported, -1 before its first heartbeat.
        public var metadataOffset: Int64
        /// While in controlled shutdown: the offset every active broker must have replayed
        /// before this one may stop (the last record that moved leadership away from it).
        public var controlledShutdownOffset: Int64?
    }

    /// `broker.session.timeout.ms`.
    public internal(set) var sessionTimeout: Duration
    public private(set) var brokers: [NodeID: BrokerState] = [:]

    public init(sessionTimeout: Duration) {
        self.sessionTimeout = sessionTimeout
    }

    /// When the broker's session runs out, if it has one.
    public func sessionExpiry(of id: NodeID) -> Instant? {
        brokers[id]?.lastContact.map { $0 + sessionTimeout }
    }

    /// Whether the registration with this epoch has a session that has not run out at `now`
    /// (Kafka's `hasValidSession`). A session ends once its age reaches the timeout; Kafka's
    /// check is strict, one nanosecond later, which no deadline-driven tick can tell apart.
    public func hasValidSession(_ id: NodeID, brokerEpoch: Int64, now: Instant) -> Bool {
        guard let state = brokers[id], state.brokerEpoch == brokerEpoch,
            let expiry = sessionExpiry(of: id)
        else { return false }
        return now < expiry
    }

    /// A new registration (or a new active controller): a fresh session from `now`, nothing
    /// reported yet.
    mutating func startSession(_ id: NodeID, brokerEpoch: Int64, now: Instant) {
        brokers[id] = BrokerState(
            brokerEpoch: brokerEpoch, lastContact: now, metadataOffset: -1,
            controlledShutdownOffset: nil)
    }

    /// A heartbeat: the session is renewed and the reported offset kept.
    mutating func touch(_ id: NodeID, brokerEpoch: Int64, now: Instant, metadataOffset: Int64) {
        guard var state = brokers[id], state.brokerEpoch == brokerEpoch else {
            startSession(id, brokerEpoch: brokerEpoch, now: now)
            brokers[id]?.metadataOffset = metadataOffset
            return
        }
        state.lastContact = now
        state.metadataOffset = metadataOffset
        brokers[id] = state
    }

    /// The session ran out: the broker keeps its entry but has no session until it heartbeats.
    mutating func endSession(_ id: NodeID) {
        brokers[id]?.lastContact = nil
    }

    mutating func remove(_ id: NodeID) {
        brokers[id] = nil
    }

    /// Leadership moved away from a broker in controlled shutdown at `offset`.
    mutating func noteControlledShutdown(_ id: NodeID, at offset: Int64) {
        guard var state = brokers[id] else { return }
        state.controlledShutdownOffset = max(state.controlledShutdownOffset ?? offset, offset)
        brokers[id] = state
    }

    /// Kafka's `lowestActiveOffset`: the least metadata offset reported by the given active
    /// brokers, or `Int64.max` when there are none.
    func lowestMetadataOffset(of active: [NodeID]) -> Int64 {
        active.map { brokers[$0]?.metadataOffset ?? -1 }.min() ?? .max
    }
}
