// Groups room: a classic group to and from its __consumer_offsets snapshot (GroupMetadataValue):
// written after each settled generation, read back when a partition loads.

import NIOCore

extension ClassicGroup {
    /// The group as a `__consumer_offsets` record: members with their metadata for the chosen
    /// protocol and `assignment` (default: their current assignment).
    func metadataRecord(assignment: [String: ByteBuffer]? = nil) -> GroupRecord {
        let memberList = sortedMemberIds.compactMap { id -> GroupMetadataValue.MemberMetadata? in
            guard let m = members[id] else { return nil }
            return GroupMetadataValue.MemberMetadata(
                memberId: id, groupInstanceId: m.groupInstanceId, clientId: m.clientId,
                clientHost: m.clientHost,
                rebalanceTimeout: m.rebalanceTimeoutMs, sessionTimeout: m.sessionTimeoutMs,
                subscription: m.metadata(protocolName), assignment: assignment?[id] ?? m.assignment)
        }
        let value = GroupMetadataValue(
            protocolType: protocolType ?? "", generation: generationId, protocolName: protocolName,
            leader: leaderId, currentStateTimestamp: currentStateTimestampMs ?? -1,
            members: memberList)
        return .groupMetadata(GroupMetadataKey(group: groupId), value)
    }

    /// The record Kafka writes when a JoinGroup creates a group: the group exists, with no
    /// members yet (those joining are not durable until their generation is stored).
    func emptyMetadataRecord() -> GroupRecord {
        let value = GroupMetadataValue(
            protocolType: protocolType ?? "", generation: generationId, protocolName: nil,
            leader: nil,
            currentStateTimestamp: currentStateTimestampMs ?? -1, members: [])
        return .groupMetadata(GroupMetadataKey(group: groupId), value)
    }

    /// Rebuilds a group from its last snapshot, as Kafka does on load: Empty without members,
    /// else Stable in the stored generation with the stored assignments. Member sessions start
    /// when loading completes.
    init(groupId: String, snapshot: GroupMetadataValue) {
        self.init(groupId: groupId)
        generationId = snapshot.generation
        protocolType = snapshot.protocolType.isEmpty ? nil : snapshot.protocolType
        protocolName = snapshot.protocolName
        currentStateTimestampMs =
            snapshot.currentStateTimestamp == -1 ? nil : snapshot.currentStateTimestamp
        for m in snapshot.members {
            let member = ClassicGroupMember(
                memberId: m.memberId, groupInstanceId: m.groupInstanceId, clientId: m.clientId,
                clientHost: m.clientHost,
                rebalanceTimeoutMs: m.rebalanceTimeout == -1
                    ? m.sessionTimeout : m.rebalanceTimeout,
                sessionTimeoutMs: m.sessionTimeout, protocolType: snapshot.protocolType,
                supportedProtocols: [
                    JoinGroupRequest.GroupProtocol(
                        name: snapshot.protocolName ?? "", metadata: m.subscription)
                ],
                assignment: m.assignment)
            members[m.memberId] = member
            if let instance = m.groupInstanceId { staticMembers[instance] = m.memberId }
        }
        if members.isEmpty {
            state = .empty
            leaderId = nil
        } else {
            state = .stable
            // A snapshot always names a member as leader; fall back to the smallest id if not.
            leaderId =
                snapshot.leader.flatMap { members[$0] == nil ? nil : $0 } ?? sortedMemberIds.first
        }
        previousState = state
        subscribedTopics = computeSubscribedTopics()
    }
}
