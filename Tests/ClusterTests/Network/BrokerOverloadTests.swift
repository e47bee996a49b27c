// Network tests: one real broker on loopback under clients that misbehave. Goal: a thousand
// idle connections and one that sent half a frame do not stop a normal client producing and
// fetching; a frame above socket.request.max.bytes closes only its own connection; a request
// below Kafka 4's version floor (KIP-896) closes its connection, and the event log names the
// client, its address, the API, the version and the versions served. Method: a 1-broker
// embedded cluster on an ephemeral port; waits poll a condition with a deadline that only
// fails the test.

import Foundation
import NIOCore
import NIOPosix
import Testing

@testable import Cluster

#if canImport(Glibc)
    import Glibc
#endif

@Suite(.serialized) struct BrokerOverloadTests {
    static let group = MultiThreadedEventLoopGroup.singleton
    static let topic = "orders"

    struct Fixture {
        var cluster: EmbeddedCluster
        var port: Int
        var live: LiveNode

        func close() async { await cluster.shutdown() }

        func connect(clientId: String = "swiftka-tests") async throws -> KafkaConnection {
            try await KafkaConnection.connect(host: "127.0.0.1", port: port, clientId: clientId, group: BrokerOverloadTests.group)
        }
    }

    static func start() async throws -> Fixture {
        let cluster = try EmbeddedCluster(config: EmbeddedClusterConfig(brokerCount: 1, dataDirectory: temporaryDirectory("overload")))
        try await cluster.start()
        #expect(await cluster.waitUntilReady())
        let port = await cluster.status().brokers[0].port
        let admin = Admin(client: try KafkaClient(bootstrapServers: ["127.0.0.1:\(port)"]))
        let created = try await admin.createTopics([NewTopic(name: topic, numPartitions: 1, replicationFactor: 1)])
        #expect(created.first?.errorCode == ErrorCode.none)
        await admin.client.close()
        let live = try #require(await cluster.node(NodeID(1)))
        return Fixture(cluster: cluster, port: port, live: live)
    }

