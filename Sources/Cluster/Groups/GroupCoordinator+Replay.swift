// Groups room: how durable state enters the coordinator: replaying __consumer_offsets records,
// and taking over (loading) or giving up (unloading) one of its partitions.

extension GroupCoordinator {
    /// Applies one record. Offset commits and tombstones always apply. A group snapshot
    /// rebuilds its group unless that group is live in a loaded partition (the live group is
    /// newer than, or the same as, any snapshot it wrote); a group tombstone removes the group.
    ///
    /// Records in `GroupEffects` are already applied; call this for records read back from a
    /// partition's log while it loads (between `beginLoading` and `completeLoading`). Mirrors
    /// `GroupCoordinatorShard.replay`.
    public mutating func replay(_ record: GroupRecord) {
        switch record {
        case .offsetCommit(let key, let value):
            if let value {
                offsets[key.group, default: [:]][key] = value
                // Offsets without a group belong to a "simple" group, as in Kafka.
                if groups[key.group] == nil { groups[key.group] = ClassicGroup(groupId: key.group) }
            } else {
                offsets[key.group]?[key] = nil
                if offsets[key.group]?.isEmpty == true { offsets[key.group] = nil }
            }
        case .groupMetadata(let key, let value):
            if let value {
                let live = partitionState(of: key.group) == .loaded && groups[key.group] != nil
                if !live { groups[key.group] = ClassicGroup(groupId: key.group, snapshot: value) }
            } else {
                groups[key.group] = nil
            }
        }
    }

    /// Starts taking over a `__consumer_offsets` partition (this broker became its leader):
    /// its groups answer COORDINATOR_LOAD_IN_PROGRESS until `completeLoading`. Any state held
    /// for it before is dropped first.
    public mutating func beginLoading(offsetsPartition partition: Int32) -> GroupEffects {
        let effects = unload(offsetsPartition: partition)
        partitions[partition] = .loading
        return effects
    }

    /// The partition's log has been replayed: its groups are served from now on, and every
    /// member's session starts afresh at `now` (Kafka's `onLoaded`).
    public mutating func completeLoading(
        offsetsPartition partition: Int32, now: Instant
    ) -> GroupEffects {
        partitions[partition] = .loaded
        let context = groupContext(now)
        for id in groups.keys.sorted() where offsetsPartition(for: id) == partition {
            modifyGroup(id) { group in
                for memberId in group.sortedMemberIds {
                    group.rescheduleHeartbeat(memberId, context)
                }
            }
        }
        return GroupEffects()
    }

    /// Loads a partition in one go: begin, replay `records` in order, complete.
    public mutating func load(
        offsetsPartition partition: Int32, records: [GroupRecord], now: Instant
    ) -> GroupEffects {
        var effects = beginLoading(offsetsPartition: partition)
        for record in records where offsetsPartition(for: record.groupId) == partition {
            replay(record)
        }
        effects.append(completeLoading(offsetsPartition: partition, now: now))
        return effects
    }

    /// Gives up a partition (leadership moved away): its parked requests are answered with
    /// NOT_COORDINATOR, so clients look for the new coordinator, and its groups and offsets are
    /// forgotten here. Mirrors Kafka's `onUnloaded`.
    public mutating func unload(offsetsPartition partition: Int32) -> GroupEffects {
        var effects = GroupEffects()
        for id in groups.keys.sorted() where offsetsPartition(for: id) == partition {
            guard let group = groups.removeValue(forKey: id) else { continue }
            for memberId in group.sortedMemberIds {
                guard let member = group.members[memberId] else { continue }
                if let parked = member.awaitingJoin {
                    effects.respond(
                        parked.id,
                        .joinGroup(
                            JoinGroupResponse(errorCode: .notCoordinator, memberId: memberId)))
                }
                if let parked = member.awaitingSync {
                    effects.respond(
                        parked.id, .syncGroup(SyncGroupResponse(errorCode: .notCoordinator)))
                }
            }
            offsets[id] = nil
        }
        for id in offsets.keys.sorted() where offsetsPartition(for: id) == partition {
            offsets[id] = nil
        }
        partitions[partition] = nil
        return effects
    }
}
