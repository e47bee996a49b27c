// Client benchmark (opt-in: SWIFTKA_BENCH=1): one million small records through the producer
// to the fake cluster over loopback. Prints the rate; asserts only that all arrived.

import Testing

@testable import Cluster

#if canImport(Glibc)
    import Glibc
#endif

@Suite struct ProducerBenchmark {
    static var enabled: Bool { getenv("SWIFTKA_BENCH") != nil }
    static let value = Array("0123456789".utf8)
    static let keys = (0..<1_000).map { Array("key-\($0)".utf8) }

    static func enqueueAll(_ producer: Producer, keyed: Bool) async throws -> PendingRecord? {
        var last: PendingRecord?
        for i in 0..<1_000_000 {
            last = try await producer.enqueue(
                topic: "bench", key: keyed ? keys[i % 1_000] : nil, value: value)
        }
        return last
    }

    /// The same loop from the main actor, as the REPL calls it.
    @MainActor
    static func enqueueAllOnMain(_ producer: Producer) async throws -> PendingRecord? {
        var last: PendingRecord?
        for _ in 0..<1_000_000 {
            last = try await producer.enqueue(topic: "bench", value: value)
        }
        return last
    }

    @Test(
        "one million 10-byte records: unkeyed, keyed, and unkeyed from the main actor",
        .enabled(if: enabled))
    func million() async throws {
        for variant in ["unkeyed", "keyed", "main actor"] {
            try await withFakeKafka { kafka, client in
                kafka.createTopic("bench", partitions: 3)
                let producer = try Producer(client: client)
                let clock = ContinuousClock()
                let start = clock.now
                let last =
                    variant == "main actor"
                    ? try await Self.enqueueAllOnMain(producer)
                    : try await Self.enqueueAll(producer, keyed: variant == "keyed")
                let enqueued = clock.now - start
                await producer.flush()
                let total = clock.now - start
                _ = try await last?.metadata()
                let stored = (0..<3).reduce(Int64(0)) {
                    $0 + kafka.logEnd(TopicPartition("bench", $1))
                }
                #expect(stored == 1_000_000)
                let seconds = Double(total.nanosecondsClamped) / 1e9
                print(
                    "BENCH \(variant): enqueue \(enqueued), total \(total), "
                        + "\(Int(1_000_000 / seconds)) records/s, \(kafka.produced.count) batches, "
                        + "\(kafka.requests(.produce).count) Produce requests")
                await producer.close()
            }
        }
    }
}
