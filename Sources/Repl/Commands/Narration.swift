// Repl room: narrating what the cluster does after a learner's action, from the typed event
// stream, as it happens: "+1.52s controller 1 fenced broker 2 (no heartbeat for 1.5s)".

import Cluster

@MainActor
enum Narration {
    /// Prints each notable event after `mark` as it arrives, until `done` accepts one, Ctrl-C,
    /// or `bound` passes. Returns whether `done` was reached.
    static func follow(
        _ session: Session, mark: Int, start: Int64, bound: Duration, about subject: NodeID? = nil,
        until done: (ClusterEvent) -> Bool
    ) async -> Bool {
        await followCounting(session, mark: mark, start: start, bound: bound, about: subject, until: done).reached
    }

    /// `follow`, printing only the events from `printFrom` on (those before it were printed by
    /// an earlier follow over the same events), and saying how far it read. It reads through
    /// the end of the decision `done` accepted (the events its node recorded at the same
    /// instant, such as the partition moves of a fencing) and no further, so what came later
    /// is left to the next follow however fast it came.
    static func followCounting(
        _ session: Session, mark: Int, printFrom: Int = 0, start: Int64, bound: Duration, about subject: NodeID? = nil,
        until done: (ClusterEvent) -> Bool
    ) async -> (reached: Bool, read: Int) {
        let clock = ContinuousClock()
        let deadline = clock.now + bound
        var seen = mark
        var reached = false
        while !reached && clock.now < deadline && !Task.isCancelled {
            let fresh = session.cluster.events.since(seen)
            var read = fresh.count
            var decision: (node: NodeID, at: Instant)? = nil
            for (i, event) in fresh.enumerated() {
                if let decision, event.node != decision.node || event.at != decision.at {
                    read = i
                    break
                }
                if seen + i >= printFrom && EventRenderer.isNotable(event) && isRelevant(event, to: subject) {
                    session.out.line(EventRenderer.narrate(event, since: start))
                }
                if done(event) {
                    reached = true
                    decision = decision ?? (event.node, event.at)
                }
            }
            seen += read
            if !reached { try? await Task.sleep(for: .milliseconds(20)) }
        }
        return (reached, seen)
    }

    /// What a learner watching one broker needs: what happens to it, to partitions, and to
    /// the quorum; other brokers' routine (their own registrations) is left to `events`.
    static func isRelevant(_ event: ClusterEvent, to subject: NodeID?) -> Bool {
        // Leaders report catch-ups each on their own clock, racing the controller's ISR lines
        // that follow them; `events` lists them in order.
        if case .replication(.followerCaughtUp) = event.kind { return false }
        // A client refused for its version has nothing to do with a broker starting or stopping.
        if case .requestRefused = event.kind { return false }
        guard let subject else { return true }
        switch event.kind {
        case .controller(let c):
            switch c {
            case .brokerRegistered(let b, _), .brokerRegistrationRefused(let b, _), .brokerFenced(let b, _),
                .brokerUnfenced(let b), .controlledShutdownStarted(let b):
                return b == subject
            default:
                return true
            }
        case .brokerRegistered: return false  // the controller's line says it
        case .nodeStarted, .nodeKilled, .nodeStopped, .metadataStorageFailed: return event.node == subject
        default: return true
        }
    }

    /// How long a fencing or an election can take with the timeouts in use, plus slack.
    static func bound(_ session: Session) async -> Duration {
        let c = await session.cluster.settings
        return c.controller.brokerSessionTimeout + c.raft.fetchTimeout + c.raft.electionTimeout * 2 + .seconds(2)
    }

    static func isFencing(of id: NodeID, _ event: ClusterEvent) -> Bool {
        if case .controller(.brokerFenced(let b, _)) = event.kind { return b == id }
        return false
    }

    static func isUnfencing(of id: NodeID, _ event: ClusterEvent) -> Bool {
        if case .controller(.brokerUnfenced(let b)) = event.kind { return b == id }
        return false
    }

    /// Partitions that have broker `id` as a replica (with a leader to copy from) but not in
    /// their ISR.
    static func partitionsMissing(_ id: NodeID, from image: MetadataImage) -> [TopicPartition] {
        var out: [TopicPartition] = []
        for name in image.topicNames where !name.hasPrefix("__") {
            for p in image.topic(name)?.partitions ?? [] where p.replicas.contains(id) && !p.isr.contains(id) && p.leader != nil {
                out.append(TopicPartition(name, p.partition))
            }
        }
        return out
    }

    /// Why the quorum cannot decide right now, if a majority of voters is down.
    static func quorumProblem(_ session: Session) async -> String? {
        let status = await session.cluster.status()
        let voters = status.brokers.filter(\.isVoter)
        let up = voters.filter { $0.state == .running }.count
        let majority = voters.count / 2 + 1
        guard up < majority else { return nil }
        return "only \(up) of \(voters.count) KRaft voters run, and a quorum needs \(majority): no controller can be elected, so nothing in the metadata can change until a voter is started again"
    }
}
