// Benchmark scenario "produce": produce records/s and MB/s (acks=all), consume records/s, and
// acks=all one-at-a-time latency p50/p99, on 3 partitions of a 3-broker cluster. RF 1 and RF 3
// run on the same cluster and are printed with their ratio (--replication-factor R: R only).

import Cluster
import Foundation

enum ProduceBench {
    /// Targets from the "Replication and failover" issue.
    static let throughputRatioTarget = 0.7
    static let latencyP99TargetMs = 2.0

    struct Figures {
        var recordsPerSecond: [Double] = []
        var latency: Percentiles?
        /// An ISR shrank during a run: acks=all stopped waiting for every replica, so the
        /// figures are not RF 3's.
        var isrChanged = false
    }

    static func run(_ options: Options) async throws {
        // --bootstrap: a cluster in another process (e.g. `serve`), reached only by the
        // protocol, so the Swift client can be set against another client on the same brokers.
        var cluster: EmbeddedCluster?
        var dir: String?
        let bootstrap: [String]
        if let external = options.bootstrap {
            bootstrap = external
        } else {
            let (started, scratch) = try await startCluster(label: "produce")
            cluster = started
            dir = scratch
            bootstrap = await started.status().brokers.map(\.address)
        }
        defer { if let dir { removeScratch(dir) } }
        let factors: [Int16] = options.replicationFactor.map { [$0] } ?? [1, 3]
        print(
            "\n== produce: \(options.bootstrap == nil ? "3 brokers" : "the cluster") on \(bootstrap.joined(separator: ",")), 3 partitions per topic, RF \(factors.map(String.init).joined(separator: " and "))"
        )
        let client = try KafkaClient(bootstrapServers: bootstrap)
        let admin = Admin(client: client)
        var figures: [Int16: Figures] = [:]
        for rf in factors {
            print("-- RF \(rf)\(rf > 1 ? " (acks=all waits for every follower in the ISR)" : "")")
            var f = Figures()
            for (index, run) in options.runs.enumerated() {
                let topic = "bench-rf\(rf)-\(index)"
                try await create(cluster, admin, topic, replicationFactor: rf)
                let mark = cluster?.events.mark ?? 0
                f.recordsPerSecond.append(
                    try await produceRun(
                        client: client, topic: topic, count: run.count, size: run.size))
                if let cluster, let note = isrNote(cluster, since: mark, topic: topic) {
                    print(note)
                    f.isrChanged = true
                }
                try await consumeRun(client: client, topic: topic, count: run.count, size: run.size)
            }
            let (latency, isrChanged) = try await latencyRun(
                cluster: cluster, client: client, admin: admin, samples: options.latencySamples,
                replicationFactor: rf)
            f.latency = latency
            f.isrChanged = f.isrChanged || isrChanged
            figures[rf] = f
        }
        if let one = figures[1], let three = figures[3] { compare(one, three, runs: options.runs) }
        await client.close()
        await cluster?.shutdown()
    }

    static func compare(_ one: Figures, _ three: Figures, runs: [(count: Int, size: Int)]) {
        print("-- RF 3 against RF 1 (same cluster, acks=all)")
        if three.isrChanged {
            print(
                "   not a valid comparison: an RF 3 ISR shrank during the runs (see above), so acks=all did not wait for every replica"
            )
        }
        for (index, run) in runs.enumerated()
        where index < one.recordsPerSecond.count && index < three.recordsPerSecond.count {
            let ratio = three.recordsPerSecond[index] / one.recordsPerSecond[index]
            print(
                String(
                    format:
                        "throughput %d x %d B: RF 1 %.0f records/s, RF 3 %.0f records/s, ratio %.2f (target >= %.1f: ",
                    run.count, run.size, one.recordsPerSecond[index], three.recordsPerSecond[index],
                    ratio,
                    throughputRatioTarget) + verdict(ratio, atLeast: throughputRatioTarget) + ")")
        }
        if let a = one.latency, let b = three.latency {
            print(
                String(
                    format:
                        "latency one at a time: RF 1 p50 %.3f ms p99 %.3f ms; RF 3 p50 %.3f ms p99 %.3f ms (RF 3 p99 target <= %.0f ms unloaded: ",
                    a.p50, a.p99, b.p50, b.p99, latencyP99TargetMs)
                    + verdict(b.p99, atMost: latencyP99TargetMs) + ")")
        }
    }

