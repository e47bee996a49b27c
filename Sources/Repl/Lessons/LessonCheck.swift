// Repl room: the typed predicates a lesson step is checked with. Each is evaluated against the
// real cluster (its metadata image and partition logs) and the session's recent commands,
// never against printed text.

import Cluster

/// A check from a lesson file, parsed once when the lesson is loaded.
public enum LessonCheck: Sendable, Equatable, CustomStringConvertible {
    /// The learner ran a command starting with these words (successfully) during this step.
    case ran([String])
    /// A broker's state: `broker 2 is down` (stopped or killed), `is up`, `is killed`, ...
    case brokerState(NodeID, BrokerStateMatch)
    /// `all brokers are up`.
    case allBrokersUp
    /// `topic orders exists` or `topic orders exists with 3 partitions`.
    case topicExists(String, partitions: Int?)
    /// `topic orders does not exist`.
    case topicAbsent(String)
    /// `record with key order-42 is in orders-2`: the leader's log of that partition holds one.
    case keyInPartition(key: String, TopicPartition)
    /// `latest offset of orders-0 is at least 3` (the log end offset).
    case latestOffsetAtLeast(TopicPartition, Int64)
    /// `consumed orders-1 up to offset 4`: a consume in this session returned that offset or later.
    case consumedUpTo(TopicPartition, Int64)
    /// `partition clicks-0 has at least 3 segments` (on its leader).
    case segmentsAtLeast(TopicPartition, Int)
    /// `log start offset of clicks-0 is above 0`: retention or DeleteRecords moved it.
    case logStartOffsetAbove(TopicPartition, Int64)
    /// `config retention.ms of topic clicks is 30000` (the effective value).
    case topicConfig(topic: String, key: String, value: String)
    /// `group billing state is Stable`.
    case groupState(String, String)
    /// `group billing has 2 members`.
    case groupMembers(String, Int)
    /// `member alice of group billing owns 2 partitions` (member named by its client id).
    case memberOwns(member: String, group: String, Int)
    /// `committed offset of billing on payments-0 is at least 3`.
    case committedAtLeast(group: String, TopicPartition, Int64)
    /// `lag of group billing is 0`: every committed partition has caught up with the log end.
    case groupLagZero(String)
    /// `broker N is fenced|unfenced`, as the controller's committed metadata says.
    case brokerFenced(NodeID, Bool)
    /// `leader of T-P is none|N`.
    case partitionLeader(TopicPartition, NodeID?)
    /// `active controller changed since the step began`.
    case controllerChanged

    public enum BrokerStateMatch: String, Sendable, Equatable {
        case up, down, running, stopped, killed

        func matches(_ state: BrokerState) -> Bool {
            switch self {
            case .up, .running: return state == .running
            case .down: return state != .running
            case .stopped: return state == .stopped
            case .killed: return state == .killed
            }
        }
    }

    public var description: String {
        switch self {
        case .ran(let words): return "ran \(words.joined(separator: " "))"
        case .brokerState(let id, let match): return "broker \(id) is \(match.rawValue)"
        case .allBrokersUp: return "all brokers are up"
        case .topicExists(let t, nil): return "topic \(t) exists"
        case .topicExists(let t, let n?): return "topic \(t) exists with \(n) partitions"
        case .topicAbsent(let t): return "topic \(t) does not exist"
        case .keyInPartition(let k, let tp): return "record with key \(k) is in \(tp)"
        case .latestOffsetAtLeast(let tp, let n): return "latest offset of \(tp) is at least \(n)"
        case .consumedUpTo(let tp, let n): return "consumed \(tp) up to offset \(n)"
        case .segmentsAtLeast(let tp, let n): return "partition \(tp) has at least \(n) segments"
        case .logStartOffsetAbove(let tp, let n): return "log start offset of \(tp) is above \(n)"
        case .topicConfig(let t, let k, let v): return "config \(k) of topic \(t) is \(v)"
        case .groupState(let g, let s): return "group \(g) state is \(s)"
        case .groupMembers(let g, let n): return "group \(g) has \(n) members"
        case .memberOwns(let m, let g, let n): return "member \(m) of group \(g) owns \(n) partitions"
        case .committedAtLeast(let g, let tp, let n): return "committed offset of \(g) on \(tp) is at least \(n)"
        case .groupLagZero(let g): return "lag of group \(g) is 0"
        case .brokerFenced(let id, let fenced): return "broker \(id) is \(fenced ? "fenced" : "unfenced")"
        case .partitionLeader(let tp, let leader): return "leader of \(tp) is \(leader.map(\.description) ?? "none")"
        case .controllerChanged: return "active controller changed since the step began"
        }
    }

