// Repl room: the Kafka client the REPL's commands use. It talks to the cluster over real
// sockets like any other client (kcat, the Java client), so what a command shows is what a
// client sees; made on first use and rebuilt when asked.

import Cluster

/// The REPL's Kafka client: one connection manager, an admin, and one producer per acks.
@MainActor
final class ClientSession {
    private let bootstrap: () async -> [String]
    private var client: KafkaClient?
    private var producers: [Int16: Producer] = [:]

    init(bootstrap: @escaping () async -> [String]) { self.bootstrap = bootstrap }

    func kafkaClient() async throws(ReplError) -> KafkaClient {
        if let client { return client }
        do {
            var config = ClientConfig(bootstrapServers: await bootstrap(), clientId: "swiftka-repl")
            // A learner waits at a prompt: give up on a down cluster in seconds, not minutes.
            config.defaultApiTimeout = .seconds(10)
            config.requestTimeout = .seconds(10)
            let made = try KafkaClient(config: config)
            client = made
            return made
        } catch {
            throw .failed("Cannot make a client: \(error)")
        }
    }

    func admin() async throws(ReplError) -> Admin { Admin(client: try await kafkaClient()) }

    /// A producer with `acks` (-1, 0 or 1); idempotent where Kafka allows (acks=all).
    func producer(acks: Int16) async throws(ReplError) -> Producer {
        if let p = producers[acks] { return p }
        var config = ProducerConfig()
        config.acks = acks
        config.enableIdempotence = acks == -1
        config.deliveryTimeout = .seconds(15)
        config.maxBlock = .seconds(10)
        config.requestTimeout = .seconds(10)
        let p: Producer
        do {
            p = try Producer(client: try await kafkaClient(), config: config, partitionerSeed: 42)
        } catch {
            throw .failed("Cannot make a producer: \(error)")
        }
        producers[acks] = p
        return p
    }

    func consumer(_ config: ConsumerConfig) async throws(ReplError) -> Consumer {
        Consumer(client: try await kafkaClient(), config: config)
    }

    func close() async {
        for key in producers.keys.sorted() { await producers[key]?.close() }
        producers = [:]
        await client?.close()
        client = nil
    }
}

/// Turns a client error into a learner-facing line that names Kafka's error code.
func describeClientError(_ error: any Error, doing what: String) -> ReplError {
    if let error = error as? KafkaClientError {
        switch error {
        case .broker(let code, _, let message):
            return .failed("\(what): \(code.name): \(message ?? code.explanation)")
        case .unknownTopic(let topic):
            return .failed("\(what): UNKNOWN_TOPIC_OR_PARTITION: there is no topic '\(topic)'. Try: topic list")
        default:
            return .failed("\(what): \(error)")
        }
    }
    if let error = error as? ReplError { return error }
    return .failed("\(what): \(error)")
}
