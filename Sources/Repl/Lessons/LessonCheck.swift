// Repl room: the typed predicates a lesson step is checked with. Each is evaluated against the
// real cluster (its metadata image and partition logs) and what the session saw this step
// (the commands as parsed, the requests traced, the records consumed), never printed text.

import Cluster

/// A number compared with a bound: `is 3`, `is at least 3`, `is at most 3`, `is above 0`.
public enum Comparison: Sendable, Equatable, CustomStringConvertible {
    case equal(Int64), atLeast(Int64), atMost(Int64), above(Int64)

    public func holds(_ value: Int64) -> Bool {
        switch self {
        case .equal(let n): return value == n
        case .atLeast(let n): return value >= n
        case .atMost(let n): return value <= n
        case .above(let n): return value > n
        }
    }

    /// The words after `is`: `3`, `at least 3`, `at most 3`, `above 0`.
    public var phrase: String {
        switch self {
        case .equal(let n): return "\(n)"
        case .atLeast(let n): return "at least \(n)"
        case .atMost(let n): return "at most \(n)"
        case .above(let n): return "above \(n)"
        }
    }

    public var description: String { "is " + phrase }

    static func parse<C: Collection<String>>(_ words: C) -> Comparison? {
        let w = Array(words)
        switch w.count {
        case 1: return Int64(w[0]).map(Comparison.equal)
        case 2 where w[0] == "above": return Int64(w[1]).map(Comparison.above)
        case 3 where w[0] == "at" && w[1] == "least": return Int64(w[2]).map(Comparison.atLeast)
        case 3 where w[0] == "at" && w[1] == "most": return Int64(w[2]).map(Comparison.atMost)
        default: return nil
        }
    }
}