    /// The forms a check may take, shown when a lesson file has an unknown one.
    public static let vocabulary = [
        "ran <command words>", "broker <id> is up|down|running|stopped|killed", "all brokers are up",
        "topic <name> exists [with <n> partitions]", "topic <name> does not exist",
        "record with key <key> is in <topic>-<partition>", "latest offset of <topic>-<partition> is at least <n>",
        "consumed <topic>-<partition> up to offset <n>", "partition <topic>-<partition> has at least <n> segments",
        "log start offset of <topic>-<partition> is above <n>", "config <key> of topic <name> is <value>",
        "group <id> state is <State>", "group <id> has <n> members", "member <name> of group <id> owns <n> partitions",
        "committed offset of <group> on <topic>-<partition> is at least <n>", "lag of group <id> is 0",
        "broker <id> is fenced|unfenced", "leader of <topic>-<partition> is none|<id>",
        "active controller changed since the step began",
    ]

    /// Parses one `check:` line; nil when it matches no known form.
    public static func parse(_ text: String) -> LessonCheck? {
        let w = text.split(separator: " ").map(String.init)
        guard let first = w.first else { return nil }
        switch first {
        case "ran" where w.count >= 2:
            return .ran(Array(w.dropFirst()))
        case "broker" where w.count == 4 && w[2] == "is" && (w[3] == "fenced" || w[3] == "unfenced"):
            guard let id = Int32(w[1]) else { return nil }
            return .brokerFenced(NodeID(id), w[3] == "fenced")
        case "leader" where w.count == 5 && w[1] == "of" && w[3] == "is":
            guard let tp = topicPartition(w[2]) else { return nil }
            if w[4] == "none" { return .partitionLeader(tp, nil) }
            guard let id = Int32(w[4]) else { return nil }
            return .partitionLeader(tp, NodeID(id))
        case "active" where w == ["active", "controller", "changed", "since", "the", "step", "began"]:
            return .controllerChanged
        case "broker" where w.count == 4 && w[2] == "is":
            guard let id = Int32(w[1]), let match = BrokerStateMatch(rawValue: w[3]) else { return nil }
            return .brokerState(NodeID(id), match)
        case "all" where w == ["all", "brokers", "are", "up"]:
            return .allBrokersUp
        case "topic" where w.count == 3 && w[2] == "exists":
            return .topicExists(w[1], partitions: nil)
        case "topic" where w.count == 6 && w[2] == "exists" && w[3] == "with" && w[5] == "partitions":
            guard let n = Int(w[4]), n > 0 else { return nil }
            return .topicExists(w[1], partitions: n)
        case "topic" where w.count == 5 && Array(w[2...]) == ["does", "not", "exist"]:
            return .topicAbsent(w[1])
        case "record" where w.count == 7 && w[1] == "with" && w[2] == "key" && w[4] == "is" && w[5] == "in":
            guard let tp = topicPartition(w[6]) else { return nil }
            return .keyInPartition(key: w[3], tp)
        case "latest" where w.count == 8 && w[1] == "offset" && w[2] == "of" && w[4] == "is" && w[5] == "at" && w[6] == "least":
            guard let tp = topicPartition(w[3]), let n = Int64(w[7]) else { return nil }
            return .latestOffsetAtLeast(tp, n)
        case "consumed" where w.count == 6 && w[2] == "up" && w[3] == "to" && w[4] == "offset":
            guard let tp = topicPartition(w[1]), let n = Int64(w[5]) else { return nil }
            return .consumedUpTo(tp, n)
        case "partition" where w.count == 7 && w[2] == "has" && w[3] == "at" && w[4] == "least" && w[6] == "segments":
            guard let tp = topicPartition(w[1]), let n = Int(w[5]), n > 0 else { return nil }
            return .segmentsAtLeast(tp, n)
        case "log" where w.count == 8 && Array(w[1...3]) == ["start", "offset", "of"] && w[5] == "is" && w[6] == "above":
            guard let tp = topicPartition(w[4]), let n = Int64(w[7]) else { return nil }
            return .logStartOffsetAbove(tp, n)
        case "config" where w.count == 7 && w[2] == "of" && w[3] == "topic" && w[5] == "is":
            return .topicConfig(topic: w[4], key: w[1], value: w[6])
        case "group" where w.count == 5 && w[2] == "state" && w[3] == "is":
            return .groupState(w[1], w[4])
        case "group" where w.count == 5 && w[2] == "has" && w[4] == "members":
            guard let n = Int(w[3]), n >= 0 else { return nil }
            return .groupMembers(w[1], n)
        case "member" where w.count == 8 && w[2] == "of" && w[3] == "group" && w[5] == "owns" && w[7] == "partitions":
            guard let n = Int(w[6]), n >= 0 else { return nil }
            return .memberOwns(member: w[1], group: w[4], n)
        case "committed" where w.count == 10 && w[1] == "offset" && w[2] == "of" && w[4] == "on" && Array(w[6...8]) == ["is", "at", "least"]:
            guard let tp = topicPartition(w[5]), let n = Int64(w[9]) else { return nil }
            return .committedAtLeast(group: w[3], tp, n)
        case "lag" where w.count == 6 && w[1] == "of" && w[2] == "group" && w[4] == "is" && w[5] == "0":
            return .groupLagZero(w[3])
        default:
            return nil
        }
    }

