// Repl room: makes the live cluster match a lesson's declared starting state (the starting
// cluster with its brokers up, group members stopped, groups and topics absent or present), so
// a lesson started again or after another one begins from the same place.

import Cluster

/// Applies `LessonSetup` items through the same client API the commands use.
@MainActor
enum LessonSetupApplier {
    /// How long to wait for a crashed member's session to expire before deleting its group.
    static let groupEmptyWait: Duration = .seconds(12)

    static func apply(_ lesson: Lesson, session: Session) async {
        var done: [String] = []
        var failed: [String] = []
        let deletedTopics = lesson.setup.compactMap { item -> String? in
            switch item {
            case .topicAbsent(let t), .topicPresent(let t, _): return t
            default: return nil
            }
        }
        // Brokers first: deleting and creating topics needs them up. Members before groups and
        // topics: a running member would re-create a group's offsets or hold a topic.
        let order: [LessonSetup] = lesson.setup.filter { $0 == .allBrokersUp }
            + lesson.setup.filter { $0 == .noGroupMembers }
            + lesson.setup.filter { if case .groupAbsent = $0 { true } else { false } }
            + lesson.setup.filter { if case .topicAbsent = $0 { true } else if case .topicPresent = $0 { true } else { false } }
        for item in order {
            do throws(ReplError) {
                if let change = try await apply(item, session: session) { done.append(change) }
            } catch {
                if case .failed(let message) = error { failed.append(message) }
            }
        }
        // Fresh clients: the REPL's producer and admin forget the metadata of deleted topics.
        await session.clients.close()
        session.quietLogDeletions(of: deletedTopics)
        session.consumed = [:]
        if !done.isEmpty { session.out.line("Setup: " + done.joined(separator: "; ") + ".", .note) }
        for message in failed { session.out.line("note: setup could not do everything: \(message)", .note) }
    }

    /// Applies one item; returns what it changed, nil when the cluster already matched.
    private static func apply(_ item: LessonSetup, session: Session) async throws(ReplError) -> String? {
        switch item {
        case .allBrokersUp:
            // Lessons are written for the cluster the REPL started with: leave a scratch
            // cluster of another size (`cluster restart --brokers N`) first.
            var back: String? = nil
            if session.onScratchCluster {
                let plan = try RestartPlan(brokers: session.starting.brokerCount, starting: session.starting)
                let report = try await session.restartCluster(plan)
                back = "back on the \(report.plan.brokerCount)-broker cluster the REPL started with "
                    + "(the \(report.previousBrokerCount)-broker scratch cluster is deleted)"
            }
            // A cut link keeps a voter out of elections: the lesson starts from a whole cluster.
            let cuts = session.cluster.directory.cutLinks
            for link in cuts where link.count == 2 { try? await session.cluster.setLink(link[0], link[1], cut: false) }
            var started: [String] = []
            for broker in await session.cluster.status().brokers where broker.state != .running {
                if let t = try? await session.cluster.restart(broker.id) { started.append("\(t.id)") }
            }
            var changes: [String] = back.map { [$0] } ?? []
            if !cuts.isEmpty { changes.append("healed link " + cuts.map { $0.map(\.description).joined(separator: "–") }.joined(separator: ", ")) }
            if !started.isEmpty {
                changes.append("started broker \(started.joined(separator: ", "))")
                // A started broker serves once the controller has unfenced it, as in Kafka.
                guard await session.cluster.waitUntilReady(bound: await Narration.bound(session)) else {
                    throw .failed("broker \(started.joined(separator: ", ")) started but the controller has not unfenced every broker yet")
                }
            }
            return changes.isEmpty ? nil : changes.joined(separator: "; ")
        case .noGroupMembers:
            let count = session.groupMembers.members.count
            guard count > 0 else { return nil }
            await session.groupMembers.stopAll()
            return "stopped \(count) group member(s)"
        case .groupAbsent(let group):
            guard await session.cluster.group(group) != nil else { return nil }
            try await waitForEmptyGroup(group, session: session)
            do {
                try await deleteGroup(try await session.clients.kafkaClient(), group: group)
            } catch {
                throw describeClientError(error, doing: "Cannot delete group \(group)")
            }
            return "deleted group \(group)"
        case .topicAbsent(let topic):
            return try await deleteTopic(topic, session: session) ? "deleted topic \(topic)" : nil
        case .topicPresent(let topic, let partitions):
            let deleted = try await deleteTopic(topic, session: session)
            let admin = try await session.clients.admin()
            do {
                let results = try await admin.createTopics([NewTopic(name: topic, numPartitions: Int32(partitions), replicationFactor: 1, configs: [:])])
                if let r = results.first, !r.succeeded {
                    throw ReplError.failed("cannot create topic \(topic): \(r.errorCode.name)")
                }
            } catch {
                throw describeClientError(error, doing: "Cannot create topic \(topic)")
            }
            return (deleted ? "made topic \(topic) again, empty," : "created topic \(topic)") + " with \(partitions) partition(s)"
        }
    }