    /// Produces one batch to orders-0 (acks=1) and fetches it back; returns its offset.
    static func produceAndFetch(_ connection: KafkaConnection, fill: UInt8) async throws -> Int64 {
        let batch = TestBatches.batch(records: 1, fill: fill)
        let produced = try await connection.send(ProduceRequest(acks: 1, topicData: [
            .init(name: topic, partitionData: [.init(index: 0, records: batch)]),
        ]), version: 9)
        let answer = try #require(produced.responses.first?.partitionResponses.first)
        #expect(answer.errorCode == ErrorCode.none)
        let fetched = try await connection.send(FetchRequest(maxWaitMs: 0, topics: [
            .init(topic: topic, partitions: [.init(partition: 0, fetchOffset: answer.baseOffset)]),
        ]), version: 12)
        let data = try #require(fetched.responses.first?.partitions.first)
        #expect(data.errorCode == ErrorCode.none)
        let records = try #require(data.records)
        guard case .success(let found) = RecordBatchView.batches(in: records), let first = found.first else {
            Issue.record("the fetch returned no batch")
            return -1
        }
        #expect(first.header.baseOffset == answer.baseOffset)
        // The bytes produced come back, stamped with their offset (the CRC does not cover it).
        let length = first.header.totalSize - RecordBatchHeader.size
        #expect(records.getSlice(at: first.index + RecordBatchHeader.size, length: length)
                == batch.getSlice(at: RecordBatchHeader.size, length: length))
        return answer.baseOffset
    }

    /// Polls `condition` until it holds or `bound` passes (the bound only fails the test).
    static func eventually(within bound: Duration = .seconds(20), _ condition: () async -> Bool) async -> Bool {
        let clock = ContinuousClock()
        let deadline = clock.now + bound
        while clock.now < deadline {
            if await condition() { return true }
            try? await Task.sleep(for: .milliseconds(10))
        }
        return await condition()
    }

    /// Whether `channel` closes within `bound`.
    static func closes(_ channel: any Channel, within bound: Duration = .seconds(10)) async -> Bool {
        await withTaskGroup(of: Bool.self) { group in
            group.addTask { (try? await channel.closeFuture.get()) != nil }
            group.addTask {
                try? await Task.sleep(for: bound)
                return false
            }
            let first = await group.next() ?? false
            group.cancelAll()
            return first
        }
    }

    /// A plain TCP connection with nothing in its pipeline: a client that says nothing.
    static func idleConnection(port: Int) async throws -> any Channel {
        try await ClientBootstrap(group: group).connect(host: "127.0.0.1", port: port).get()
    }

    /// Makes sure the process may open `needed` descriptors, raising the soft limit toward the
    /// hard one when it is lower. Returns the soft limit in force.
    static func ensureDescriptors(_ needed: Int) -> Int {
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return -1 }
        if limit.rlim_cur < rlim_t(needed) {
            limit.rlim_cur = min(limit.rlim_max, rlim_t(needed))
            _ = setrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
            _ = getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
        }
        return Int(clamping: limit.rlim_cur)
    }

    @Test("1,000 idle connections and one half-sent frame: a normal client still produces and fetches")
    func idleConnectionsAndHalfFrame() async throws {
        let idleCount = 1_000
        // Both ends of every connection live in this process, plus the broker's files.
        let descriptors = Self.ensureDescriptors(2 * (idleCount + 2) + 512)
        try #require(descriptors >= 2 * (idleCount + 2) + 512, "RLIMIT_NOFILE is \(descriptors)")
        #expect(idleCount + 2 <= Limits.connectionsPerBrokerMax)
        let f = try await Self.start()
        var idle: [any Channel] = []
        for _ in 0..<idleCount { idle.append(try await Self.idleConnection(port: f.port)) }
        // Half a frame: a size of 100 and 10 bytes of it, then silence.
        let half = try await Self.idleConnection(port: f.port)
        var bytes = ByteBuffer()
        bytes.writeInteger(Int32(100))
        bytes.writeRepeatingByte(7, count: 10)
        try await half.writeAndFlush(bytes)

        let normal = try await f.connect()
        #expect(await Self.eventually { await f.live.connectionCount() == idleCount + 2 })
        let first = try await Self.produceAndFetch(normal, fill: 0x61)
        let second = try await Self.produceAndFetch(normal, fill: 0x62)
        #expect(second == first + 1)
        // Nobody was dropped: Kafka keeps idle connections until connections.max.idle.ms.
        #expect(half.isActive && idle.allSatisfy(\.isActive))
        #expect(await f.live.connectionCount() == idleCount + 2)

        for channel in idle { channel.close(promise: nil) }
        try await half.close()
        await normal.close()
        #expect(await Self.eventually { await f.live.connectionCount() == 0 })
        await f.close()
    }

    @Test("a frame one byte above socket.request.max.bytes closes its connection; others are served")
    func oversizedFrame() async throws {
        let f = try await Self.start()
        let normal = try await f.connect()
        _ = try await Self.produceAndFetch(normal, fill: 0x61)
        let bad = try await Self.idleConnection(port: f.port)
        var bytes = ByteBuffer()
        bytes.writeInteger(Int32(Limits.frameBytesMax + 1))
        bytes.writeRepeatingByte(0, count: 64)
        try await bad.writeAndFlush(bytes)
        #expect(await Self.closes(bad))
        #expect(try await Self.produceAndFetch(normal, fill: 0x62) == 1)
        await normal.close()
        await f.close()
    }

    /// Produce v2 as kafka-go 0.2.1 sends it: header v1, then acks, timeout and one topic
    /// with one partition whose message set is left empty (the broker never reads it).
    static func produceV2Frame(clientId: String) -> ByteBuffer {
        var w = WireWriter()
        w.writeInt32(0)
        RequestHeader(apiKey: .produce, apiVersion: 2, correlationId: 1, clientId: clientId).encode(to: &w, headerVersion: 1)
        w.writeInt16(-1)  // acks
        w.writeInt32(10_000)  // timeout
        w.writeInt32(1)  // topics
        w.writeString(topic, compact: false)
        w.writeInt32(1)  // partitions
        w.writeInt32(0)
        w.writeInt32(0)  // message set size
        w.buffer.setInteger(Int32(w.buffer.readableBytes - 4), at: w.buffer.readerIndex)
        return w.buffer
    }

    @Test("Produce v2 (below Kafka 4's floor) closes the connection, and the event names client, address, API and versions")
    func oldClientRefused() async throws {
        let f = try await Self.start()
        let traces = Locked<[TraceEvent]>([])
        f.cluster.trace.set { event in traces.withLock { $0.append(event) } }
        let mark = f.cluster.events.mark
        let old = try await f.connect(clientId: "kafka-go")
        let address = try #require(old.channel.localAddress?.hostAndPort)
        await #expect(throws: ConnectionError.closed) { _ = try await old.sendRaw(Self.produceV2Frame(clientId: "kafka-go")) }
        #expect(await Self.closes(old.channel))

        // Recorded before the broker closed the connection, so it is there now.
        let refusals = f.cluster.events.since(mark).compactMap { event -> (RequestTrace, String)? in
            guard case .requestRefused(let trace, let peer) = event.kind else { return nil }
            return (trace, peer)
        }
        #expect(refusals.count == 1)
        let (trace, peer) = try #require(refusals.first)
        #expect(peer == address)
        #expect(trace.apiKey == .produce && trace.apiVersion == 2 && trace.clientId == "kafka-go")
        #expect(trace.versionsServed == ProduceRequest.versions && trace.errorCode == .unsupportedVersion)
        #expect(trace.responseBytes == 0)
        #expect(traces.withLock { $0.contains { $0.trace == trace && $0.peer == address } })
        f.cluster.trace.set(nil)

        // The broker serves everyone else as before.
        let normal = try await f.connect()
        #expect(try await Self.produceAndFetch(normal, fill: 0x61) == 0)
        await normal.close()
        await f.close()
    }
}
