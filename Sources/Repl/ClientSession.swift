// Repl room: the Kafka client the REPL's commands use. It talks to the cluster over real
// sockets like any other client (kcat, the Java client), so what a command shows is what a
// client sees; made on first use and rebuilt when asked.

import Cluster

/// The REPL's Kafka client: one connection manager, an admin, and one producer per acks.
@MainActor
final class ClientSession {
    /// The brokers to bootstrap from, asked each time a client is made.
    var bootstrap: () async -> [String] = { [] }
    private var client: KafkaClient?
    private var producers: [ProducerKind: Producer] = [:]

    /// The REPL's producers differ only in acks and in whether they are tuned for bulk sends.
    private struct ProducerKind: Hashable, Comparable {
        var acks: Int16
        /// nil: Kafka's default (16384).
        var batchSize: Int?
        static func < (a: Self, b: Self) -> Bool { (a.acks, a.batchSize ?? 0) < (b.acks, b.batchSize ?? 0) }
    }

    /// `batch.size` of the bulk producer: 16 times Kafka's default, as a throughput test would
    /// set it (`kafka-producer-perf-test.sh --producer-props batch.size=262144`), so that one
    /// request carries a quarter of a megabyte per partition instead of 16 KiB.
    static let bulkBatchSize = 262_144
    static let bulkBufferMemory = 8 * 1_048_576

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
            throw describeClientError(error, doing: "Cannot make a client")
        }
    }

    func admin() async throws(ReplError) -> Admin { Admin(client: try await kafkaClient()) }

    /// The bulk `batch.size` for `topic`, and why when it is not `bulkBatchSize`: a batch
    /// larger than the topic's segment.bytes or max.message.bytes would be refused whole
    /// (RECORD_LIST_TOO_LARGE, MESSAGE_TOO_LARGE), so it stays below both.
    func bulkBatchSize(for topic: String) async -> (size: Int, limitedBy: String?) {
        guard let configs = try? await admin().describeConfigs(topic: topic) else {
            return (Self.bulkBatchSize, nil)
        }
        var chosen = (size: Self.bulkBatchSize, limitedBy: String?.none)
        for name in ["segment.bytes", "max.message.bytes"] {
            guard let text = configs.first(where: { $0.name == name })?.value, let limit = Int(text)
            else { continue }
            // Room for the batch header and one record's overhead below the limit.
            let usable = limit - 512
            if usable > 0 && usable < chosen.size { chosen = (usable, name) }
        }
        return chosen
    }

    /// A producer with `acks` (-1, 0 or 1); idempotent where Kafka allows (acks=all).
    func producer(acks: Int16, batchSize: Int? = nil) async throws(ReplError) -> Producer {
        let kind = ProducerKind(acks: acks, batchSize: batchSize)
        if let p = producers[kind] { return p }
        var config = ProducerConfig()
        config.acks = acks
        if let batchSize {
            config.batchSize = batchSize
            // Bulk sends keep less in the buffer: what is buffered at Ctrl-C is still sent and
            // answered before the prompt returns, and 8 MiB goes out in well under 200 ms.
            config.bufferMemory = Self.bulkBufferMemory
        }
        config.enableIdempotence = acks == -1
        config.deliveryTimeout = .seconds(15)
        config.maxBlock = .seconds(10)
        config.requestTimeout = .seconds(10)
        let p: Producer
        do {
            p = try Producer(client: try await kafkaClient(), config: config, partitionerSeed: 42)
        } catch {
            throw describeClientError(error, doing: "Cannot make a producer")
        }
        producers[kind] = p
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

/// Turns a client error into a learner-facing line that names Kafka's error code. Only our
/// own sentences reach the learner: an error from below (a socket, NIO) is described by what
/// it means, never by its type's printed form.
func describeClientError(_ error: any Error, doing what: String) -> ReplError {
    if let error = error as? ReplError { return error }
    if error is CancellationError { return .failed("\(what): interrupted (Ctrl-C).") }
    guard let error = error as? KafkaClientError else {
        return .failed("\(what): UNKNOWN_SERVER_ERROR: the client failed unexpectedly. Try again, or: broker list")
    }
    switch error {
    case .broker(let code, _, let message):
        return .failed("\(what): \(code.name): \(message ?? code.explanation)")
    case .unknownTopic(let topic):
        return .failed("\(what): UNKNOWN_TOPIC_OR_PARTITION: there is no topic '\(topic)'. Try: topic list")
    case .network(let broker, _):
        let who = broker >= 0 ? "broker \(broker)" : "a broker"
        return .failed("\(what): NETWORK_EXCEPTION: the connection to \(who) failed or was cut (is it down? Try: broker list)")
    case .brokersUnreachable(let tried, _):
        return .failed("\(what): NETWORK_EXCEPTION: no broker answered (tried \(tried.joined(separator: ", "))). Try: broker list")
    case .timedOut(let detail):
        return .failed("\(what): REQUEST_TIMED_OUT: \(detail)")
    case .offsetOutOfRange(let tp, let offset):
        return .failed("\(what): OFFSET_OUT_OF_RANGE: offset \(offset) is not in the log of \(tp)")
    default:
        return .failed("\(what): \(error.description)")
    }
}

/// Kafka's error names (`OFFSET_OUT_OF_RANGE`) as they appear in a failure message, so a lesson
/// can check which error a command met (`saw OFFSET_OUT_OF_RANGE`).
enum ErrorNames {
    static let known: Set<String> = Set((Int16(-1)...Int16(200)).map { ErrorCode(rawValue: $0).name }
        .filter { !$0.hasPrefix("UNKNOWN_CODE_") && $0 != "NONE" })

    static func found(in message: String) -> [String] {
        message.split { !($0.isUppercase || $0 == "_" || $0.isNumber) }.map(String.init).filter(known.contains)
    }
}