    /// Deletes `topic` if it exists and waits until the metadata no longer lists it.
    private static func deleteTopic(_ topic: String, session: Session) async throws(ReplError) -> Bool {
        guard session.cluster.image.topic(topic) != nil else { return false }
        let admin = try await session.clients.admin()
        do {
            let results = try await admin.deleteTopics([topic])
            if let r = results.first, !r.succeeded, r.errorCode != .unknownTopicOrPartition {
                throw ReplError.failed("cannot delete topic \(topic): \(r.errorCode.name)")
            }
        } catch {
            throw describeClientError(error, doing: "Cannot delete topic \(topic)")
        }
        let clock = ContinuousClock()
        let deadline = clock.now + .seconds(10)
        while session.cluster.image.topic(topic) != nil && clock.now < deadline {
            try? await Task.sleep(for: .milliseconds(50))
        }
        return true
    }

    /// A group can only be deleted once it has no members; a member that crashed stays until
    /// its session times out, so wait for that (bounded), saying why.
    private static func waitForEmptyGroup(_ group: String, session: Session) async throws(ReplError) {
        let clock = ContinuousClock()
        let deadline = clock.now + groupEmptyWait
        var said = false
        while let g = await session.cluster.group(group), !g.members.isEmpty {
            guard clock.now < deadline else {
                throw .failed("group \(group) still has \(g.members.count) member(s)")
            }
            if !said {
                session.out.line("Waiting for the crashed member(s) of group \(group) to expire (session.timeout.ms)…", .dim)
                said = true
            }
            do { try await Task.sleep(for: .milliseconds(200)) } catch { throw .failed("interrupted") }
        }
    }
}

/// FindCoordinator, then DeleteGroups: what kafka-consumer-groups.sh --delete does. A group
/// that is already gone is fine.
nonisolated func deleteGroup(_ client: KafkaClient, group: String) async throws {
    // A fresh client knows no brokers yet; the coordinator's id must map to an address.
    _ = try await client.refreshMetadata(topics: [])
    let (found, version) = try await client.sendToAny { _ in FindCoordinatorRequest(key: group, keyType: 0, coordinatorKeys: [group]) }
    let node = version >= 4 ? (found.coordinators.first?.nodeId ?? -1) : found.nodeId
    let code = version >= 4 ? (found.coordinators.first?.errorCode ?? .coordinatorNotAvailable) : found.errorCode
    guard code == .none, node >= 0 else { throw KafkaClientError.broker(code, context: "FindCoordinator", message: nil) }
    let (response, _) = try await client.send(to: node) { _ in DeleteGroupsRequest(groupsNames: [group]) }
    for result in response.results where result.errorCode != .none && result.errorCode != .groupIdNotFound {
        throw KafkaClientError.broker(result.errorCode, context: "DeleteGroups", message: nil)
    }
}
