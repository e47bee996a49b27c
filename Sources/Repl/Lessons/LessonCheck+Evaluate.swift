// Repl room: evaluating lesson checks against the live cluster and what the session saw
// during the current step. Each result carries a sentence saying what is (or is not) so.

import Cluster

/// What checks look at: the live cluster and what happened since the step was shown.
public struct CheckEnvironment: Sendable {
    public var cluster: EmbeddedCluster
    public var status: ClusterStatus
    /// Commands typed this step, oldest first.
    public var recent: [ExecutedCommand]
    /// The highest offset a `consume` returned this step, per partition.
    public var consumed: [TopicPartition: Int64]
    /// Every command's spec, to parse `ran` checks.
    public var specs: [CommandSpec]
    /// API names of the requests traced this step (`Produce`, `Fetch`...).
    public var traced: Set<String>
    /// Whether the step's question has been answered.
    public var answered: Bool
    /// Records a consume this step returned that an earlier consume this step returned too.
    public var rereadRecords = 0
    /// Cluster events since the current step began.
    public var eventsThisStep: [ClusterEvent] = []
}

/// A check's outcome and what the learner is told about it.
public struct CheckResult: Sendable, Equatable {
    public var passed: Bool
    public var detail: String
}

extension LessonCheck {
    /// Evaluates a step's checks in order. `ran` checks share a cursor: `then ran` must match
    /// a command after the one the previous `ran` check matched.
    public static func evaluate(_ checks: [LessonCheck], in env: CheckEnvironment) async -> [(LessonCheck, CheckResult)] {
        var results: [(LessonCheck, CheckResult)] = []
        var cursor = -1
        for check in checks {
            if case .ran(let words, let then) = check {
                let (result, matched) = ranResult(words, then: then, after: cursor, env: env)
                if let matched { cursor = matched }
                results.append((check, result))
            } else {
                results.append((check, await check.evaluate(env)))
            }
        }
        return results
    }

    private static func ranResult(_ words: [String], then: Bool, after cursor: Int, env: CheckEnvironment)
        -> (CheckResult, Int?)
    {
        let shown = words.map { $0 == "*" ? "…" : $0 }.joined(separator: " ")
        guard let pattern = CommandPattern.parse(words, specs: env.specs) else {
            return (CheckResult(passed: false, detail: "the lesson names no command '\(shown)'"), nil)
        }
        let start = then ? cursor + 1 : 0
        let found = env.recent.indices.first { $0 >= start && pattern.matches(env.recent[$0]) }
        if let found { return (CheckResult(passed: true, detail: "you ran \(env.recent[found].words.joined(separator: " "))"), found) }
        return (CheckResult(passed: false, detail: then ? "after that, run: \(shown)" : "run: \(shown)"), nil)
    }

    /// Whether the check holds now, and a sentence saying what is so.
    public func evaluate(_ env: CheckEnvironment) async -> CheckResult {
        let (passed, detail) = await outcome(env)
        return CheckResult(passed: passed, detail: detail)
    }