    /// `orders-2` → (orders, 2): the partition is after the last '-', as in Kafka's directory names.
    static func topicPartition(_ text: String) -> TopicPartition? {
        guard let dash = text.lastIndex(of: "-"), let p = Int32(text[text.index(after: dash)...]), p >= 0 else { return nil }
        let topic = String(text[..<dash])
        return topic.isEmpty ? nil : TopicPartition(topic: topic, partition: p)
    }
}

/// What checks look at: the live cluster, recent commands and what consumes returned.
public struct CheckEnvironment: Sendable {
    public var cluster: EmbeddedCluster
    public var status: ClusterStatus
    public var recent: [ExecutedCommand]
    public var consumed: [TopicPartition: Int64]
    /// Cluster events since the current step began.
    public var eventsThisStep: [ClusterEvent] = []
}

extension LessonCheck {
    /// Whether the check holds, and if not, a sentence saying what is different.
    public func evaluate(_ env: CheckEnvironment) async -> (passed: Bool, detail: String) {
        switch self {
        case .ran(let words):
            let ran = env.recent.contains { $0.succeeded && $0.words.starts(with: words) }
            return (ran, ran ? "you ran \(words.joined(separator: " "))" : "run: \(words.joined(separator: " "))")
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
        case .keyInPartition(let key, let tp):
            let records = await env.cluster.records(tp, from: 0, max: 10_000)
            let found = records.contains { $0.key == Array(key.utf8) }
            return (found, found ? "\(tp) holds a record with key \(key)" : "no record with key \(key) in \(tp) yet")
        case .latestOffsetAtLeast(let tp, let n):
            guard let snap = await env.cluster.snapshot(tp) else { return (false, "\(tp) is not available (no such partition, or its leader is down)") }
            return (snap.logEndOffset >= n, "the latest offset of \(tp) is \(snap.logEndOffset)" + (snap.logEndOffset >= n ? "" : ", below \(n)"))
        case .consumedUpTo(let tp, let n):
            let reached = env.consumed[tp] ?? -1
            return (reached >= n, reached < 0 ? "no record of \(tp) consumed yet" : "consumed \(tp) up to offset \(reached)")
        case .segmentsAtLeast(let tp, let n):
            guard let snap = await env.cluster.snapshot(tp) else { return (false, "\(tp) is not available") }
            return (snap.segments.count >= n, "\(tp) has \(snap.segments.count) segment(s)")
        case .logStartOffsetAbove(let tp, let n):
            guard let snap = await env.cluster.snapshot(tp) else { return (false, "\(tp) is not available") }
            return (snap.logStartOffset > n, "the log start offset of \(tp) is \(snap.logStartOffset)")
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
        case .committedAtLeast(let id, let tp, let n):
            guard let g = await env.cluster.group(id), let c = g.offsets.first(where: { $0.topicPartition == tp }) else {
                return (false, "group \(id) has no committed offset on \(tp) yet")
            }
            return (c.committedOffset >= n, "group \(id) committed \(c.committedOffset) on \(tp)")
        case .groupLagZero(let id):
            guard let g = await env.cluster.group(id), !g.offsets.isEmpty else { return (false, "group \(id) has committed nothing yet") }
            let total = g.offsets.reduce(Int64(0)) { $0 + ($1.lag ?? 1) }
            return (total == 0, "group \(id) lags \(total) record(s) in total")
        case .brokerFenced(let id, let fenced):
            guard let broker = env.cluster.image.brokers[id] else { return (false, "broker \(id) is not registered with the controller") }
            return (broker.fenced == fenced, "broker \(id) is \(broker.fenced ? "fenced" : "unfenced")")
        case .partitionLeader(let tp, let leader):
            guard let p = env.cluster.image.partition(tp.topic, tp.partition) else { return (false, "there is no partition \(tp)") }
            let now = p.leader.map(\.description) ?? "none"
            return (p.leader == leader, "the leader of \(tp) is \(now)")
        case .controllerChanged:
            let activated = env.eventsThisStep.compactMap { e -> NodeID? in
                if case .controllerActivated = e.kind { return e.node }
                return nil
            }
            return (!activated.isEmpty, activated.last.map { "broker \($0) became the active controller" } ?? "the active controller has not changed during this step")
        }
    }
}
