// Groups room: the classic group coordinator as a pure state machine. Requests, ticks and
// replayed records in; new state and GroupEffects (records, then responses) out. No sockets,
// clocks, tasks or randomness of its own.

/// Who sent a request, as the handlers need it. Mirrors Kafka's `RequestContext`.
struct RequestContext {
    var id: RequestID
    var apiVersion: Int16
    var clientId: String
    var clientHost: String
    var parked: ParkedRequest { ParkedRequest(id: id, apiVersion: apiVersion) }
}

/// The group coordinator for the `__consumer_offsets` partitions this broker leads.
///
/// `step` answers a request, at once or later (a JoinGroup waits for the rebalance, a
/// SyncGroup for the leader's assignment: both are kept as values with deadlines and answered
/// by a later `step` or `tick`). Durable changes leave as `GroupRecord`s in the effects and
/// enter state through `replay(_:)`: committed offsets always, group snapshots when a
/// partition loads. Mirrors Kafka's `GroupCoordinatorShard` with its `GroupMetadataManager`
/// (classic groups) and `OffsetMetadataManager`.
public struct GroupCoordinator: Sendable {
    public let config: GroupConfig
    public internal(set) var groups: [String: ClassicGroup] = [:]
    /// Committed offsets by group id.
    public internal(set) var offsets: [String: [OffsetCommitKey: OffsetCommitValue]] = [:]
    /// The `__consumer_offsets` partitions this coordinator holds; any other partition's
    /// groups get NOT_COORDINATOR.
    public internal(set) var partitions: [Int32: OffsetsPartitionState] = [:]
    var entropy: SplitMix64
    /// Wall-clock milliseconds at `Instant.zero`, to stamp records (never to decide).
    let wallClockAtZeroMs: Int64

    /// - Parameters:
    ///   - seed: seeds member-id generation (Kafka uses random UUIDs).
    ///   - wallClockAtZeroMs: the wall clock, in Unix milliseconds, when `Instant` was zero.
    public init(config: GroupConfig = GroupConfig(), seed: UInt64, wallClockAtZeroMs: Int64 = 0) {
        self.config = config
        self.entropy = SplitMix64(seed: seed)
        self.wallClockAtZeroMs = wallClockAtZeroMs
    }

    /// The `__consumer_offsets` partition that holds `groupId`.
    public func offsetsPartition(for groupId: String) -> Int32 {
        config.offsetsPartition(for: groupId)
    }

    /// The earliest deadline of any group in a loaded partition: when `tick` has work.
    public var nextDeadline: Instant? {
        groups.values.filter { partitionState(of: $0.groupId) == .loaded }.compactMap(
            \.nextDeadline
        ).min()
    }

    /// Committed offsets of one group, sorted by topic and partition.
    public func committedOffsets(
        groupId: String
    ) -> [(key: OffsetCommitKey, value: OffsetCommitValue)] {
        (offsets[groupId] ?? [:]).sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
    }

    // MARK: - Driving

    /// Handles one request from `connection` at `now`. Timers already due fire first, so the
    /// answer never depends on whether the host ticked exactly on time.
    public mutating func step(
        _ request: GroupRequest, from connection: ConnectionID, now: Instant
    ) -> GroupEffects {
        var effects = tick(now: now)
        let context = groupContext(now)
        let caller = RequestContext(
            id: RequestID(connection: connection, correlationId: request.correlationId),
            apiVersion: request.apiVersion, clientId: request.clientId,
            clientHost: request.clientHost)
        switch request.body {
        case .joinGroup(let r): handleJoinGroup(r, caller, context, &effects)
        case .syncGroup(let r): handleSyncGroup(r, caller, context, &effects)
        case .heartbeat(let r): handleHeartbeat(r, caller, context, &effects)
        case .leaveGroup(let r): handleLeaveGroup(r, caller, context, &effects)
        case .offsetCommit(let r): handleOffsetCommit(r, caller, context, &effects)
        case .offsetFetch(let r): handleOffsetFetch(r, caller, &effects)
        case .listGroups(let r): handleListGroups(r, caller, &effects)
        case .describeGroups(let r): handleDescribeGroups(r, caller, &effects)
        case .deleteGroups(let r): handleDeleteGroups(r, caller, &effects)
        case .offsetDelete(let r): handleOffsetDelete(r, caller, &effects)
        }
        return effects
    }

    /// Fires every due deadline: session expiry, the end of a join phase (initial delay or
    /// rebalance timeout), sync-phase expiry, MEMBER_ID_REQUIRED joiners that never came back.
    public mutating func tick(now: Instant) -> GroupEffects {
        var effects = GroupEffects()
        let context = groupContext(now)
        for id in groups.keys.sorted() {
            guard partitionState(of: id) == .loaded,
                let deadline = groups[id]?.nextDeadline, deadline <= now
            else { continue }
            modifyGroup(id) { group in group.fireDueTimers(context, &effects) }
        }
        return effects
    }

    // MARK: - Helpers for the handlers

    func groupContext(_ now: Instant) -> GroupContext {
        GroupContext(
            config: config, now: now, wallClockMs: wallClockAtZeroMs &+ now.nanoseconds / 1_000_000)
    }

    func partitionState(of groupId: String) -> OffsetsPartitionState? {
        partitions[offsetsPartition(for: groupId)]
    }

    /// NOT_COORDINATOR or COORDINATOR_LOAD_IN_PROGRESS when this coordinator cannot serve the
    /// group now; nil when it can.
    func coordinatorError(for groupId: String) -> ErrorCode? {
        switch partitionState(of: groupId) {
        case nil: return .notCoordinator
        case .loading: return .coordinatorLoadInProgress
        case .loaded: return nil
        }
    }

    /// Mutates a group in place without copying its members (the dictionary entry is taken
    /// out for the duration).
    @discardableResult
    mutating func modifyGroup<T>(_ groupId: String, _ body: (inout ClassicGroup) -> T) -> T? {
        guard var group = groups.removeValue(forKey: groupId) else { return nil }
        defer { groups[groupId] = group }
        return body(&group)
    }

    /// A fresh member id as Kafka makes them: `<client.id or group.instance.id>-<uuid>`. The
    /// prefix is shortened if needed so the id still fits a protocol string (a client id may
    /// itself be as long as one).
    mutating func generateMemberId(clientId: String, instanceId: String?) -> String {
        let suffix = "-" + entropy.nextUUIDString()
        var prefix = Substring(instanceId ?? clientId)
        while prefix.utf8.count + suffix.utf8.count > Limits.stringBytesMax {
            prefix = prefix.dropLast()
        }
        return prefix + suffix
    }
}
