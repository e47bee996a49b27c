// Benchmark support (not a test): what every scenario shares. Starting a throw-away cluster,
// percentiles, and timing cluster events as they arrive, each wait bounded.

import Cluster
import Foundation

let clock = ContinuousClock()

func seconds(_ d: Duration) -> Double { Double(d.nanosecondsClamped) / 1e9 }
func millis(_ d: Duration) -> Double { Double(d.nanosecondsClamped) / 1e6 }

/// p50, p99 and the largest of a set of samples in milliseconds (the p99 of Kafka's
/// `ProducerPerformance`: the sample at index count × 0.99 of the sorted set).
struct Percentiles {
    var count: Int
    var p50: Double
    var p99: Double
    var max: Double

    init(_ samples: [Double]) {
        let sorted = samples.sorted()
        count = sorted.count
        p50 = sorted.isEmpty ? .nan : sorted[sorted.count / 2]
        p99 = sorted.isEmpty ? .nan : sorted[min(sorted.count - 1, sorted.count * 99 / 100)]
        max = sorted.last ?? .nan
    }
}

/// Samples appended from any thread (a trace sink runs on the brokers' event loops).
///
/// `@unchecked Sendable`: `values` is only touched under `lock`.
final class Samples: @unchecked Sendable {
    private let lock = NSLock()
    private var values: [Double] = []

    func append(_ value: Double) { lock.withLock { values.append(value) } }
    func removeAll() { lock.withLock { values.removeAll() } }
    var all: [Double] { lock.withLock { values } }
}

/// The middle sample (the lower middle of an even count); NaN for none.
func median(_ samples: [Double]) -> Double {
    let sorted = samples.sorted()
    return sorted.isEmpty ? .nan : sorted[(sorted.count - 1) / 2]
}

/// "met" or "MISSED by 12%" beside a figure that should be at most `target`.
func verdict(_ value: Double, atMost target: Double) -> String {
    guard value.isFinite else { return "no figure" }
    return value <= target ? "met" : String(format: "MISSED by %.0f%%", (value / target - 1) * 100)
}

/// "met" or "MISSED by 12%" beside a figure that should be at least `target`.
func verdict(_ value: Double, atLeast target: Double) -> String {
    guard value.isFinite else { return "no figure" }
    return value >= target ? "met" : String(format: "MISSED by %.0f%%", (1 - value / target) * 100)
}

/// A fresh data directory under the temporary directory, removed by `removeScratch`.
func makeScratchDirectory(_ label: String) -> String {
    NSTemporaryDirectory() + "swiftka-bench-\(label)-\(UInt64.random(in: 0...UInt64.max))"
}

func removeScratch(_ path: String) {
    try? FileManager.default.removeItem(atPath: path)
}

/// A cluster event and when this process saw it (the events' own stamps are per node).
struct SeenEvent: Sendable {
    var at: ContinuousClock.Instant
    var event: ClusterEvent
}

/// Collects events from `stream` (subscribed before the action being timed) until `done`
/// holds for what was seen, or `bound` passes; returns what was seen either way.
///
/// The stream is finished afterwards (a cancelled AsyncStream ends), so subscribe once per
/// measurement.
func collectEvents(
    _ stream: AsyncStream<ClusterEvent>, within bound: Duration,
    until done: @escaping @Sendable ([SeenEvent]) -> Bool
) async -> [SeenEvent] {
    await withTaskGroup(of: [SeenEvent]?.self) { group in
        group.addTask {
            var seen: [SeenEvent] = []
            for await event in stream {
                seen.append(SeenEvent(at: clock.now, event: event))
                if done(seen) { break }
            }
            return seen
        }
        group.addTask {
            try? await Task.sleep(for: bound)
            return nil
        }
        var result: [SeenEvent] = []
        while let next = await group.next() {
            if let seen = next {
                result = seen
                group.cancelAll()
                break
            }
            // The bound passed: end the collector, which returns what it has.
            group.cancelAll()
        }
        return result
    }
}

/// The first event seen that `matches`, if any.
func first(_ seen: [SeenEvent], _ matches: (ClusterEvent) -> Bool) -> SeenEvent? {
    seen.first { matches($0.event) }
}

extension ClusterEvent {
    var isControllerActivated: Bool {
        if case .controllerActivated = kind { return true }
        return false
    }

    var isElected: Bool {
        if case .raft(.elected) = kind { return true }
        return false
    }

    /// The broker this event says the controller unfenced, if it says so.
    var unfencedBroker: NodeID? {
        if case .controller(.brokerUnfenced(let id)) = kind { return id }
        return nil
    }

    /// The broker this event says the controller fenced, if it says so.
    var fencedBroker: NodeID? {
        if case .controller(.brokerFenced(let id, _)) = kind { return id }
        return nil
    }

    /// Whether this event moved the leadership of `tp`.
    func movesLeader(of tp: TopicPartition) -> Bool {
        if case .controller(.partitionChanged(let topic, let partition, let leader, _, _)) = kind {
            return topic == tp.topic && partition == tp.partition && leader.from != leader.to
        }
        return false
    }
}

/// The ISR changes of `topic` the controller committed since `mark` (an `EventLog` bookmark),
/// as "p0 [1,2,3]->[1]": a shrink during a run means acks=all stopped waiting for someone.
func isrChanges(_ cluster: EmbeddedCluster, since mark: Int, topic: String) -> [String] {
    cluster.events.since(mark).compactMap { event -> String? in
        guard
            case .controller(.partitionChanged(let name, let partition, _, let isr, _)) = event.kind,
            name == topic, isr.from != isr.to
        else { return nil }
        func list(_ ids: [NodeID]) -> String {
            "[" + ids.map(\.description).joined(separator: ",") + "]"
        }
        return "p\(partition) \(list(isr.from))->\(list(isr.to))"
    }
}

/// A line to print after a run on an RF > 1 topic: its ISR changes, if any.
func isrNote(_ cluster: EmbeddedCluster, since mark: Int, topic: String) -> String? {
    let changes = isrChanges(cluster, since: mark, topic: topic)
    guard !changes.isEmpty else { return nil }
    return "   ISR changed during the run (figures include waiting for it): "
        + changes.joined(separator: ", ")
}

/// Starts a 3-broker cluster on loopback ephemeral ports in a fresh directory; returns it
/// once `start()` has (every broker registered and unfenced, or its bound passed).
func startCluster(label: String, brokers: Int = 3) async throws -> (EmbeddedCluster, String) {
    let dir = makeScratchDirectory(label)
    let cluster = try EmbeddedCluster(
        config: EmbeddedClusterConfig(brokerCount: brokers, dataDirectory: dir, host: "127.0.0.1"))
    try await cluster.start()
    guard await cluster.waitUntilReady(bound: .seconds(10)) else {
        throw BenchError.notReady("the cluster did not get ready within 10 s")
    }
    return (cluster, dir)
}

enum BenchError: Error, CustomStringConvertible {
    case notReady(String)
    case failed(String)

    var description: String {
        switch self {
        case .notReady(let why), .failed(let why): return why
        }
    }
}
