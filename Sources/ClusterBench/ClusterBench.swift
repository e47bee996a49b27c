// Benchmark (not a test): the embedded cluster under load from the Swift client, in-process.
// Reports produce records/s and MB/s, acks=all one-at-a-time p50/p99 latency, and consume
// records/s, for 1M × 100 B and 200k × 1000 B on 3 partitions (RF 1, or RF 3 with
// --replication-factor 3: acks=all then waits for both followers).
//   swift run -c release ClusterBench [--records N] [--size B] [--latency-samples N] [--replication-factor R]

import Cluster
import Foundation
import NIOPosix

struct Options {
    var runs: [(count: Int, size: Int)] = [(1_000_000, 100), (200_000, 1000)]
    var latencySamples = 5_000
    var replicationFactor: Int16 = 1

    init(_ args: [String]) {
        var i = 1
        var count: Int?
        var size: Int?
        while i < args.count {
            let value = i + 1 < args.count ? Int(args[i + 1]) : nil
            switch args[i] {
            case "--records": count = value
            case "--size": size = value
            case "--latency-samples": latencySamples = value ?? latencySamples
            case "--replication-factor": replicationFactor = value.map { Int16(clamping: $0) } ?? replicationFactor
            default: break
            }
            i += 2
        }
        if let count { runs = [(count, size ?? 100)] }
    }
}

func seconds(_ d: Duration) -> Double { Double(d.nanosecondsClamped) / 1e9 }

@main
struct ClusterBench {
    static func main() async throws {
        let options = Options(CommandLine.arguments)
        let dir = NSTemporaryDirectory() + "swiftka-bench-\(UInt64.random(in: 0...UInt64.max))"
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let cluster = try EmbeddedCluster(config: EmbeddedClusterConfig(brokerCount: 3, dataDirectory: dir))
        try await cluster.start()
        let bootstrap = await cluster.status().brokers.map(\.address)
        print("command: swift run -c release ClusterBench \(CommandLine.arguments.dropFirst().joined(separator: " "))")
        print("cluster: 3 brokers on \(bootstrap.joined(separator: ",")), RF=\(options.replicationFactor), 3 partitions per topic")
        let client = try KafkaClient(bootstrapServers: bootstrap)
        let admin = Admin(client: client)
        for (index, run) in options.runs.enumerated() {
            let topic = "bench-\(index)"
            _ = try await admin.createTopics([NewTopic(name: topic, numPartitions: 3, replicationFactor: options.replicationFactor, configs: [:])])
            try await produceRun(client: client, topic: topic, count: run.count, size: run.size)
            try await consumeRun(client: client, topic: topic, count: run.count, size: run.size)
        }
        try await latencyRun(client: client, admin: admin, samples: options.latencySamples, replicationFactor: options.replicationFactor)
        await client.close()
        await cluster.shutdown()
    }

    static func produceRun(client: KafkaClient, topic: String, count: Int, size: Int) async throws {
        var config = ProducerConfig()
        config.acks = -1
        config.linger = .milliseconds(5)
        config.batchSize = 256 * 1024
        let producer = try Producer(client: client, config: config)
        let value = [UInt8](repeating: 0x61, count: size)
        let clock = ContinuousClock()
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
        print(String(format: "produce %d x %d B: %.2f s, %.0f records/s, %.1f MB/s (acks=all, batch.size=256 KiB, linger.ms=5)",
                     count, size, t, Double(count) / t, Double(count * size) / t / 1e6))
        await producer.close()
    }

    static func consumeRun(client: KafkaClient, topic: String, count: Int, size: Int) async throws {
        var config = ConsumerConfig()
        config.maxPollRecords = 100_000
        config.autoOffsetReset = .earliest
        let consumer = Consumer(client: client, config: config)
        let tps = (0..<3).map { TopicPartition(topic, Int32($0)) }
        await consumer.assign(tps)
        for tp in tps { try await consumer.seek(tp, to: .earliest) }
        let clock = ContinuousClock()
        let start = clock.now
        var got = 0
        while got < count {
            got += try await consumer.poll(timeout: .seconds(5), maxRecords: 100_000).count
            if clock.now - start > .seconds(300) { break }
        }
        let t = seconds(clock.now - start)
        print(String(format: "consume %d x %d B: %.2f s, %.0f records/s, %.1f MB/s", got, size, t, Double(got) / t, Double(got * size) / t / 1e6))
        await consumer.close()
    }

    static func latencyRun(client: KafkaClient, admin: Admin, samples: Int, replicationFactor: Int16) async throws {
        _ = try await admin.createTopics([NewTopic(name: "bench-latency", numPartitions: 3, replicationFactor: replicationFactor, configs: [:])])
        var config = ProducerConfig()
        config.acks = -1
        config.linger = .zero
        let producer = try Producer(client: client, config: config)
        let value = [UInt8](repeating: 0x61, count: 100)
        let clock = ContinuousClock()
        var latencies: [Double] = []
        for _ in 0..<samples {
            let start = clock.now
            _ = try await producer.send(topic: "bench-latency", value: value)
            latencies.append(seconds(clock.now - start) * 1000)
        }
        latencies.sort()
        let p50 = latencies[latencies.count / 2]
        let p99 = latencies[min(latencies.count - 1, latencies.count * 99 / 100)]
        print(String(format: "produce latency, acks=all, one at a time, %d x 100 B: p50 %.3f ms, p99 %.3f ms", samples, p50, p99))
        await producer.close()
    }
}
