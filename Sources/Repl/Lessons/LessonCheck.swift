// Repl room: the typed predicates a lesson step is checked with. Each is evaluated against the
// real cluster (and the session's recent commands), never against printed text.

import Cluster

/// A check from a lesson file, parsed once when the lesson is loaded.
public enum LessonCheck: Sendable, Equatable, CustomStringConvertible {
    /// The learner ran a command starting with these words (successfully) during this step.
    case ran([String])
    /// A broker's state: `broker 2 is down` (stopped or killed), `is up`, `is killed`, ...
    case brokerState(NodeID, BrokerStateMatch)
    /// `all brokers are up`.
    case allBrokersUp

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
        }
    }

    /// The forms a check may take, shown when a lesson file has an unknown one.
    public static let vocabulary = [
        "ran <command words>", "broker <id> is up|down|running|stopped|killed", "all brokers are up",
    ]

    /// Parses one `check:` line; nil when it matches no known form.
    public static func parse(_ text: String) -> LessonCheck? {
        let words = text.split(separator: " ").map(String.init)
        guard let first = words.first else { return nil }
        switch first {
        case "ran" where words.count >= 2:
            return .ran(Array(words.dropFirst()))
        case "broker" where words.count == 4 && words[2] == "is":
            guard let id = Int32(words[1]), let match = BrokerStateMatch(rawValue: words[3]) else { return nil }
            return .brokerState(NodeID(id), match)
        case "all" where words == ["all", "brokers", "are", "up"]:
            return .allBrokersUp
        default:
            return nil
        }
    }
}

/// Everything a check may look at, gathered once per evaluation.
public struct CheckContext: Sendable {
    public var status: ClusterStatus
    public var recent: [ExecutedCommand]
}

extension LessonCheck {
    /// Whether the check holds, and if not, a sentence saying what is different.
    public func evaluate(_ context: CheckContext) -> (passed: Bool, detail: String) {
        switch self {
        case .ran(let words):
            let ran = context.recent.contains { $0.succeeded && $0.words.starts(with: words) }
            return (ran, ran ? "you ran \(words.joined(separator: " "))" : "run: \(words.joined(separator: " "))")
        case .brokerState(let id, let match):
            guard let broker = context.status.brokers.first(where: { $0.id == id }) else {
                return (false, "there is no broker \(id) in this cluster")
            }
            let ok = match.matches(broker.state)
            return (ok, "broker \(id) is \(broker.state)" + (ok ? "" : ", not \(match.rawValue)"))
        case .allBrokersUp:
            let down = context.status.brokers.filter { $0.state != .running }.map { "\($0.id)" }
            return (down.isEmpty, down.isEmpty ? "every broker is running" : "broker(s) \(down.joined(separator: ", ")) are down")
        }
    }
}
