// Benchmark scenario "kraft" (the KRaft issue): cluster start to the first elected controller
// and to ready (every broker unfenced: the REPL shows its prompt then); CreateTopics latency
// through the quorum; and the time from killing the active controller to a new one.

import Cluster
import Foundation

enum KRaftBench {
    static let startTargetMs = 500.0
    static let createP99TargetMs = 50.0
    /// (partitions, replication factor) of the topics created one at a time: the learner's
    /// usual topic, and the smallest one, to tell the quorum's share from the logs' set-up.
    static let createShapes: [(partitions: Int32, replicationFactor: Int16)] = [(1, 1), (3, 3)]

    static func run(_ options: Options) async throws {
        print(
            "\n== kraft: 3 nodes in combined mode (broker + controller), KRaft quorum of 3 voters")
        let (cluster, dir) = try await startRuns(options.repetitions)
        defer { removeScratch(dir) }
        try await createRun(cluster, count: options.topicCreations)
        try await controllerFailoverRuns(cluster, count: options.repetitions)
        await cluster.shutdown()
    }

    // MARK: - Start-up

    struct StartFigures {
        var elected: Double?
        var activated: Double?
        var unfenced: Double?
        var ready: Double
    }

    /// Starts `count` fresh clusters one after another; shuts down all but the last, which
    /// the other measurements use.
    static func startRuns(_ count: Int) async throws -> (EmbeddedCluster, String) {
        print("-- start: new data directory each run; from EmbeddedCluster(config:) to ...")
        var figures: [StartFigures] = []
        var last: (EmbeddedCluster, String)?
        for run in 1...count {
            let (cluster, dir, f) = try await startOnce()
            figures.append(f)
            print(
                "run \(run): "
                    + [
                        "first elected quorum leader " + format(f.elected),
                        "controller active " + format(f.activated),
                        "all 3 brokers unfenced " + format(f.unfenced),
                        "start() returned (ready; the REPL prompt follows) " + format(f.ready),
                    ].joined(separator: ", "))
            if run == count {
                last = (cluster, dir)
            } else {
                await cluster.shutdown()
                removeScratch(dir)
            }
        }
        let elected = median(figures.compactMap(\.elected))
        let ready = median(figures.map(\.ready))
        print(
            String(
                format: "median of %d: elected controller %.1f ms (target <= %.0f ms: ", count,
                elected, startTargetMs)
                + verdict(elected, atMost: startTargetMs)
                + String(format: "), ready %.1f ms", ready))
        guard let last else { throw BenchError.failed("no cluster started") }
        return last
    }

    static func startOnce() async throws -> (EmbeddedCluster, String, StartFigures) {
        let dir = makeScratchDirectory("kraft-start")
        let begin = clock.now
        let cluster = try EmbeddedCluster(
            config: EmbeddedClusterConfig(brokerCount: 3, dataDirectory: dir, host: "127.0.0.1"))
        let ids = cluster.nodeIDs
        // Subscribed here, before start(), so that no event can come before the subscription.
        let stream = cluster.events.subscribe()
        let collector = Task {
            await collectEvents(stream, within: .seconds(10)) { seen in
                seen.contains { $0.event.isControllerActivated }
                    && Set(seen.compactMap(\.event.unfencedBroker)).count == ids.count
            }
        }
        try await cluster.start()
        let ready = clock.now
        guard await cluster.waitUntilReady(bound: .seconds(10)) else {
            throw BenchError.notReady("the cluster did not get ready within 10 s")
        }
        let seen = await collector.value
        let unfenced = seen.filter { $0.event.unfencedBroker != nil }
        let figures = StartFigures(
            elected: first(seen) { $0.isElected }.map { millis($0.at - begin) },
            activated: first(seen) { $0.isControllerActivated }.map { millis($0.at - begin) },
            unfenced: Set(unfenced.compactMap(\.event.unfencedBroker)).count == ids.count
                ? unfenced.last.map { millis($0.at - begin) } : nil,
            ready: millis(ready - begin))
        return (cluster, dir, figures)
    }

    static func format(_ ms: Double?) -> String {
        ms.map { String(format: "%.1f ms", $0) } ?? "not seen"
    }

    // MARK: - CreateTopics through the quorum

