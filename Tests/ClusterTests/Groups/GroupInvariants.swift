// Groups simulation: the properties checked after every step, each named for what it
// protects. They read the coordinator's state and the simulation's model of what clients were
// promised; they never change either.

import NIOCore

@testable import Cluster

struct InvariantViolation: Error, CustomStringConvertible {
    let name: String
    let detail: String
    var description: String { "\(name): \(detail)" }
}

enum GroupInvariants {
    /// In a Stable generation each partition of a subscribed topic is owned by exactly one
    /// member: none twice, none forgotten.
    static func stableGenerationOwnsEachPartitionOnce(
        _ coordinator: GroupCoordinator, partitions: [String: Int32]
    ) throws(InvariantViolation) {
        for (groupId, group) in coordinator.groups where group.state == .stable {
            var owners: [String: [String]] = [:]
            var subscribed: Set<String> = []
            for (memberId, member) in group.members {
                let metadata = member.metadata(group.protocolName)
                guard let topics = try? ConsumerProtocolSubscription.topics(in: metadata),
                    let assignment = try? ConsumerProtocolAssignment(decoding: member.assignment)
                else {
                    throw InvariantViolation(
                        name: "stableGenerationOwnsEachPartitionOnce",
                        detail: "\(groupId): unreadable member \(memberId)")
                }
                subscribed.formUnion(topics)
                for tp in assignment.assignedPartitions {
                    for p in tp.partitions {
                        owners["\(tp.topic)-\(p)", default: []].append(memberId)
                    }
                }
            }
            for topic in subscribed {
                for p in 0..<(partitions[topic] ?? 0) {
                    let key = "\(topic)-\(p)"
                    guard owners[key]?.count == 1 else {
                        throw InvariantViolation(
                            name: "stableGenerationOwnsEachPartitionOnce",
                            detail:
                                "\(groupId) generation \(group.generationId): \(key) owned by \(owners[key] ?? [])"
                        )
                    }
                }
            }
            if let doubled = owners.first(where: { $0.value.count > 1 }) {
                throw InvariantViolation(
                    name: "stableGenerationOwnsEachPartitionOnce",
                    detail: "\(groupId): \(doubled.key) owned by \(doubled.value)")
            }
        }
    }

    /// Every commit a client was told succeeded is still there, with its offset, and nothing
    /// else is (a refused commit left no trace).
    static func committedOffsetsNeverLost(
        _ coordinator: GroupCoordinator, acknowledged: [OffsetCommitKey: Int64]
    ) throws(InvariantViolation) {
        var held: [OffsetCommitKey: Int64] = [:]
        for (_, byKey) in coordinator.offsets {
            for (key, value) in byKey { held[key] = value.offset }
        }
        guard held == acknowledged else {
            let missing = acknowledged.filter { held[$0.key] != $0.value }.map {
                "\($0.key)=\($0.value)"
            }.sorted()
            let extra = held.filter { acknowledged[$0.key] != $0.value }.map {
                "\($0.key)=\($0.value)"
            }.sorted()
            throw InvariantViolation(
                name: "committedOffsetsNeverLost",
                detail: "acknowledged but not held \(missing); held but not acknowledged \(extra)")
        }
    }

    /// A group with members has one of them as leader; group.instance.id maps only to members.
    static func leaderAndStaticMembersAreMembers(
        _ coordinator: GroupCoordinator
    ) throws(InvariantViolation) {
        for (groupId, group) in coordinator.groups {
            if !group.members.isEmpty, group.leaderId.flatMap({ group.members[$0] }) == nil {
                throw InvariantViolation(
                    name: "leaderIsAMember", detail: "\(groupId): leader \(group.leaderId ?? "nil")"
                )
            }
            for (instance, memberId) in group.staticMembers
            where group.members[memberId]?.groupInstanceId != instance {
                throw InvariantViolation(
                    name: "staticMembersAreMembers",
                    detail: "\(groupId): \(instance) -> \(memberId)")
            }
            if group.state == .empty && !group.members.isEmpty {
                throw InvariantViolation(
                    name: "emptyMeansNoMembers", detail: "\(groupId) has \(group.members.count)")
            }
        }
    }

    /// Within one coordinator's life a group's generation only grows.
    static func generationNeverMovesBackward(
        _ coordinator: GroupCoordinator, seen: inout [String: Int32]
    ) throws(InvariantViolation) {
        for (groupId, group) in coordinator.groups {
            if let before = seen[groupId], group.generationId < before {
                throw InvariantViolation(
                    name: "generationNeverMovesBackward",
                    detail: "\(groupId): \(before) -> \(group.generationId)")
            }
            seen[groupId] = group.generationId
        }
        // A deleted group may come back from generation 0.
        seen = seen.filter { coordinator.groups[$0.key] != nil }
    }
}
