// Node tests: leader elections in a seeded 3-node cluster on the simulated network, disk and
// clock. Goal: after a killed broker restarts, the controller's automatic preferred-leader
// election gives it back the partitions it is the preferred replica of, within bounded virtual
// time and without losing an acknowledged record; and acknowledged records are lost by an
// unclean leader election, only when unclean.leader.election.enable=true.
// A failure prints its seed; `SWIFTKA_SEED=<n> swift test --filter LeaderElectionSimulationTests`
// runs that seed alone with its trace.

import Testing

@testable import Cluster

@Suite struct LeaderElectionSimulationTests {
    static var seeds: [UInt64] { seedSetting("SWIFTKA_SEED").map { [$0] } ?? Array(1...6) }

    static func report(_ error: any Error, _ name: String, seed: UInt64) -> String {
        "seed \(seed): \(name) broke \(error)\n"
            + "Replay: SWIFTKA_SEED=\(seed) swift test --filter LeaderElectionSimulationTests"
    }

    @Test(
        "a restarted broker gets its preferred leaderships back from the automatic election",
        arguments: seeds)
    func preferredLeadersReturn(seed: UInt64) async {
        let failure = await offCooperativePool { () -> String? in
            var run = LeaderElectionSimulationRun(seed: seed, topic: "e")
            do {
                try Self.preferredLeadersReturn(&run)
                return nil
            } catch {
                return Self.report(error, "preferredLeadersReturn", seed: seed)
            }
        }
        if let failure { Issue.record("\(failure)") }
    }

    static func preferredLeadersReturn(_ run: inout LeaderElectionSimulationRun)
        throws(InvariantViolation)
    {
        try run.createTopic(partitions: 3, configs: [:])
        let indexes: [Int32] = [0, 1, 2]
        let preferred = indexes.map { run.partition($0)?.preferredReplica }
        let victim = run.sim.ids[Int(run.sim.seed % 3)]
        guard preferred.contains(victim) else { throw run.violation("victimIsAPreferredReplica") }
        var acknowledged: [Int32: [Int64: String]] = [:]
        func produce(_ label: String, _ run: inout LeaderElectionSimulationRun) {
            for p in indexes {
                if let offset = run.produce("\(label)-\(p)", to: p) {
                    acknowledged[p, default: [:]][offset] = "\(label)-\(p)"
                }
            }
        }
        produce("before", &run)
        run.sim.kill(victim, .keepWrittenBytes)
        try run.waitFor("victimFencedAndLeadershipMoved") { r in
            r.isFenced(victim)
                && indexes.allSatisfy { r.partition($0)?.leader.map { $0 != victim } ?? false }
        }
        produce("while-down", &run)
        run.sim.start(victim)
        // Fenced 1.5 s after the kill, back within a few seconds, and the check runs 10 s after
        // leadership moved (again every 10 s until the victim is back in the ISR).
        try run.waitFor("preferredLeadersBack", within: .seconds(40)) { r in
            indexes.allSatisfy { r.partition($0)?.leader == preferred[Int($0)] }
        }
        let automatic = run.controllerEvents().contains {
            if case .leadersElected(.preferred, trigger: .leaderImbalanceCheck, let partitions) = $0
            {
                return partitions.contains { preferred[Int($0.partition)] == victim }
            }
            return false
        }
        guard automatic else { throw run.violation("movedByTheAutomaticElection") }
        guard acknowledged.values.map(\.count).reduce(0, +) >= 3 else {
            throw run.violation("producerWasAcknowledged")
        }
        for p in indexes {
            guard let leader = run.partition(p)?.leader else {
                throw run.violation("leaderAfterRebalance")
            }
            let values = run.values(p, on: leader)
            for (offset, value) in acknowledged[p] ?? [:] where values[offset] != value {
                throw run.violation("ackedRecordsSurviveFailover: \(value) at \(p)/\(offset)")
            }
        }
    }

