// Groups simulation: a deterministic world of one group coordinator and a handful of consumers
// on virtual time. Each step draws one action from a seeded generator: a consumer acts, time
// passes, a consumer crashes or restarts, the coordinator restarts (a new machine replaying
// the log), or an admin acts. Invariants are checked after every step.

import NIOCore

@testable import Cluster

struct GroupSimulation {
    static let partitions: [String: Int32] = ["orders": 6, "payments": 3]
    static let config = GroupConfig(
        initialRebalanceDelay: .milliseconds(300), minSessionTimeout: .milliseconds(6_000),
        maxSessionTimeout: .milliseconds(60_000), offsetsTopicNumPartitions: 5, groupMaxSize: 50,
        newMemberJoinTimeout: .milliseconds(20_000))
    static let rebalanceTimeoutMs: Int32 = 8_000
    static let simpleGroup = "simple"

    let seed: UInt64
    var rng: SplitMix64
    var coordinator: GroupCoordinator
    var restarts: UInt64 = 0
    var now = Instant.zero
    var clients: [GroupSimClient] = []
    var log: [GroupRecord] = []
    var correlation: Int32 = 0
    /// What clients were told is committed (the model the coordinator must match).
    var acknowledged: [OffsetCommitKey: Int64] = [:]
    var generations: [String: Int32] = [:]
    var trace: [String] = []
    var step = 0
    /// Commits awaiting their answer: what each would record, and whether it must be refused.
    var pendingCommits: [RequestID: (offsets: [OffsetCommitKey: Int64], mustFail: Bool)] = [:]
    /// Violations seen while delivering answers, thrown at the next check.
    var violations: [InvariantViolation] = []

    init(seed: UInt64, clients count: Int = 6) {
        self.seed = seed
        rng = SplitMix64(seed: seed)
        coordinator = GroupCoordinator(config: Self.config, seed: seed)
        for i in 0..<count {
            clients.append(
                GroupSimClient(index: i, groupId: i % 2 == 0 ? "alpha" : "beta", rng: &rng))
        }
        loadAll()
    }

    mutating func draw(_ n: UInt64) -> UInt64 { rng.next() % n }

    mutating func note(_ line: String) {
        trace.append("[\(step) t=\(now.nanoseconds / 1_000_000)ms] \(line)")
    }

    // MARK: - Running

    mutating func run(steps: Int) throws(InvariantViolation) {
        for _ in 0..<steps {
            step += 1
            try runOneStep()
            try checkInvariants()
        }
    }

    mutating func runOneStep() throws(InvariantViolation) {
        let roll = draw(100)
        switch roll {
        case 0..<55:
            let i = Int(draw(UInt64(clients.count)))
            try act(i)
        case 55..<80:
            advance(ms: Int64(draw(4_000)))
        case 80..<84:
            let i = Int(draw(UInt64(clients.count)))
            if clients[i].alive {
                clients[i].alive = false
                note("\(clients[i].clientId) crashes")
            }
        case 84..<90:
            let i = Int(draw(UInt64(clients.count)))
            if !clients[i].alive {
                clients[i].restartProcess()
                note("\(clients[i].clientId) restarts as a new process")
            }
        case 90..<92:
            // Half of these draws restart the coordinator: about one step in a hundred.
            if draw(2) == 0 { restartCoordinator() }
        case 92..<96:
            try simpleCommit()
        case 96..<98:
            deleteSimpleGroup()
        default:
            try staleCommitProbe()
        }
    }

    mutating func checkInvariants() throws(InvariantViolation) {
        if let first = violations.first { throw first }
        try GroupInvariants.stableGenerationOwnsEachPartitionOnce(
            coordinator, partitions: Self.partitions)
        try GroupInvariants.committedOffsetsNeverLost(coordinator, acknowledged: acknowledged)
        try GroupInvariants.leaderAndStaticMembersAreMembers(coordinator)
        try GroupInvariants.generationNeverMovesBackward(coordinator, seen: &generations)
        try noRequestParkedForever()
    }

    /// A parked request is answered within a few rebalance timeouts (or the new-member join
    /// timeout): none waits forever.
    func noRequestParkedForever() throws(InvariantViolation) {
        let bound =
            Int64(Self.rebalanceTimeoutMs) * 3 + Self.config.newMemberJoinTimeout.milliseconds
            + 4_000
        for c in clients {
            guard let request = c.inFlight, c.alive else { continue }
            let age = (now - request.sentAt).milliseconds
            if age > bound {
                throw InvariantViolation(
                    name: "noRequestParkedForever",
                    detail: "\(c.clientId)'s \(request.kind) waited \(age) ms")
            }
        }
    }

    // MARK: - World

    mutating func loadAll() {
        for p in 0..<Self.config.offsetsTopicNumPartitions {
            deliver(coordinator.load(offsetsPartition: p, records: log, now: now))
        }
    }

    mutating func advance(ms: Int64) {
        now = now + .milliseconds(ms)
        note("time +\(ms) ms")
        deliver(coordinator.tick(now: now))
    }

    /// The coordinator process dies and a new one loads every partition from the log; every
    /// connection drops.
    mutating func restartCoordinator() {
        restarts += 1
        note("coordinator restarts, replaying \(log.count) records")
        coordinator = GroupCoordinator(config: Self.config, seed: seed &+ restarts &* 7_919)
        generations = [:]
        for i in clients.indices { clients[i].connectionLost() }
        loadAll()
    }

    mutating func send(_ body: GroupRequest.Body, version: Int16, from client: Int?) -> RequestID {
        correlation += 1
        let connection = client.map { clients[$0].connection } ?? ConnectionID(999)
        let request = GroupRequest(
            correlationId: correlation, apiVersion: version,
            clientId: client.map { clients[$0].clientId } ?? "admin", clientHost: "/127.0.0.1",
            body: body)
        let id = RequestID(connection: connection, correlationId: correlation)
        if let client {
            clients[client].inFlight = (id, GroupResponse.apiKeyOf(body), now)
        }
        deliver(coordinator.step(request, from: connection, now: now))
        return id
    }

    /// Carries out effects as a broker would: records appended first, then answers delivered.
    mutating func deliver(_ effects: GroupEffects) {
        log += effects.records
        for event in effects.events { note(event.description) }
        for (id, response) in effects.responses {
            if case .offsetCommit(let answer) = response { settleCommit(id, answer) }
            guard let i = clients.firstIndex(where: { $0.inFlight?.id == id }) else { continue }
            clients[i].inFlight = nil
            guard clients[i].alive else { continue }
            receive(response, client: i)
        }
    }
}

extension GroupResponse {
    static func apiKeyOf(_ body: GroupRequest.Body) -> ApiKey {
        switch body {
        case .joinGroup: return .joinGroup
        case .syncGroup: return .syncGroup
        case .heartbeat: return .heartbeat
        case .leaveGroup: return .leaveGroup
        case .offsetCommit: return .offsetCommit
        case .offsetFetch: return .offsetFetch
        case .listGroups: return .listGroups
        case .describeGroups: return .describeGroups
        case .deleteGroups: return .deleteGroups
        case .offsetDelete: return .offsetDelete
        }
    }
}