    private func outcome(_ env: CheckEnvironment) async -> (Bool, String) {
        switch self {
        case .ran(let words, _):
            let result = Self.ranResult(words, then: false, after: -1, env: env).0
            return (result.passed, result.detail)
        case .saw(let name):
            let seen = env.recent.contains { $0.errorNames.contains(name) }
            return (seen, seen ? "a command got \(name)" : "no command got \(name) yet")
        case .traced(let api):
            let seen = env.traced.contains(api)
            return (seen, seen ? "a \(api) request was traced" : "no \(api) request traced yet (is trace on?)")
        case .answered:
            return (env.answered, env.answered ? "you answered" : "answer first: answer <your prediction>")
        case .brokerState(let id, let match):
            guard let broker = env.status.brokers.first(where: { $0.id == id }) else {
                return (false, "there is no broker \(id) in this cluster")
            }
            let ok = match.matches(broker.state)
            return (ok, "broker \(id) is \(broker.state)" + (ok ? "" : ", not \(match.rawValue)"))
        case .allBrokersUp:
            let down = env.status.brokers.filter { $0.state != .running }.map { "\($0.id)" }
            return (down.isEmpty, down.isEmpty ? "every broker is running" : "broker(s) \(down.joined(separator: ", ")) are down")
        case .topicExists(let name, let partitions):
            guard let topic = env.cluster.image.topic(name) else { return (false, "there is no topic '\(name)' yet") }
            if let partitions, topic.partitions.count != partitions {
                return (false, "topic '\(name)' has \(topic.partitions.count) partitions, not \(partitions)")
            }
            return (true, "topic '\(name)' exists with \(topic.partitions.count) partition(s)")
        case .topicAbsent(let name):
            let exists = env.cluster.image.topic(name) != nil
            return (!exists, exists ? "topic '\(name)' still exists" : "there is no topic '\(name)'")
        case .keyInPartition(let key, let value, let tp):
            let records = await env.cluster.records(tp, from: 0, max: 10_000)
            let found = records.contains { r in
                r.key == Array(key.utf8) && (value.map { Array($0.utf8) == (r.value ?? []) } ?? true)
            }
            let what = "a record with key \(key)" + (value.map { " and value \($0)" } ?? "")
            return (found, found ? "\(tp) holds \(what)" : "no \(what) in \(tp) yet")
        case .keyedRecordWithHeader(let topic):
            for tp in Self.partitions(of: topic, env) {
                let records = await env.cluster.records(tp, from: 0, max: 10_000)
                if let r = records.first(where: { $0.key != nil && !$0.headers.isEmpty }) {
                    return (true, "\(tp) holds one at offset \(r.offset)")
                }
            }
            return (false, "no record in \(topic) has both a key and a header yet")
        case .keyValuesInOrder(let key, let topic, let values):
            return await Self.keyOrder(key: key, topic: topic, values: values, env)
        case .latestOffset(let tp, let c):
            guard let snap = await env.cluster.snapshot(tp) else { return (false, "\(tp) is not available (no such partition, or its leader is down)") }
            return (c.holds(snap.logEndOffset), "the latest offset of \(tp) is \(snap.logEndOffset)")
        case .topicRecords(let topic, let c):
            let partitions = Self.partitions(of: topic, env)
            guard !partitions.isEmpty else { return (false, "there is no topic '\(topic)'") }
            var total: Int64 = 0
            for tp in partitions {
                guard let snap = await env.cluster.snapshot(tp) else { return (false, "\(tp) is not available") }
                total += snap.logEndOffset - snap.logStartOffset
            }
            return (c.holds(total), "\(topic) holds \(total) record(s)")
        case .consumedUpTo(let tp, let n):
            let reached = env.consumed[tp] ?? -1
            return (reached >= n, reached < 0 ? "no record of \(tp) consumed yet" : "consumed \(tp) up to offset \(reached)")
        case .readAgain:
            let n = env.rereadRecords
            return (n > 0, n > 0 ? "a consume returned \(n) record(s) that an earlier consume this step had returned"
                                 : "no consume this step has returned a record an earlier one returned")
        case .consumedFrom(let topic):
            let read = env.consumed.keys.filter { $0.topic == topic }.sorted()
            return (!read.isEmpty, read.isEmpty ? "no record of \(topic) consumed yet" : "consumed records of \(read.map(\.description).joined(separator: ", "))")
        case .segments(let tp, let c):
            guard let snap = await env.cluster.snapshot(tp) else { return (false, "\(tp) is not available") }
            return (c.holds(Int64(snap.segments.count)), "\(tp) has \(snap.segments.count) segment(s)")
        case .logStartOffset(let tp, let c):
            guard let snap = await env.cluster.snapshot(tp) else { return (false, "\(tp) is not available") }
            return (c.holds(snap.logStartOffset), "the log start offset of \(tp) is \(snap.logStartOffset)")
        case .topicConfig(let topic, let key, let value):
            guard let t = env.cluster.image.topic(topic) else { return (false, "there is no topic '\(topic)'") }
            let effective = TopicConfigs.describe(t.configs).first { $0.name == key }?.value ?? "(unknown config)"
            return (effective == value, "\(key) of \(topic) is \(effective)")
        case .groupState(let id, let state):
            guard let g = await env.cluster.group(id) else { return (false, "there is no group '\(id)' yet") }
            return (g.state == state, "group \(id) is \(g.state)")
        case .groupMembers(let id, let n):
            guard let g = await env.cluster.group(id) else { return (false, "there is no group '\(id)' yet") }
            return (g.members.count == n && g.state == "Stable", "group \(id) has \(g.members.count) member(s) (\(g.state))")
        case .memberOwns(let name, let id, let n):
            guard let g = await env.cluster.group(id) else { return (false, "there is no group '\(id)' yet") }
            guard let m = g.members.first(where: { $0.clientId == name }) else { return (false, "\(name) is not a member of \(id) (yet)") }
            let ok = m.assignment.count == n && g.state == "Stable"
            return (ok, "\(name) owns \(m.assignment.count) partition(s) in generation \(g.generation) (\(g.state))")
        case .someMemberOwns(let id, let every, let n):
            guard let g = await env.cluster.group(id), !g.members.isEmpty else { return (false, "group \(id) has no members yet") }
            let counts = g.members.map(\.assignment.count)
            let ok = g.state == "Stable" && (every ? counts.allSatisfy { $0 == n } : counts.contains(n))
            return (ok, "the members of \(id) own \(counts.sorted().map(String.init).joined(separator: ", ")) partition(s) (\(g.state))")
        case .committed(let id, let tp, let c):
            guard let g = await env.cluster.group(id), let o = g.offsets.first(where: { $0.topicPartition == tp }) else {
                return (false, "group \(id) has no committed offset on \(tp) yet")
            }
            return (c.holds(o.committedOffset), "group \(id) committed \(o.committedOffset) on \(tp)")
        case .groupLag(let id, let c):
            guard let g = await env.cluster.group(id), !g.offsets.isEmpty else { return (false, "group \(id) has committed nothing yet") }
            let total = g.offsets.reduce(Int64(0)) { $0 + ($1.lag ?? 1) }
            return (c.holds(total), "group \(id) lags \(total) record(s) in total")
        case .brokerFenced(let id, let fenced):
            guard let broker = env.cluster.image.brokers[id] else { return (false, "broker \(id) is not registered with the controller") }
            return (broker.fenced == fenced, "broker \(id) is \(broker.fenced ? "fenced" : "unfenced")")
        case .partitionLeader(let tp, let leader):
            guard let p = env.cluster.image.partition(tp.topic, tp.partition) else { return (false, "there is no partition \(tp)") }
            let now = p.leader.map(\.description) ?? "none"
            return (p.leader == leader, "the leader of \(tp) is \(now)")
        case .partitionLeaderNot(let tp, let id):
            guard let p = env.cluster.image.partition(tp.topic, tp.partition) else { return (false, "there is no partition \(tp)") }
            let now = p.leader.map(\.description) ?? "none"
            return (p.leader != id, "the leader of \(tp) is \(now)")
        case .isrSize(let tp, let n):
            guard let p = env.cluster.image.partition(tp.topic, tp.partition) else { return (false, "there is no partition \(tp)") }
            let isr = "[\(p.isr.map(\.description).joined(separator: ","))]"
            return (p.isr.count == n, "the ISR of \(tp) is \(isr): \(p.isr.count) member(s)")
        case .replicasPerBroker(let topic, let n):
            let partitions = Self.partitions(of: topic, env)
            guard !partitions.isEmpty else { return (false, "there is no topic '\(topic)'") }
            var held: [NodeID: Int] = [:]
            for tp in partitions {
                for id in env.cluster.image.partition(tp.topic, tp.partition)?.replicas ?? [] { held[id, default: 0] += 1 }
            }
            let brokers = Set(env.status.brokers.map(\.id)).union(held.keys).sorted()
            let ok = brokers.allSatisfy { n.contains(held[$0, default: 0]) }
            let counts = brokers.map { "broker \($0): \(held[$0, default: 0])" }.joined(separator: ", ")
            return (ok, "replicas of \(topic) per broker: \(counts)")
        case .clusterBrokers(let n):
            let running = env.status.brokers.filter { $0.state == .running }.count
            return (env.status.brokers.count == n,
                    "the cluster has \(env.status.brokers.count) brokers (\(running) running)"
                        + (env.status.brokers.count == n ? "" : "; 'cluster restart --brokers \(n)' starts one of \(n)"))
        case .controllerChanged:
            let activated = env.eventsThisStep.compactMap { e -> NodeID? in
                if case .controllerActivated = e.kind { return e.node }
                return nil
            }
            return (!activated.isEmpty, activated.last.map { "broker \($0) became the active controller" } ?? "the active controller has not changed during this step")
        }
    }