    @Test(
        "acknowledged records are lost by an unclean election, and only when unclean.leader.election.enable=true",
        arguments: [false, true], seeds)
    func uncleanElectionLosesRecords(unclean: Bool, seed: UInt64) async {
        let failure = await offCooperativePool { () -> String? in
            // Six brokers, three of them KRaft voters, and the partition on the other three: its
            // replicas can all die while the quorum, and so the controller, lives on.
            var run = LeaderElectionSimulationRun(seed: seed, topic: "u", nodes: 6, voters: 3)
            do {
                try Self.uncleanElection(unclean: unclean, &run)
                return nil
            } catch {
                return Self.report(error, "uncleanElection(unclean: \(unclean))", seed: seed)
            }
        }
        if let failure { Issue.record("\(failure)") }
    }

    /// The ISR shrinks to the leader, which alone acknowledges the "lonely" records, then dies;
    /// the two other replicas come back first. Only an unclean election lets one of them lead,
    /// without those records; the old leader then cuts them from its log to follow it.
    static func uncleanElection(unclean: Bool, _ run: inout LeaderElectionSimulationRun)
        throws(InvariantViolation)
    {
        try run.createTopic(
            partitions: 1, configs: unclean ? ["unclean.leader.election.enable": "true"] : [:],
            replicas: [[4, 5, 6]])
        guard let first = run.partition(0), let oldLeader = first.leader else {
            throw run.violation("leaderAtStart")
        }
        let followers = first.replicas.filter { $0 != oldLeader }
        var before: [String] = []
        for i in 1...3 where run.produce("before-\(i)", to: 0) != nil {
            before.append("before-\(i)")
        }
        for follower in followers { run.sim.kill(follower, .keepWrittenBytes) }
        try run.waitFor("isrShrinksToTheLeader") { $0.partition(0)?.isr == [oldLeader] }
        var lonely: [String] = []
        for i in 1...3 where run.produce("lonely-\(i)", to: 0) != nil {
            lonely.append("lonely-\(i)")
        }
        guard !before.isEmpty, !lonely.isEmpty else {
            throw run.violation("producerWasAcknowledged")
        }
        run.sim.kill(oldLeader, .keepWrittenBytes)
        try run.waitFor("leaderless") { $0.isFenced(oldLeader) && $0.partition(0)?.leader == nil }
        for follower in followers { run.sim.start(follower) }
        try run.waitFor("followersUnfenced") { r in
            followers.allSatisfy { r.image?.brokers[$0]?.fenced == false }
        }
        if unclean {
            try run.waitFor("uncleanLeaderElected") { r in
                r.partition(0)?.leader.map { followers.contains($0) } ?? false
            }
        } else {
            // Past the unclean-election check: with unclean elections off, nobody may lead.
            run.sim.run(for: .seconds(15))
            guard run.partition(0)?.leader == nil, run.partition(0)?.isr == [oldLeader] else {
                throw run.violation("noUncleanElectionWhenDisabled")
            }
        }
        run.sim.start(oldLeader)
        try run.waitFor("replicasConverge", within: .seconds(60)) { $0.fullyInSync() }
        guard let leader = run.partition(0)?.leader else {
            throw run.violation("leaderAfterRestart")
        }
        let kept = run.values(0, on: leader)
        for id in first.replicas where run.values(0, on: id) != kept {
            throw run.violation("replicasConverge: \(id)")
        }
        let values = Set(kept.values)
        guard before.allSatisfy(values.contains) else {
            throw run.violation("recordsOnEveryReplicaSurvive")
        }
        let lost = lonely.filter { !values.contains($0) }
        let electedUncleanly = run.controllerEvents().contains {
            if case .uncleanLeaderElected = $0 { return true }
            return false
        }
        if unclean {
            // The new leader never had them; the old one cut them to follow it.
            guard lost == lonely, electedUncleanly else {
                throw run.violation("uncleanElectionLosesAckedRecords")
            }
        } else {
            guard lost.isEmpty, !electedUncleanly else {
                throw run.violation("ackedRecordsSurviveFailover")
            }
        }
    }
}
