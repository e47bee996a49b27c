// Groups simulation: what consumers and admins do, and how consumers react to answers, as
// Kafka's ConsumerCoordinator would: rejoin on REBALANCE_IN_PROGRESS, reset on
// UNKNOWN_MEMBER_ID, stop when fenced, run the assignor when elected leader.

import NIOCore

@testable import Cluster

extension GroupSimulation {
    static let retriable: Set<ErrorCode> = [
        .rebalanceInProgress, .illegalGeneration, .notCoordinator, .coordinatorLoadInProgress,
        .coordinatorNotAvailable, .groupMaxSizeReached,
    ]

    mutating func act(_ i: Int) throws(InvariantViolation) {
        let c = clients[i]
        guard c.alive, c.inFlight == nil else { return }
        if c.outside {
            if draw(4) == 0 {
                clients[i].outside = false
                clients[i].needsRejoin = true
            }
            return
        }
        if c.needsRejoin { return sendJoin(i) }
        if let joined = c.joined { return sendSync(i, joined) }
        guard c.stable else { return }
        switch draw(20) {
        case 0..<13: sendHeartbeat(i)
        case 13..<18: sendCommit(i)
        case 18: sendLeave(i)
        default: sendJoin(i)  // a metadata refresh: rejoin with what it has
        }
    }

    var usesStaticMembership: (GroupSimClient) -> String? {
        { $0.joinVersion >= 5 ? $0.instanceId : nil }
    }

    mutating func sendJoin(_ i: Int) {
        let c = clients[i]
        let owned = Assignors.consumerAssignment(c.assigned).assignedPartitions
        let metadata = ConsumerProtocolSubscription(
            topics: c.topics, ownedPartitions: owned, generationId: c.generation
        ).encoded()
        note("\(c.clientId) JoinGroup v\(c.joinVersion) as '\(c.memberId)'")
        _ = send(
            .joinGroup(
                JoinGroupRequest(
                    groupId: c.groupId, sessionTimeoutMs: c.sessionMs,
                    rebalanceTimeoutMs: Self.rebalanceTimeoutMs,
                    memberId: c.memberId, groupInstanceId: usesStaticMembership(c),
                    protocolType: "consumer",
                    protocols: c.protocols.map { .init(name: $0, metadata: metadata) })),
            version: c.joinVersion, from: i)
    }

    mutating func sendSync(_ i: Int, _ joined: JoinGroupResponse) {
        let c = clients[i]
        var assignments: [SyncGroupRequest.Assignment] = []
        if joined.leader == c.memberId && !joined.skipAssignment {
            let strategy = Assignors.Strategy(rawValue: joined.protocolName ?? "") ?? .range
            do {
                assignments = try Assignors.syncAssignments(
                    strategy, members: joined.members, partitionsPerTopic: Self.partitions)
            } catch {
                violations.append(
                    InvariantViolation(name: "memberMetadataReadable", detail: "\(error)"))
            }
        }
        let version: Int16 = c.joinVersion >= 5 ? 5 : 2
        note(
            "\(c.clientId) SyncGroup generation \(c.generation)\(assignments.isEmpty ? "" : " with \(assignments.count) assignments")"
        )
        _ = send(
            .syncGroup(
                SyncGroupRequest(
                    groupId: c.groupId, generationId: c.generation, memberId: c.memberId,
                    groupInstanceId: version >= 3 ? usesStaticMembership(c) : nil,
                    protocolType: version >= 5 ? joined.protocolType : nil,
                    protocolName: version >= 5 ? joined.protocolName : nil, assignments: assignments
                )),
            version: version, from: i)
    }

    mutating func sendHeartbeat(_ i: Int) {
        let c = clients[i]
        _ = send(
            .heartbeat(
                HeartbeatRequest(
                    groupId: c.groupId, generationId: c.generation, memberId: c.memberId,
                    groupInstanceId: usesStaticMembership(c))),
            version: 4, from: i)
    }

