// Repl room: cluster events as sentences, the one formatter behind `events`, the narration of
// `broker kill`/`start`/`stop` and lesson text. Pure: an event in, a line out.

import Cluster

enum EventRenderer {
    /// Whether an event is worth a line for the learner (routine progress is left out).
    static func isNotable(_ event: ClusterEvent) -> Bool {
        switch event.kind {
        case .raft(let r):
            switch r {
            case .highWatermarkAdvanced, .leaderUnknown, .followingLeader: return false
            default: return true
            }
        case .controller(.producerIdsAllocated): return false
        default: return true
        }
    }

    static func seconds(_ d: Duration) -> String {
        let ms = d.milliseconds
        return ms % 1000 == 0 ? "\(ms / 1000)s" : String(format2: Double(ms) / 1000) + "s"
    }

    static func nodes(_ ids: [NodeID]) -> String { "[" + ids.map(\.description).joined(separator: ",") + "]" }

    /// The sentence for one event.
    static func describe(_ event: ClusterEvent) -> String {
        let n = event.node
        switch event.kind {
        case .raft(let r):
            switch r {
            case .electionStarted(let epoch): return "node \(n) stands for election in quorum epoch \(epoch)"
            case .elected(let epoch, let votes):
                return "node \(n) won the election for quorum epoch \(epoch) (votes from \(votes.map(\.description).joined(separator: ", ")))"
            case .followingLeader(let leader, let epoch): return "node \(n) follows quorum leader \(leader) (epoch \(epoch))"
            case .leaderUnknown(let epoch): return "node \(n) knows no quorum leader in epoch \(epoch)"
            case .resigned(let epoch, let reason): return "node \(n) stopped leading quorum epoch \(epoch): \(reason)"
            case .truncated(let from, let to): return "node \(n) cut its metadata log from offset \(from) back to \(to) to match the leader"
            case .highWatermarkAdvanced(let to): return "node \(n) committed the metadata log up to offset \(to)"
            }
        case .controller(let c):
            return "controller \(n) " + describe(c)
        case .controllerActivated(let epoch): return "broker \(n) is now the active controller (quorum epoch \(epoch))"
        case .controllerDeactivated(let epoch): return "broker \(n) is no longer the active controller (quorum epoch \(epoch))"
        case .brokerRegistered(let epoch): return "broker \(n) registered with the controller (broker epoch \(epoch))"
        case .nodeStarted: return "broker \(n) started"
        case .nodeKilled: return "broker \(n) killed"
        case .nodeStopped: return "broker \(n) shutting down cleanly"
        case .metadataStorageFailed(let why): return "broker \(n) cannot write its metadata log (\(why)) and stops taking part"
        case .replication(.followerTruncated(let tp, let from, let to)):
            return "broker \(n) cut \(tp) from offset \(from) back to \(to): that tail was never committed and differs from the new leader's log"
        case .replication(.followerCaughtUp(let tp, let follower, let offset)):
            return "broker \(follower) caught up on \(tp) at offset \(offset): leader \(n) asks the controller to add it to the ISR"
        case .requestRefused(let trace, let peer):
            return "broker \(n) closed the connection of " + client(trace, peer) + ": " + refusal(trace)
        }
    }

    /// "client 'kafka-go' at 127.0.0.1:53121" (a request may carry no client id).
    static func client(_ trace: RequestTrace, _ peer: String) -> String {
        guard let id = trace.clientId, !id.isEmpty else { return "a client at \(peer)" }
        return "client '\(id)' at \(peer)"
    }

    /// Why a request was refused for its version, in Kafka's terms: Kafka 4 no longer serves
    /// the oldest versions (KIP-896) and closes the connection instead of answering.
    static func refusal(_ trace: RequestTrace) -> String {
        let api = trace.apiKey.name
        let sent = "it sent \(api) v\(trace.apiVersion)"
        guard let served = trace.versionsServed else { return sent }
        let range = "\(api) v\(served.lowerBound)–v\(served.upperBound)"
        if trace.apiVersion < served.lowerBound {
            return sent + ", and this broker serves \(range): Kafka 4 removed the oldest versions of many APIs "
                + "(KIP-896) and closes the connection instead of answering. Upgrade the client library."
        }
        return sent + ", newer than this broker serves (\(range)). Kafka closes the connection for a version it "
            + "does not serve; only ApiVersions is answered, so clients can ask first."
    }

