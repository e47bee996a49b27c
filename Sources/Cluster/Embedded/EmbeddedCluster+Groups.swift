// Embedded room: the read-only window on consumer groups: each running broker's coordinator
// state, gathered on its own event loop, with log end offsets for lag.

import NIOCore

extension EmbeddedCluster {
    /// Every group held by a running broker's coordinator, sorted by group id, with members,
    /// assignments and committed offsets (lag against each partition leader's log end).
    public func groups() async -> [GroupSummary] {
        var summaries: [GroupSummary] = []
        for id in nodeIDs {
            guard let node = node(id) else { continue }
            let found = await node.inspect { broker in Self.summaries(of: broker.groups, coordinator: id) }
            summaries += found ?? []
        }
        var ends: [TopicPartition: Int64] = [:]
        for tp in Set(summaries.flatMap { $0.offsets.map(\.topicPartition) }).sorted() {
            ends[tp] = await snapshot(tp)?.logEndOffset
        }
        for i in summaries.indices {
            for j in summaries[i].offsets.indices {
                summaries[i].offsets[j].logEndOffset = ends[summaries[i].offsets[j].topicPartition]
            }
        }
        return summaries.sorted { $0.groupId < $1.groupId }
    }

    /// The group `groupId`, if a running coordinator holds it.
    public func group(_ groupId: String) async -> GroupSummary? {
        await groups().first { $0.groupId == groupId }
    }

    /// Groups of loaded partitions only: a partition still loading is not yet this broker's.
    private static func summaries(of coordinator: GroupCoordinator, coordinator id: NodeID) -> [GroupSummary] {
        coordinator.groups.keys.sorted().compactMap { groupId -> GroupSummary? in
            let partition = coordinator.offsetsPartition(for: groupId)
            guard coordinator.partitions[partition] == .loaded, let group = coordinator.groups[groupId] else { return nil }
            let consumer = group.protocolType == "consumer"
            let members = group.sortedMemberIds.compactMap { memberId -> GroupSummary.Member? in
                guard let m = group.members[memberId] else { return nil }
                var assigned: [TopicPartition] = []
                if consumer, m.assignment.readableBytes > 0,
                    let decoded = try? ConsumerProtocolAssignment(decoding: m.assignment)
                {
                    assigned = decoded.assignedPartitions.flatMap { t in
                        t.partitions.map { TopicPartition(topic: t.topic, partition: $0) }
                    }.sorted()
                }
                return GroupSummary.Member(
                    memberId: memberId, groupInstanceId: m.groupInstanceId, clientId: m.clientId,
                    clientHost: m.clientHost, assignment: assigned)
            }
            let offsets = coordinator.committedOffsets(groupId: groupId).map { entry in
                GroupSummary.CommittedOffset(
                    topicPartition: TopicPartition(topic: entry.key.topic, partition: entry.key.partition),
                    committedOffset: entry.value.offset, metadata: entry.value.metadata, logEndOffset: nil)
            }
            return GroupSummary(
                groupId: groupId, state: group.state.description, protocolType: group.protocolType,
                protocolName: group.protocolName, generation: group.generationId, leaderId: group.leaderId,
                coordinator: id, offsetsPartition: partition, members: members, offsets: offsets)
        }
    }
}