    mutating func sendLeave(_ i: Int) {
        let c = clients[i]
        note("\(c.clientId) leaves")
        let version: Int16 = c.joinVersion >= 5 ? 5 : 1
        _ = send(
            .leaveGroup(
                LeaveGroupRequest(
                    groupId: c.groupId,
                    members: [
                        .init(
                            memberId: c.memberId,
                            groupInstanceId: version >= 3 ? usesStaticMembership(c) : nil)
                    ])),
            version: version, from: i)
        clients[i].inFlight = nil
        clients[i].mustRejoin(resetMemberId: true)
        clients[i].outside = true
    }

    /// Commits offsets for some of the client's partitions, after letting due timers fire so
    /// the check below reads the generation the commit will meet.
    mutating func sendCommit(_ i: Int, generation: Int32? = nil) {
        deliver(coordinator.tick(now: now))
        let c = clients[i]
        guard c.alive, c.inFlight == nil else { return }
        let generation = generation ?? c.generation
        let group = coordinator.groups[c.groupId]
        let mustFail =
            group == nil || group?.generationId != generation || group?.members[c.memberId] == nil
        var offsets: [OffsetCommitKey: Int64] = [:]
        var topics: [OffsetCommitRequest.Topic] = []
        for tp in c.assigned.isEmpty ? [Assignors.TopicPartition("orders", 0)] : c.assigned
        where draw(2) == 0 || topics.isEmpty {
            clients[i].nextOffset += 1
            let offset = clients[i].nextOffset
            offsets[OffsetCommitKey(group: c.groupId, topic: tp.topic, partition: tp.partition)] =
                offset
            let p = OffsetCommitRequest.Partition(
                partitionIndex: tp.partition, committedOffset: offset)
            if let t = topics.firstIndex(where: { $0.name == tp.topic }) {
                topics[t].partitions.append(p)
            } else {
                topics.append(.init(name: tp.topic, partitions: [p]))
            }
        }
        note(
            "\(c.clientId) commits \(offsets.count) offsets in generation \(generation)\(mustFail ? " (stale)" : "")"
        )
        let request = OffsetCommitRequest(
            groupId: c.groupId, generationIdOrMemberEpoch: generation, memberId: c.memberId,
            groupInstanceId: usesStaticMembership(c), topics: topics)
        let id = RequestID(connection: c.connection, correlationId: correlation + 1)
        pendingCommits[id] = (offsets, mustFail)
        _ = send(.offsetCommit(request), version: draw(2) == 0 ? 8 : 9, from: i)
    }

    /// A commit answer: what it accepted becomes acknowledged, and a stale one accepted
    /// anything, that is a violation.
    mutating func settleCommit(_ id: RequestID, _ answer: OffsetCommitResponse) {
        guard let pending = pendingCommits.removeValue(forKey: id) else { return }
        for topic in answer.topics {
            for p in topic.partitions where p.errorCode == .none {
                let key = OffsetCommitKey(
                    group: groupOf(id), topic: topic.name, partition: p.partitionIndex)
                if pending.mustFail {
                    violations.append(
                        InvariantViolation(
                            name: "staleGenerationCommitRefused",
                            detail: "\(key) accepted from a stale generation"))
                }
                if let offset = pending.offsets[key] { acknowledged[key] = offset }
            }
        }
    }

    func groupOf(_ id: RequestID) -> String {
        clients.first { $0.connection == id.connection }?.groupId ?? Self.simpleGroup
    }

    /// A consumer of an old generation commits: always refused.
    mutating func staleCommitProbe() throws(InvariantViolation) {
        let candidates = clients.indices.filter {
            clients[$0].alive && clients[$0].inFlight == nil && clients[$0].generation > 0
        }
        guard !candidates.isEmpty else { return }
        let i = candidates[Int(draw(UInt64(candidates.count)))]
        sendCommit(i, generation: clients[i].generation - 1)
    }