    private static func partitions(of topic: String, _ env: CheckEnvironment) -> [TopicPartition] {
        guard let t = env.cluster.image.topic(topic) else { return [] }
        return (0..<Int32(t.partitions.count)).map { TopicPartition(topic, $0) }
    }

    /// Every record with `key` sits in one partition, and `values` appear among them in order.
    private static func keyOrder(key: String, topic: String, values: [String], _ env: CheckEnvironment) async -> (Bool, String) {
        var holders: [(TopicPartition, [String])] = []
        for tp in partitions(of: topic, env) {
            let found = await env.cluster.records(tp, from: 0, max: 10_000)
                .filter { $0.key == Array(key.utf8) }
                .map { String(decoding: $0.value ?? [], as: UTF8.self) }
            if !found.isEmpty { holders.append((tp, found)) }
        }
        guard let (tp, seen) = holders.first else { return (false, "no record with key \(key) in \(topic) yet") }
        if holders.count > 1 {
            return (false, "records with key \(key) are in \(holders.map(\.0.description).joined(separator: " and "))")
        }
        var wanted = values[...]
        for value in seen where value == wanted.first { wanted = wanted.dropFirst() }
        let shown = "\(tp) holds \(key): \(seen.joined(separator: ", "))"
        return (wanted.isEmpty, wanted.isEmpty ? shown : shown + "; still missing, in order: \(wanted.joined(separator: ", "))")
    }
}
