// Client test support: a tiny in-memory Kafka on loopback sockets, speaking the real codecs,
// so the client is exercised end to end. Faults (errors, dropped connections) are injected.

import NIOCore
import NIOPosix

@testable import Cluster

/// A fake Kafka cluster of `brokers` listeners on 127.0.0.1 sharing one in-memory state.
///
/// It answers ApiVersions, Metadata, Produce (with idempotent sequence checks), Fetch (by
/// name or topic id, from the batch holding the offset, long-polling when empty),
/// ListOffsets, CreateTopics, DeleteTopics, InitProducerId, DescribeCluster and
/// DescribeConfigs. Every request is logged for assertions.
final class FakeKafka: Sendable {
    struct StoredBatch: Sendable {
        var baseOffset: Int64
        var lastOffset: Int64
        var bytes: ByteBuffer
        var timestamps: [Int64]
    }

    struct Partition: Sendable {
        var leader: Int32
        var leaderEpoch: Int32 = 0
        var batches: [StoredBatch] = []
        var logStart: Int64 = 0
        var logEnd: Int64 = 0
    }

    struct Topic: Sendable {
        var id: Uuid
        var partitions: [Partition]
        var configs: [String: String]
    }

    struct Logged: Sendable, Equatable {
        var broker: Int32
        var api: ApiKey
        var version: Int16
    }

    /// One batch as the leader stored it, for assertions on producer ids and sequences.
    struct Produced: Sendable {
        var broker: Int32
        var topicPartition: TopicPartition
        var header: RecordBatchHeader
    }

    struct ProducerEntry: Sendable {
        var epoch: Int16
        var lastSequence: Int32
    }

    struct State: Sendable {
        var topics: [String: Topic] = [:]
        var ports: [Int32: Int] = [:]
        var channels: [any Channel] = []
        var advertised: [ApiKey: ClosedRange<Int16>] = FakeKafka.codecRanges
        var produceErrors: [TopicPartition: [ErrorCode]] = [:]
        var fetchErrors: [TopicPartition: [ErrorCode]] = [:]
        var createTopicsErrors: [ErrorCode] = []
        var dropNext: [ApiKey: Int] = [:]
        /// Produce requests to store and then leave unanswered, closing the connection.
        var dropAfterProduce = 0
        var log: [Logged] = []
        var produced: [Produced] = []
        var fetchedTopicIds: [Uuid] = []
        var producers: [String: ProducerEntry] = [:]
        var nextProducerId: Int64 = 1_000
        var nextTopicId: UInt64 = 1
    }

    static let codecs: [any KafkaRequest.Type] = [
        ApiVersionsRequest.self, MetadataRequest.self, ProduceRequest.self, FetchRequest.self,
        ListOffsetsRequest.self, CreateTopicsRequest.self, DeleteTopicsRequest.self,
        InitProducerIdRequest.self, DescribeClusterRequest.self, DescribeConfigsRequest.self,
    ]
    static let codecRanges = Dictionary(
        uniqueKeysWithValues: codecs.map { ($0.apiKey, $0.versions) })
    static let firstFlexible = Dictionary(
        uniqueKeysWithValues: codecs.compactMap { t in t.firstFlexibleVersion.map { (t.apiKey, $0) }
        })

    let state = Locked(State())
    let brokerIds: [Int32]

    private init(brokerIds: [Int32]) { self.brokerIds = brokerIds }