    /// Creates a 3-partition topic and waits (bounded) until every replica is in its ISR, so
    /// that no run starts while followers are still being set up.
    static func create(
        _ cluster: EmbeddedCluster?, _ admin: Admin, _ topic: String, replicationFactor: Int16
    ) async throws {
        let results = try await admin.createTopics([
            NewTopic(name: topic, numPartitions: 3, replicationFactor: replicationFactor)
        ])
        guard let result = results.first, result.succeeded else {
            throw BenchError.failed("creating \(topic) failed: \(results)")
        }
        let deadline = clock.now + .seconds(10)
        while clock.now < deadline {
            if try await isrFull(cluster, admin, topic, replicationFactor: replicationFactor) {
                return
            }
            try await Task.sleep(for: .milliseconds(5))
        }
        throw BenchError.notReady("the ISR of \(topic) did not fill within 10 s")
    }

    /// Whether every partition's ISR holds all its replicas: read from the cluster's image,
    /// or, for a cluster elsewhere, from Metadata.
    static func isrFull(
        _ cluster: EmbeddedCluster?, _ admin: Admin, _ topic: String, replicationFactor: Int16
    ) async throws -> Bool {
        if let cluster {
            let image = cluster.image
            return (0..<3).allSatisfy {
                image.partition(topic, Int32($0))?.isr.count == Int(replicationFactor)
            }
        }
        guard let description = try await admin.describeTopics([topic]).first else { return false }
        return description.partitions.count == 3
            && description.partitions.allSatisfy { $0.isr.count == Int(replicationFactor) }
    }

    static func produceRun(client: KafkaClient, topic: String, count: Int, size: Int) async throws
        -> Double
    {
        var config = ProducerConfig()
        config.acks = -1
        config.linger = .milliseconds(5)
        config.batchSize = 256 * 1024
        let producer = try Producer(client: client, config: config)
        let value = [UInt8](repeating: 0x61, count: size)
        let start = clock.now
        var done = 0
        while done < count {
            var pending: [PendingRecord] = []
            pending.reserveCapacity(50_000)
            for _ in done..<min(count, done + 50_000) {
                pending.append(try await producer.enqueue(topic: topic, value: value))
            }
            for p in pending { _ = try await p.metadata() }
            done += pending.count
        }
        let t = seconds(clock.now - start)
        print(
            String(
                format:
                    "produce %d x %d B: %.2f s, %.0f records/s, %.1f MB/s (acks=all, batch.size=256 KiB, linger.ms=5)",
                count, size, t, Double(count) / t, Double(count * size) / t / 1e6))
        await producer.close()
        return Double(count) / t
    }

    static func consumeRun(client: KafkaClient, topic: String, count: Int, size: Int) async throws {
        var config = ConsumerConfig()
        config.maxPollRecords = 100_000
        config.autoOffsetReset = .earliest
        let consumer = Consumer(client: client, config: config)
        let tps = (0..<3).map { TopicPartition(topic, Int32($0)) }
        await consumer.assign(tps)
        for tp in tps { try await consumer.seek(tp, to: .earliest) }
        let start = clock.now
        var got = 0
        while got < count {
            got += try await consumer.poll(timeout: .seconds(5), maxRecords: 100_000).count
            if clock.now - start > .seconds(300) { break }
        }
        let t = seconds(clock.now - start)
        print(
            String(
                format: "consume %d x %d B: %.2f s, %.0f records/s, %.1f MB/s", got, size, t,
                Double(got) / t, Double(got * size) / t / 1e6))
        await consumer.close()
    }

    static func latencyRun(
        cluster: EmbeddedCluster?, client: KafkaClient, admin: Admin, samples: Int,
        replicationFactor: Int16
    ) async throws -> (Percentiles, isrChanged: Bool) {
        let topic = "bench-latency-rf\(replicationFactor)"
        try await create(cluster, admin, topic, replicationFactor: replicationFactor)
        var config = ProducerConfig()
        config.acks = -1
        config.linger = .zero
        let producer = try Producer(client: client, config: config)
        let value = [UInt8](repeating: 0x61, count: 100)
        var latencies: [Double] = []
        latencies.reserveCapacity(samples)
        let mark = cluster?.events.mark ?? 0
        for _ in 0..<samples {
            let start = clock.now
            _ = try await producer.send(topic: topic, value: value)
            latencies.append(millis(clock.now - start))
        }
        let p = Percentiles(latencies)
        print(
            String(
                format:
                    "produce latency, acks=all, one at a time, %d x 100 B: p50 %.3f ms, p99 %.3f ms, max %.3f ms",
                samples, p.p50, p.p99, p.max))
        let note = cluster.flatMap { isrNote($0, since: mark, topic: topic) }
        if let note { print(note) }
        await producer.close()
        return (p, note != nil)
    }
}