    static func describe(_ c: ControllerEvent) -> String {
        switch c {
        case .brokerRegistered(let b, let epoch): return "registered broker \(b) (broker epoch \(epoch)); it stays fenced until it catches up"
        case .brokerRegistrationRefused(let b, let code):
            return code == .duplicateBrokerRegistration
                ? "refused broker \(b)'s registration for now (\(code.name)): its previous session has not expired yet"
                : "refused broker \(b)'s registration (\(code.name))"
        case .brokerFenced(let b, let reason):
            switch reason {
            case .sessionExpired(let age): return "fenced broker \(b) (no heartbeat for \(seconds(age)))"
            case .controlledShutdown: return "fenced broker \(b) (controlled shutdown)"
            case .requested: return "fenced broker \(b) (it asked to be fenced)"
            }
        case .brokerUnfenced(let b): return "unfenced broker \(b): it caught up with the metadata log"
        case .controlledShutdownStarted(let b): return "started the controlled shutdown of broker \(b)"
        case .partitionChanged(let topic, let partition, let leader, let isr, let leaderEpoch):
            let from = leader.from.map(\.description) ?? "none"
            let to = leader.to.map(\.description) ?? "none"
            var line = leader.from == leader.to ? "\(topic)-\(partition) leader stays \(to)" : "\(topic)-\(partition) leader \(from) → \(to)"
            if leader.to == nil && isr.to.count <= 1 {
                // The last ISR member stays in the ISR; out-of-sync replicas may not lead
                // (unclean.leader.election.enable=false), or none of them runs either.
                line += " (no other replica in the ISR)"
            }
            if isr.from != isr.to { line += ", ISR \(nodes(isr.from)) → \(nodes(isr.to))" } else { line += ", ISR \(nodes(isr.to))" }
            return line + ", leader epoch \(leaderEpoch)"
        case .leadersElected(let type, let trigger, let partitions):
            let names = partitions.map(\.description).joined(separator: ", ")
            switch trigger {
            case .requested: return "ran a \(type) leader election (ElectLeaders) for \(names)"
            case .leaderImbalanceCheck:
                return "ran the automatic \(type) leader election (auto.leader.rebalance.enable) for \(names): leadership goes back to the preferred replica"
            case .leaderlessPartitionCheck:
                return "ran an \(type) leader election for leaderless \(names) (unclean.leader.election.enable=true)"
            }
        case .uncleanLeaderElected(let topic, let partition, let leader, let formerIsr):
            return "elected broker \(leader) to lead \(topic)-\(partition) although it was not in the ISR \(nodes(formerIsr)) (unclean leader election): records only the ISR had are lost"
        case .topicCreated(let name, _, let partitions, let rf):
            return "created topic \(name) (\(partitions) partition(s), replication factor \(rf))"
        case .topicDeleted(let name, _): return "deleted topic \(name)"
        case .partitionsAdded(let topic, let from, let to): return "grew \(topic) from \(from) to \(to) partitions"
        case .topicConfigChanged(let topic, let name, let value):
            return value.map { "set \(name)=\($0) on \(topic)" } ?? "removed the \(name) override from \(topic)"
        case .producerIdsAllocated(let b, let range): return "gave broker \(b) producer ids \(range.lowerBound)…\(range.upperBound - 1)"
        }
    }

    /// "+1.52s controller 1 fenced broker 2 …", timed from `start` (wall-clock milliseconds).
    static func narrate(_ event: ClusterEvent, since start: Int64) -> String {
        let elapsed = max(0, event.wallClockMs - start)
        return "+" + String(format2: Double(elapsed) / 1000) + "s " + describe(event)
    }

    /// "12:04:05.123 controller 1 fenced broker 2 …", for `events`.
    static func timestamped(_ event: ClusterEvent) -> String {
        // Local time, as the consumers' lines under it and record timestamps are shown.
        LocalTime.timeOfDay(event.wallClockMs) + "  " + describe(event)
    }
}

extension String {
    /// Two decimals without Foundation's `String(format:)`.
    init(format2 value: Double) {
        let hundredths = Int((value * 100).rounded())
        let sign = hundredths < 0 ? "-" : ""
        let a = abs(hundredths)
        self = sign + "\(a / 100)." + (a % 100 < 10 ? "0" : "") + "\(a % 100)"
    }
}