    static func start(brokers: Int = 1) async throws -> FakeKafka {
        let kafka = FakeKafka(brokerIds: (1...brokers).map { Int32($0) })
        for id in kafka.brokerIds {
            let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
                .childChannelOption(.tcpOption(.tcp_nodelay), value: 1)
                .childChannelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHandler(
                            ByteToMessageHandler(KafkaFrameDecoder()))
                        try channel.pipeline.syncOperations.addHandler(
                            FakeKafkaHandler(broker: id, kafka: kafka))
                    }
                }
                .bind(host: "127.0.0.1", port: 0).get()
            let port = channel.localAddress?.port ?? 0
            kafka.state.withLock { state in
                state.ports[id] = port
                state.channels.append(channel)
            }
        }
        return kafka
    }

    func shutdown() async {
        let channels = state.withLock { $0.channels }
        for channel in channels { try? await channel.close() }
    }

    var bootstrap: [String] {
        state.withLock { state in brokerIds.map { "127.0.0.1:\(state.ports[$0] ?? 0)" } }
    }

    /// A client on this cluster with short timeouts, so a failing test fails quickly.
    func client(_ configure: (inout ClientConfig) -> Void = { _ in }) throws -> KafkaClient {
        var config = ClientConfig(bootstrapServers: bootstrap)
        config.requestTimeout = .seconds(10)
        config.retryBackoff = .milliseconds(5)
        config.retryBackoffMax = .milliseconds(50)
        config.defaultApiTimeout = .seconds(20)
        configure(&config)
        return try KafkaClient(config: config)
    }

    // MARK: - Setup and faults

    func createTopic(_ name: String, partitions: Int, leaders: [Int32]? = nil) {
        state.withLock { state in
            _ = Self.create(
                &state, name: name, partitions: partitions, leaders: leaders, brokers: brokerIds)
        }
    }

    static func create(
        _ state: inout State, name: String, partitions: Int, leaders: [Int32]?, brokers: [Int32]
    ) -> Uuid {
        let id = Uuid(mostSignificantBits: 0xFA4E, leastSignificantBits: state.nextTopicId)
        state.nextTopicId += 1
        let list = (0..<partitions).map { index in
            Partition(
                leader: leaders?[index % max(leaders?.count ?? 1, 1)]
                    ?? brokers[index % brokers.count])
        }
        state.topics[name] = Topic(id: id, partitions: list, configs: [:])
        return id
    }

    /// Adds partitions to a topic (CreatePartitions), led round-robin like new topics.
    func addPartitions(_ topic: String, count: Int) {
        state.withLock { state in
            guard var existing = state.topics[topic] else { return }
            for _ in 0..<count {
                let leader = brokerIds[existing.partitions.count % brokerIds.count]
                existing.partitions.append(Partition(leader: leader))
            }
            state.topics[topic] = existing
        }
    }

    func setLeader(_ tp: TopicPartition, to broker: Int32) {
        state.withLock { state in
            guard var partition = state.topics[tp.topic]?.partitions[Int(tp.partition)] else {
                return
            }
            partition.leader = broker
            partition.leaderEpoch += 1
            state.topics[tp.topic]?.partitions[Int(tp.partition)] = partition
        }
    }

    func failProduce(_ tp: TopicPartition, with errors: [ErrorCode]) {
        state.withLock { $0.produceErrors[tp, default: []] += errors }
    }

    func failFetch(_ tp: TopicPartition, with errors: [ErrorCode]) {
        state.withLock { $0.fetchErrors[tp, default: []] += errors }
    }

    func failCreateTopics(with errors: [ErrorCode]) {
        state.withLock { $0.createTopicsErrors += errors }
    }

    /// Closes the connection instead of answering the next `count` requests of `api`.
    func dropConnection(onNext api: ApiKey, count: Int = 1) {
        state.withLock { $0.dropNext[api, default: 0] += count }
    }

    /// Stores the next produce, then closes the connection instead of answering: the
    /// producer must resend, and idempotence must keep the resend from duplicating.
    func loseNextProduceAnswer() {
        state.withLock { $0.dropAfterProduce += 1 }
    }

    func advertise(_ api: ApiKey, _ range: ClosedRange<Int16>) {
        state.withLock { $0.advertised[api] = range }
    }

    /// Sets the log start offset as if retention had deleted the older batches.
    func truncateStart(_ tp: TopicPartition, to offset: Int64) {
        state.withLock { state in
            guard var partition = state.topics[tp.topic]?.partitions[Int(tp.partition)] else {
                return
            }
            partition.batches.removeAll { $0.lastOffset < offset }
            partition.logStart = offset
            state.topics[tp.topic]?.partitions[Int(tp.partition)] = partition
        }
    }

    // MARK: - Inspection

    var log: [Logged] { state.withLock { $0.log } }
    var produced: [Produced] { state.withLock { $0.produced } }

    func requests(_ api: ApiKey) -> [Logged] { log.filter { $0.api == api } }

    /// Every record stored for `tp`, decoded.
    func records(_ tp: TopicPartition) throws -> [ConsumerRecord] {
        let batches = state.withLock {
            $0.topics[tp.topic]?.partitions[Int(tp.partition)].batches ?? []
        }
        return try batches.flatMap {
            try RecordBatchDecoder.decode($0.bytes, at: $0.bytes.readerIndex).records
        }
    }

    func logEnd(_ tp: TopicPartition) -> Int64 {
        state.withLock { $0.topics[tp.topic]?.partitions[Int(tp.partition)].logEnd ?? -1 }
    }

    func topicId(_ name: String) -> Uuid? { state.withLock { $0.topics[name]?.id } }

    /// Appends records as a producer would, for consumer tests (one batch per call).
    func append(
        _ tp: TopicPartition, values: [String], keys: [String?]? = nil, timestamps: [Int64]? = nil
    ) throws {
        var builder = RecordBatchBuilder()
        for (i, value) in values.enumerated() {
            try builder.append(
                RecordBatchBuilder.Entry(
                    key: keys?[i].map { Array($0.utf8) }, value: Array(value.utf8),
                    headers: [RecordHeader(key: "n", value: [UInt8(truncatingIfNeeded: i)])],
                    timestamp: timestamps?[i] ?? 1_700_000_000_000 + Int64(i)))
        }
        let bytes = try builder.build()
        _ = state.withLock { state in
            Self.appendBatch(&state, tp, bytes)
        }
    }

    /// Stamps and stores a batch at the log end; returns its base offset.
    static func appendBatch(_ state: inout State, _ tp: TopicPartition, _ input: ByteBuffer)
        -> Int64?
    {
        guard var partition = state.topics[tp.topic]?.partitions[Int(tp.partition)],
            let decoded = try? RecordBatchDecoder.decode(input, at: input.readerIndex)
        else { return nil }
        var bytes = input
        let base = partition.logEnd
        RecordBatchView.stamp(
            &bytes, at: bytes.readerIndex, baseOffset: base,
            partitionLeaderEpoch: partition.leaderEpoch)
        let count = Int64(decoded.header.lastOffsetDelta) + 1
        partition.batches.append(
            StoredBatch(
                baseOffset: base, lastOffset: base + count - 1, bytes: bytes,
                timestamps: decoded.records.map(\.timestamp)))
        partition.logEnd = base + count
        state.topics[tp.topic]?.partitions[Int(tp.partition)] = partition
        return base
    }

    /// A port with nothing listening (bound, then closed).
    static func closedPort() async throws -> Int {
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .bind(host: "127.0.0.1", port: 0).get()
        let port = channel.localAddress?.port ?? 1
        try await channel.close()
        return port
    }
}

/// Frames in, answers out, in request order: a delayed (long-polled) answer holds back
/// the ones after it, as a broker's per-connection ordering requires.
final class FakeKafkaHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    let broker: Int32
    let kafka: FakeKafka
    private var previous: EventLoopFuture<Void>?

    init(broker: Int32, kafka: FakeKafka) {
        self.broker = broker
        self.kafka = kafka
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let frame = unwrapInboundIn(data)
        let loop = context.eventLoop
        let channel = context.channel
        let before = previous ?? loop.makeSucceededVoidFuture()
        switch kafka.handle(frame, broker: broker) {
        case .close:
            context.close(promise: nil)
        case .silent:
            break
        case .respond(let bytes, let delay):
            let next = before.flatMap { () -> EventLoopFuture<Void> in
                guard delay > .zero else { return loop.makeSucceededVoidFuture() }
                return loop.scheduleTask(in: .nanoseconds(delay.nanosecondsClamped)) {}.futureResult
            }.flatMap { channel.writeAndFlush(bytes) }
            previous = next.recover { _ in }
        }
    }
}
