// Client tests: producer and consumer settings read from Kafka's property names. Goal: the
// same acceptance and refusals as Kafka's ProducerConfig and ConsumerConfig.

import Testing

@testable import Cluster

@Suite struct ProducerConfigTests {
    @Test("defaults are Kafka 4's")
    func defaults() throws {
        let config = ProducerConfig()
        #expect(config.acks == -1 && config.acksName == "all")
        #expect(config.linger == .milliseconds(5))
        #expect(config.batchSize == 16_384)
        #expect(config.enableIdempotence)
        #expect(config.maxInFlightRequestsPerConnection == 5)
        #expect(config.deliveryTimeout == .milliseconds(120_000))
        try config.validate()
    }

    @Test("properties set the typed fields")
    func properties() throws {
        let config = try ProducerConfig(properties: [
            "acks": "all", "linger.ms": "20", "batch.size": "32768", "compression.type": "gzip",
            "retries": "3", "max.in.flight.requests.per.connection": "2",
            "bootstrap.servers": "127.0.0.1:9092",
        ])
        #expect(config.linger == .milliseconds(20))
        #expect(config.batchSize == 32_768)
        #expect(config.compression == .gzip)
        #expect(config.retries == 3)
        #expect(config.maxInFlightRequestsPerConnection == 2)
    }

    @Test("acks=1 quietly turns off idempotence unless it was asked for")
    func implicitIdempotence() throws {
        let quiet = try ProducerConfig(properties: ["acks": "1"])
        #expect(!quiet.enableIdempotence && quiet.acks == 1)
        #expect(throws: KafkaClientError.self) {
            try ProducerConfig(properties: ["acks": "1", "enable.idempotence": "true"])
        }
    }

    @Test(
        "refuses what Kafka refuses",
        arguments: [
            ["acks": "2"], ["linger.ms": "-1"], ["compression.type": "snappy"],
            ["compression.type": "brotli"], ["lingr.ms": "5"], ["enable.idempotence": "yes"],
            ["delivery.timeout.ms": "1000"],
        ])
    func refusals(_ properties: [String: String]) {
        #expect(throws: KafkaClientError.self) { try ProducerConfig(properties: properties) }
    }

    @Test("consumer properties and auto.offset.reset")
    func consumer() throws {
        let config = try ConsumerConfig(properties: [
            "auto.offset.reset": "earliest", "fetch.max.wait.ms": "100", "max.poll.records": "10",
            "fetch.min.bytes": "1024",
        ])
        #expect(config.autoOffsetReset == .earliest)
        #expect(config.fetchMaxWait == .milliseconds(100))
        #expect(config.maxPollRecords == 10)
        #expect(config.fetchMinBytes == 1_024)
        #expect(throws: KafkaClientError.self) {
            try ConsumerConfig(properties: ["auto.offset.reset": "smallest"])
        }
        #expect(throws: KafkaClientError.self) {
            try ConsumerConfig(properties: ["isolation.level": "read_committed"])
        }
    }

    @Test("bootstrap addresses parse, bad ones are refused")
    func servers() throws {
        #expect(try ClientConfig.parseServer("127.0.0.1:9092") == ("127.0.0.1", 9092))
        #expect(try ClientConfig.parseServer("[::1]:9093") == ("::1", 9093))
        for bad in ["localhost", ":9092", "host:0", "host:x"] {
            #expect(throws: KafkaClientError.self) { try ClientConfig.parseServer(bad) }
        }
    }

    @Test("retry backoff doubles up to retry.backoff.max.ms")
    func backoff() {
        let config = ClientConfig(bootstrapServers: ["a:1"])
        #expect(config.backoff(attempt: 1) == .milliseconds(100))
        #expect(config.backoff(attempt: 2) == .milliseconds(200))
        #expect(config.backoff(attempt: 4) == .milliseconds(800))
        #expect(config.backoff(attempt: 9) == .milliseconds(1_000))
    }
}
