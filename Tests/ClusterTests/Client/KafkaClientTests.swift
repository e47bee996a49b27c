// Client tests: the connection manager against the fake cluster over loopback. Goal:
// ApiVersions first and the best shared version after, fallback and refusal, reconnection
// after a dropped connection, and bootstrap past an unreachable address.

import Testing

@testable import Cluster

@Suite struct KafkaClientTests {
    @Test("ApiVersions goes first; each request then uses the highest shared version")
    func negotiates() async throws {
        try await withFakeKafka { kafka, client in
            kafka.advertise(.metadata, 0...9)
            try await client.refreshMetadata(topics: nil)
            let log = kafka.log
            #expect(log.first?.api == .apiVersions)
            #expect(log.first?.version == 3)
            #expect(kafka.requests(.metadata).map(\.version) == [9])
        }
    }

    @Test("a broker without ApiVersions v3 answers v0, and the client asks again lower")
    func apiVersionsFallback() async throws {
        try await withFakeKafka { kafka, client in
            kafka.advertise(.apiVersions, 0...2)
            let metadata = try await client.refreshMetadata(topics: nil)
            #expect(metadata.brokerIds == [1])
            #expect(kafka.requests(.apiVersions).map(\.version) == [2])
        }
    }

    @Test("an API with no shared version is refused, naming both ranges")
    func refusesVersion() async throws {
        try await withFakeKafka { kafka, client in
            kafka.advertise(.produce, 0...2)
            try await client.refreshMetadata(topics: nil)
            await #expect(
                throws: KafkaClientError.unsupportedVersion(
                    api: .produce, broker: 1, brokerVersions: 0...2, clientVersions: 3...10)
            ) {
                _ = try await client.send(to: 1) { _ in ProduceRequest() }
            }
            #expect(kafka.requests(.produce).isEmpty)
        }
    }

    @Test("a dropped connection is reopened and the request retried")
    func reconnects() async throws {
        try await withFakeKafka { kafka, client in
            kafka.createTopic("orders", partitions: 1)
            kafka.dropConnection(onNext: .metadata)
            let metadata = try await client.refreshMetadata(topics: ["orders"])
            #expect(metadata.partitionCount("orders") == 1)
            #expect(kafka.requests(.metadata).count == 2)
            #expect(kafka.requests(.apiVersions).count == 2)
        }
    }

    @Test("an unreachable bootstrap address is skipped")
    func bootstrapSkips() async throws {
        let closed = try await FakeKafka.closedPort()
        try await withFakeKafka(configure: {
            $0.bootstrapServers.insert("127.0.0.1:\(closed)", at: 0)
        }) {
            kafka, client in
            let metadata = try await client.refreshMetadata(topics: nil)
            #expect(metadata.brokerIds == [1])
        }
    }

    @Test("with no broker reachable the error lists the addresses tried")
    func unreachable() async throws {
        let closed = try await FakeKafka.closedPort()
        var config = ClientConfig(bootstrapServers: ["127.0.0.1:\(closed)"])
        config.retries = 1
        config.retryBackoff = .milliseconds(1)
        let client = try KafkaClient(config: config)
        do {
            try await client.refreshMetadata(topics: nil)
            Issue.record("expected a failure")
        } catch let error as KafkaClientError {
            guard case .brokersUnreachable(let tried, _) = error else {
                Issue.record("unexpected \(error)")
                return
            }
            #expect(tried == ["127.0.0.1:\(closed)"])
        }
        await client.close()
    }

    @Test("a closed client refuses requests")
    func closed() async throws {
        try await withFakeKafka { _, client in
            await client.close()
            await #expect(throws: KafkaClientError.closed) {
                try await client.refreshMetadata(topics: nil)
            }
        }
    }

    @Test("bad bootstrap lists are refused before connecting")
    func badBootstrap() {
        #expect(throws: KafkaClientError.noBootstrapServers) {
            try KafkaClient(bootstrapServers: [])
        }
        #expect(throws: KafkaClientError.invalidBootstrapServer("nohost")) {
            try KafkaClient(bootstrapServers: ["nohost"])
        }
    }
}