/// A check from a lesson file, parsed once when the lesson is loaded.
public enum LessonCheck: Sendable, Equatable, CustomStringConvertible {
    /// The learner ran this command (successfully) during this step, matched on the parsed
    /// command: any flag order, `--flag=value`, `*` for any value. With `then`, it must come
    /// after the command the previous `ran` check matched (to look at something after doing it).
    case ran([String], then: Bool)
    /// A command this step failed with this Kafka error (`saw OFFSET_OUT_OF_RANGE`).
    case saw(String)
    /// `traced a Produce request`: with `trace on`, a broker answered that API this step.
    case traced(String)
    /// `answered the question`: the step's question got an answer (right or wrong).
    case answered
    /// A broker's state: `broker 2 is down` (stopped or killed), `is up`, `is killed`, ...
    case brokerState(NodeID, BrokerStateMatch)
    /// `all brokers are up`.
    case allBrokersUp
    /// `topic orders exists` or `topic orders exists with 3 partitions`.
    case topicExists(String, partitions: Int?)
    /// `topic orders does not exist`.
    case topicAbsent(String)
    /// `record with key order-42 is in orders-2`, optionally `… and value paid …`: the
    /// leader's log of that partition holds one.
    case keyInPartition(key: String, value: String?, TopicPartition)
    /// `record with a key and a header is in notification` (any partition).
    case keyedRecordWithHeader(topic: String)
    /// `records with key order-1 in orders are created,paid in order`: all in one partition,
    /// in that order.
    case keyValuesInOrder(key: String, topic: String, values: [String])
    /// `latest offset of orders-0 is at least 3` (the log end offset).
    case latestOffset(TopicPartition, Comparison)
    /// `topic payments holds at least 10000 records` (log end − log start, summed).
    case topicRecords(String, Comparison)
    /// `consumed orders-1 up to offset 4`: a consume this step returned that offset or later.
    case consumedUpTo(TopicPartition, Int64)
    /// `consumed records of orders`: a consume this step returned records of that topic.
    case consumedFrom(String)
    /// `read a record again`: a consume this step returned a record that an earlier consume
    /// this step had returned too (at-least-once delivery after a missed commit).
    case readAgain
    /// `partition clicks-0 has at least 3 segments` (on its leader).
    case segments(TopicPartition, Comparison)
    /// `log start offset of clicks-0 is above 0`: retention or DeleteRecords moved it.
    case logStartOffset(TopicPartition, Comparison)
    /// `config retention.ms of topic clicks is 30000` (the effective value).
    case topicConfig(topic: String, key: String, value: String)
    /// `group billing state is Stable`.
    case groupState(String, String)
    /// `group billing has 2 members` (and is Stable).
    case groupMembers(String, Int)
    /// `member alice of group billing owns 2 partitions` (member named by its client id).
    case memberOwns(member: String, group: String, Int)
    /// `a member of group billing owns 0 partitions` / `every member of group billing owns 1 partitions`.
    case someMemberOwns(group: String, every: Bool, Int)
    /// `committed offset of billing on payments-0 is at least 3`.
    case committed(group: String, TopicPartition, Comparison)
    /// `lag of group billing is 0`: summed over the partitions the group committed.
    case groupLag(String, Comparison)
    /// `broker N is fenced|unfenced`, as the controller's committed metadata says.
    case brokerFenced(NodeID, Bool)
    /// `leader of T-P is none|N`.
    case partitionLeader(TopicPartition, NodeID?)
    /// `leader of T-P is not N`: some other broker leads it, or none does.
    case partitionLeaderNot(TopicPartition, NodeID)
    /// `ISR of T-P has K members`, as the controller's committed metadata says.
    case isrSize(TopicPartition, Int)
    /// `every broker holds K replicas of T`: each broker of the cluster is in the replica
    /// list of exactly K partitions of the topic. `… holds between A and B replicas …`: of A
    /// to B, for a placement that is not even (10 partitions of RF 3 on 6 brokers).
    case replicasPerBroker(topic: String, ClosedRange<Int>)
    /// `cluster has 6 brokers`: the cluster the session runs now has that many (running or
    /// not), as after `cluster restart --brokers 6`.
    case clusterBrokers(Int)
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
        case .ran(let words, let then): return (then ? "then ran " : "ran ") + words.joined(separator: " ")
        case .saw(let name): return "saw \(name)"
        case .traced(let api): return "traced a \(api) request"
        case .answered: return "answered the question"
        case .brokerState(let id, let match): return "broker \(id) is \(match.rawValue)"
        case .allBrokersUp: return "all brokers are up"
        case .topicExists(let t, nil): return "topic \(t) exists"
        case .topicExists(let t, let n?): return "topic \(t) exists with \(n) partitions"
        case .topicAbsent(let t): return "topic \(t) does not exist"
        case .keyInPartition(let k, nil, let tp): return "record with key \(k) is in \(tp)"
        case .keyInPartition(let k, let v?, let tp): return "record with key \(k) and value \(v) is in \(tp)"
        case .keyedRecordWithHeader(let t): return "record with a key and a header is in \(t)"
        case .keyValuesInOrder(let k, let t, let v): return "records with key \(k) in \(t) are \(v.joined(separator: ",")) in order"
        case .latestOffset(let tp, let c): return "latest offset of \(tp) \(c)"
        case .topicRecords(let t, let c): return "topic \(t) holds \(c.phrase) records"
        case .consumedUpTo(let tp, let n): return "consumed \(tp) up to offset \(n)"
        case .consumedFrom(let t): return "consumed records of \(t)"
        case .readAgain: return "read a record again"
        case .segments(let tp, let c): return "partition \(tp) has \(c.phrase) segments"
        case .logStartOffset(let tp, let c): return "log start offset of \(tp) \(c)"
        case .topicConfig(let t, let k, let v): return "config \(k) of topic \(t) is \(v)"
        case .groupState(let g, let s): return "group \(g) state is \(s)"
        case .groupMembers(let g, let n): return "group \(g) has \(n) members"
        case .memberOwns(let m, let g, let n): return "member \(m) of group \(g) owns \(n) partitions"
        case .someMemberOwns(let g, let every, let n): return "\(every ? "every" : "a") member of group \(g) owns \(n) partitions"
        case .committed(let g, let tp, let c): return "committed offset of \(g) on \(tp) \(c)"
        case .groupLag(let g, let c): return "lag of group \(g) \(c)"
        case .brokerFenced(let id, let fenced): return "broker \(id) is \(fenced ? "fenced" : "unfenced")"
        case .partitionLeader(let tp, let leader): return "leader of \(tp) is \(leader.map(\.description) ?? "none")"
        case .partitionLeaderNot(let tp, let id): return "leader of \(tp) is not \(id)"
        case .isrSize(let tp, let n): return "ISR of \(tp) has \(n) members"
        case .replicasPerBroker(let t, let n) where n.count == 1: return "every broker holds \(n.lowerBound) replicas of \(t)"
        case .replicasPerBroker(let t, let n): return "every broker holds between \(n.lowerBound) and \(n.upperBound) replicas of \(t)"
        case .clusterBrokers(let n): return "cluster has \(n) brokers"
        case .controllerChanged: return "active controller changed since the step began"
        }
    }

    /// Whether only something typed can satisfy the check (so `lesson wait` cannot).
    public var needsTyping: Bool {
        switch self {
        case .ran, .saw, .traced, .answered, .consumedUpTo, .consumedFrom, .readAgain: return true
        default: return false
        }
    }

    /// The forms a check may take, shown when a lesson file has an unknown one. `<cmp>` is
    /// `N`, `at least N`, `at most N` or `above N`.
    public static let vocabulary = [
        "[then] ran <command words, * for any value>", "saw <KAFKA_ERROR>", "traced a <Api> request",
        "answered the question", "broker <id> is up|down|running|stopped|killed", "all brokers are up",
        "topic <name> exists [with <n> partitions]", "topic <name> does not exist",
        "record with key <key> [and value <value>] is in <topic>-<partition>",
        "record with a key and a header is in <topic>", "records with key <key> in <topic> are <v1,v2,...> in order",
        "latest offset of <topic>-<partition> is <cmp>", "topic <name> holds <cmp> records",
        "consumed <topic>-<partition> up to offset <n>", "consumed records of <topic>", "read a record again",
        "partition <topic>-<partition> has <cmp> segments",
        "log start offset of <topic>-<partition> is <cmp>", "config <key> of topic <name> is <value>",
        "group <id> state is <State>", "group <id> has <n> members", "member <name> of group <id> owns <n> partitions",
        "a|every member of group <id> owns <n> partitions",
        "committed offset of <group> on <topic>-<partition> is <cmp>", "lag of group <id> is <cmp>",
        "broker <id> is fenced|unfenced", "leader of <topic>-<partition> is none|<id>",
        "leader of <topic>-<partition> is not <id>", "ISR of <topic>-<partition> has <n> members",
        "every broker holds <n> replicas of <topic>", "every broker holds between <n> and <m> replicas of <topic>",
        "cluster has <n> brokers",
        "active controller changed since the step began",
    ]

    /// Parses one `check:` line; nil when it matches no known form.
    public static func parse(_ text: String) -> LessonCheck? {
        let w = text.split(separator: " ").map(String.init)
        guard let first = w.first else { return nil }
        switch first {
        case "ran" where w.count >= 2:
            return .ran(Array(w.dropFirst()), then: false)
        case "then" where w.count >= 3 && w[1] == "ran":
            return .ran(Array(w.dropFirst(2)), then: true)
        case "saw" where w.count == 2:
            return .saw(w[1])
        case "traced" where w.count == 4 && w[1] == "a" && w[3] == "request":
            return .traced(w[2])
        case "answered" where w == ["answered", "the", "question"]:
            return .answered
        case "read" where w == ["read", "a", "record", "again"]:
            return .readAgain
        case "broker" where w.count == 4 && w[2] == "is" && (w[3] == "fenced" || w[3] == "unfenced"):
            guard let id = Int32(w[1]) else { return nil }
            return .brokerFenced(NodeID(id), w[3] == "fenced")
        case "leader" where w.count == 5 && w[1] == "of" && w[3] == "is":
            guard let tp = topicPartition(w[2]) else { return nil }
            if w[4] == "none" { return .partitionLeader(tp, nil) }
            guard let id = Int32(w[4]) else { return nil }
            return .partitionLeader(tp, NodeID(id))
        case "leader" where w.count == 6 && w[1] == "of" && w[3] == "is" && w[4] == "not":
            guard let tp = topicPartition(w[2]), let id = Int32(w[5]) else { return nil }
            return .partitionLeaderNot(tp, NodeID(id))
        case "ISR" where w.count == 6 && w[1] == "of" && w[3] == "has" && w[5] == "members":
            guard let tp = topicPartition(w[2]), let n = Int(w[4]), n >= 0 else { return nil }
            return .isrSize(tp, n)
        case "every" where w.count == 7 && Array(w[1...2]) == ["broker", "holds"] && w[4] == "replicas" && w[5] == "of":
            guard let n = Int(w[3]), n >= 0 else { return nil }
            return .replicasPerBroker(topic: w[6], n...n)
        case "every" where w.count == 10 && Array(w[1...3]) == ["broker", "holds", "between"] && w[5] == "and"
            && w[7] == "replicas" && w[8] == "of":
            guard let low = Int(w[4]), let high = Int(w[6]), low >= 0, low <= high else { return nil }
            return .replicasPerBroker(topic: w[9], low...high)
        case "cluster" where w.count == 4 && w[1] == "has" && w[3] == "brokers":
            guard let n = Int(w[2]), n > 0 else { return nil }
            return .clusterBrokers(n)
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
        case "topic" where w.count >= 5 && w[2] == "holds" && w.last == "records":
            return Comparison.parse(w[3..<(w.count - 1)]).map { .topicRecords(w[1], $0) }
        case "record" where w.count == 7 && w[1] == "with" && w[2] == "key" && w[4] == "is" && w[5] == "in":
            guard let tp = topicPartition(w[6]) else { return nil }
            return .keyInPartition(key: w[3], value: nil, tp)
        case "record" where w.count == 10 && w[1] == "with" && w[2] == "key" && w[4] == "and" && w[5] == "value"
            && w[7] == "is" && w[8] == "in":
            guard let tp = topicPartition(w[9]) else { return nil }
            return .keyInPartition(key: w[3], value: w[6], tp)
        case "record" where Array(w.dropLast()) == ["record", "with", "a", "key", "and", "a", "header", "is", "in"]:
            return .keyedRecordWithHeader(topic: w[9])
        case "records" where w.count == 10 && w[1] == "with" && w[2] == "key" && w[4] == "in" && w[6] == "are"
            && w[8] == "in" && w[9] == "order":
            let values = w[7].split(separator: ",").map(String.init)
            return values.isEmpty ? nil : .keyValuesInOrder(key: w[3], topic: w[5], values: values)
        case "latest" where w.count >= 6 && w[1] == "offset" && w[2] == "of" && w[4] == "is":
            guard let tp = topicPartition(w[3]), let c = Comparison.parse(w[5...]) else { return nil }
            return .latestOffset(tp, c)
        case "consumed" where w.count == 4 && w[1] == "records" && w[2] == "of":
            return .consumedFrom(w[3])
        case "consumed" where w.count == 6 && w[2] == "up" && w[3] == "to" && w[4] == "offset":
            guard let tp = topicPartition(w[1]), let n = Int64(w[5]) else { return nil }
            return .consumedUpTo(tp, n)
        case "partition" where w.count >= 5 && w[2] == "has" && w.last == "segments":
            guard let tp = topicPartition(w[1]), let c = Comparison.parse(w[3..<(w.count - 1)]) else { return nil }
            return .segments(tp, c)
        case "log" where w.count >= 7 && Array(w[1...3]) == ["start", "offset", "of"] && w[5] == "is":
            guard let tp = topicPartition(w[4]), let c = Comparison.parse(w[6...]) else { return nil }
            return .logStartOffset(tp, c)
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
        case "a", "every":
            guard w.count == 8, Array(w[1...3]) == ["member", "of", "group"], w[5] == "owns", w[7] == "partitions",
                  let n = Int(w[6]), n >= 0 else { return nil }
            return .someMemberOwns(group: w[4], every: first == "every", n)
        case "committed" where w.count >= 8 && w[1] == "offset" && w[2] == "of" && w[4] == "on" && w[6] == "is":
            guard let tp = topicPartition(w[5]), let c = Comparison.parse(w[7...]) else { return nil }
            return .committed(group: w[3], tp, c)
        case "lag" where w.count >= 6 && w[1] == "of" && w[2] == "group" && w[4] == "is":
            return Comparison.parse(w[5...]).map { .groupLag(w[3], $0) }
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
