// Client test support: runs a test body against a fresh fake cluster and always shuts the
// cluster and the client down afterwards.

@testable import Cluster

/// Starts a fake cluster, runs `body` with it and a client on it, then closes both.
func withFakeKafka<T: Sendable>(
    brokers: Int = 1, configure: (inout ClientConfig) -> Void = { _ in },
    _ body: (FakeKafka, KafkaClient) async throws -> T
) async throws -> T {
    let kafka = try await FakeKafka.start(brokers: brokers)
    let client: KafkaClient
    do {
        client = try kafka.client(configure)
    } catch {
        await kafka.shutdown()
        throw error
    }
    do {
        let result = try await body(kafka, client)
        await client.close()
        await kafka.shutdown()
        return result
    } catch {
        await client.close()
        await kafka.shutdown()
        throw error
    }
}

func utf8(_ text: String) -> [UInt8] { Array(text.utf8) }

func text(_ bytes: [UInt8]?) -> String? { bytes.map { String(decoding: $0, as: UTF8.self) } }