    static func createRun(_ cluster: EmbeddedCluster, count: Int) async throws {
        let client = try KafkaClient(
            bootstrapServers: await cluster.status().brokers.map(\.address))
        let admin = Admin(client: client)
        let warmUp = NewTopic(name: "kraft-warm-up", numPartitions: 1, replicationFactor: 1)
        guard try await admin.createTopics([warmUp]).first?.succeeded == true else {
            throw BenchError.failed("the warm-up CreateTopics failed")
        }
        // The brokers' own view of each CreateTopics (received to answered), through the same
        // trace the REPL's `trace on` uses: what the client adds is the rest.
        let brokerSide = Samples()
        cluster.trace.set { event in
            if event.trace.apiKey == .createTopics { brokerSide.append(millis(event.latency)) }
        }
        defer { cluster.trace.set(nil) }
        for shape in createShapes {
            brokerSide.removeAll()
            var latencies: [Double] = []
            latencies.reserveCapacity(count)
            for i in 0..<count {
                let name = "kraft-\(shape.partitions)x\(shape.replicationFactor)-\(i)"
                let topic = NewTopic(
                    name: name, numPartitions: shape.partitions,
                    replicationFactor: shape.replicationFactor)
                let start = clock.now
                let results = try await admin.createTopics([topic])
                latencies.append(millis(clock.now - start))
                guard results.first?.succeeded == true else {
                    throw BenchError.failed("CreateTopics \(name) failed: \(results)")
                }
            }
            let p = Percentiles(latencies)
            print(
                String(
                    format:
                        "-- CreateTopics, %d one at a time through the Swift Admin client (%d partition(s), RF %d each, after one warm-up): p50 %.2f ms, p99 %.2f ms, max %.2f ms (p99 target <= %.0f ms: ",
                    count, shape.partitions, shape.replicationFactor, p.p50, p.p99, p.max,
                    createP99TargetMs)
                    + verdict(p.p99, atMost: createP99TargetMs) + ")")
            // Each creation adds partitions every later step carries along: show the trend.
            let tenth = max(1, count / 10)
            print(
                String(
                    format:
                        "   first %d: p50 %.2f ms; last %d: p50 %.2f ms (%d partitions in the cluster by then)",
                    tenth, Percentiles(Array(latencies.prefix(tenth))).p50, tenth,
                    Percentiles(Array(latencies.suffix(tenth))).p50,
                    cluster.image.topicNames.reduce(0) {
                        $0 + (cluster.image.topic($1)?.partitions.count ?? 0)
                    }))
            let b = Percentiles(brokerSide.all)
            print(
                String(
                    format:
                        "   of which in the broker that took the request (received to answered, %d traced): p50 %.2f ms, p99 %.2f ms",
                    b.count, b.p50, b.p99))
        }
        await client.close()
    }

    // MARK: - Controller failover

    static func controllerFailoverRuns(_ cluster: EmbeddedCluster, count: Int) async throws {
        let raft = cluster.config.raft
        let target = millis(raft.electionTimeout * 2)
        print(
            "-- controller failover: kill -9 semantics (as `broker kill`), then a restart before the next run"
        )
        print(
            "   in use: controller.quorum.election.timeout.ms=\(raft.electionTimeout.milliseconds), "
                + "controller.quorum.fetch.timeout.ms=\(raft.fetchTimeout.milliseconds) (how long followers wait on a silent leader), "
                + "controller.quorum.election.backoff.max.ms=\(raft.electionBackoffMax.milliseconds)"
        )
        var elected: [Double] = []
        for run in 1...count {
            guard let active = await cluster.status().controller else {
                throw BenchError.notReady("no active controller before run \(run)")
            }
            let stream = cluster.events.subscribe()
            let collector = Task {
                await collectEvents(stream, within: .seconds(15)) { seen in
                    seen.contains { $0.event.node != active && $0.event.isControllerActivated }
                }
            }
            let begin = clock.now
            _ = try await cluster.kill(active)
            let killed = clock.now
            let seen = await collector.value
            let newLeader = first(seen) { $0.node != active && $0.isElected }
            let activated = first(seen) { $0.node != active && $0.isControllerActivated }
            let elections = seen.filter {
                if case .raft(.electionStarted) = $0.event.kind {
                    return true
                } else {
                    return false
                }
            }
            if let newLeader { elected.append(millis(newLeader.at - begin)) }
            print(
                "run \(run): killed controller \(active) (kill() took \(format(millis(killed - begin)))); "
                    + "node \(newLeader.map { "\($0.event.node)" } ?? "?") elected after \(format(newLeader.map { millis($0.at - begin) })), "
                    + "controller active after \(format(activated.map { millis($0.at - begin) })); "
                    + "\(elections.count) election(s) started, first at \(format(elections.first.map { millis($0.at - begin) }))"
            )
            _ = try await cluster.restart(active)
            guard await cluster.waitUntilReady(bound: .seconds(30)) else {
                throw BenchError.notReady(
                    "the cluster did not get ready within 30 s after restarting \(active)")
            }
        }
        let m = median(elected)
        print(
            String(
                format:
                    "median of %d: new controller elected %.1f ms after the kill (target <= 2 x election timeout = %.0f ms: ",
                elected.count, m, target)
                + verdict(m, atMost: target) + ")")
    }
}