    /// An admin tool commits for a group that never joins (generation -1, no member id).
    mutating func simpleCommit() throws(InvariantViolation) {
        let id = RequestID(connection: ConnectionID(999), correlationId: correlation + 1)
        let partition = Int32(draw(3))
        let offset = Int64(step)
        let key = OffsetCommitKey(group: Self.simpleGroup, topic: "orders", partition: partition)
        pendingCommits[id] = ([key: offset], false)
        note("admin commits \(key)=\(offset)")
        _ = send(
            .offsetCommit(
                OffsetCommitRequest(
                    groupId: Self.simpleGroup,
                    topics: [
                        .init(
                            name: "orders",
                            partitions: [.init(partitionIndex: partition, committedOffset: offset)])
                    ])),
            version: 8, from: nil)
    }

    /// An admin deletes the simple group; on success its offsets are gone for good.
    mutating func deleteSimpleGroup() {
        note("admin deletes group \(Self.simpleGroup)")
        let before = log.count
        _ = send(
            .deleteGroups(DeleteGroupsRequest(groupsNames: [Self.simpleGroup])), version: 2,
            from: nil)
        if coordinator.groups[Self.simpleGroup] == nil && log.count > before {
            acknowledged = acknowledged.filter { $0.key.group != Self.simpleGroup }
        }
    }

    // MARK: - Answers

    mutating func receive(_ response: GroupResponse, client i: Int) {
        switch response {
        case .joinGroup(let r): receiveJoin(r, i)
        case .syncGroup(let r) where r.errorCode == .inconsistentGroupProtocol:
            // After a coordinator failover generation numbers repeat (the new coordinator
            // resumes from the last stored generation), so a SyncGroup prepared before the
            // failover can name a generation that now has another protocol. Kafka answers the
            // same; the consumer starts over.
            clients[i].mustRejoin()
        case .syncGroup(let r):
            react(to: r.errorCode, i, "SyncGroup") { sim in sim.settleSync(r, i) }
        case .heartbeat(let r): react(to: r.errorCode, i, "Heartbeat") { _ in }
        case .offsetCommit(let r):
            if let error = r.topics.first?.partitions.first?.errorCode, error != .none {
                react(to: error, i, "OffsetCommit") { _ in }
            }
        default: break
        }
    }

    mutating func receiveJoin(_ r: JoinGroupResponse, _ i: Int) {
        note(
            "\(clients[i].clientId) JoinGroup answer \(r.errorCode) generation \(r.generationId) member \(r.memberId)"
        )
        switch r.errorCode {
        case .none:
            clients[i].memberId = r.memberId
            clients[i].generation = r.generationId
            clients[i].joined = r
            clients[i].needsRejoin = false
            clients[i].stable = false
        case .memberIdRequired:
            clients[i].memberId = r.memberId
            clients[i].needsRejoin = true
        default:
            react(to: r.errorCode, i, "JoinGroup") { _ in }
        }
    }

    mutating func settleSync(_ r: SyncGroupResponse, _ i: Int) {
        guard let assignment = try? ConsumerProtocolAssignment(decoding: r.assignment) else {
            violations.append(
                InvariantViolation(
                    name: "assignmentReadable",
                    detail: "\(clients[i].clientId) got unreadable bytes"))
            return
        }
        clients[i].joined = nil
        clients[i].stable = true
        clients[i].assigned = assignment.assignedPartitions.flatMap { tp in
            tp.partitions.map { .init(tp.topic, $0) }
        }
    }

    /// The consumer's reaction to an error code, as Kafka's ConsumerCoordinator reacts.
    mutating func react(
        to error: ErrorCode, _ i: Int, _ api: String, onSuccess: (inout GroupSimulation) -> Void
    ) {
        switch error {
        case .none:
            onSuccess(&self)
        case .unknownMemberId:
            clients[i].mustRejoin(resetMemberId: true)
        case .fencedInstanceId:
            note("\(clients[i].clientId) is fenced and stops")
            clients[i].alive = false
        case _ where Self.retriable.contains(error):
            clients[i].mustRejoin()
        default:
            violations.append(
                InvariantViolation(
                    name: "onlyExpectedErrors", detail: "\(clients[i].clientId) \(api): \(error)"))
        }
    }
}
