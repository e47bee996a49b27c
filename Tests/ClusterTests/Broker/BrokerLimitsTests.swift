// Broker tests: the limits a broker holds whatever a client asks. Goal: a batch above the
// topic's max.message.bytes gets MESSAGE_TOO_LARGE and appends nothing; a Fetch asking for
// Int32.max bytes gets what exists, at most fetch.max.bytes; a full disk gets
// KAFKA_STORAGE_ERROR, damages nothing acknowledged, and the next append after space comes
// back succeeds and survives a restart. Method: one broker on a MemoryFileSystem, fed
// request frames through `handle(frame:)` as its connection handler does.

import NIOCore
import Testing

@testable import Cluster

@Suite struct BrokerLimitsTests {
    static let topicId = CodecChecks.sampleTopicId
    static let tp = TopicPartition(topic: "orders", partition: 0)
    static let logDirectory = "/data/node-1"

    /// Broker 1 leading every partition of "orders", alone in its ISR, on `fs`.
    struct Fixture {
        let fs: MemoryFileSystem
        var image = MetadataImage()
        var broker: Broker
        var correlationId: Int32 = 0

        init(partitions: Int32 = 1, configs: [String: String] = [:], fs: MemoryFileSystem = MemoryFileSystem()) {
            self.fs = fs
            image.replay(.registerBroker(RegisterBrokerRecord(
                brokerId: 1, incarnationId: .zero, brokerEpoch: 0, host: "127.0.0.1", port: 9092, rack: nil,
                fenced: false, inControlledShutdown: false)))
            image.replay(.topic(TopicRecord(name: "orders", topicId: topicId)))
            for (name, value) in configs.sorted(by: { $0.key < $1.key }) {
                image.replay(.config(ConfigRecord(resourceType: 2, resourceName: "orders", name: name, value: value)))
            }
            for p in 0..<partitions {
                image.replay(.partition(PartitionRecord(
                    partitionId: p, topicId: topicId, replicas: [1], isr: [1], leader: 1, leaderEpoch: 0,
                    partitionEpoch: 0)))
            }
            broker = Self.startBroker(fs: fs, image: image)
        }

        /// A broker process starting on this disk: checkpoints, then the image opens its logs.
        static func startBroker(fs: MemoryFileSystem, image: MetadataImage) -> Broker {
            var broker = Broker(
                identity: BrokerIdentity(nodeID: NodeID(1), clusterID: "c", host: "127.0.0.1", port: 9092),
                logDirectory: logDirectory, fs: fs)
            broker.loadCheckpoints()
            broker.apply(image: image, now: .zero, wallClockMs: 0)
            return broker
        }

        /// The process dies (the kernel keeps what was written) and starts again on the same disk.
        mutating func crashAndRestart() {
            fs.crash(.keepWrittenBytes)
            broker = Self.startBroker(fs: fs, image: image)
        }

        /// Sends `request` at `version` as a client would and decodes the answer.
        mutating func exchange<R: KafkaRequest>(_ request: R, version: Int16) throws -> R.Response {
            correlationId += 1
            var frame = RequestFraming.requestFrame(request, version: version, correlationId: correlationId, clientId: "t")
            frame.moveReaderIndex(forwardBy: 4)
            guard case .respond(var response, _) = broker.handle(frame: frame, now: .zero) else {
                throw TestFailure("\(R.apiKey.name) v\(version) got no response")
            }
            response.moveReaderIndex(forwardBy: 4)
            var reader = WireReader(response)
            let header = try ResponseHeader(from: &reader, headerVersion: R.responseHeaderVersion(version))
            #expect(header.correlationId == correlationId)
            return try R.Response(from: &reader, version: version)
        }

        /// Produces one batch to `orders-<partition>` with acks=1; the partition's answer.
        mutating func produce(_ batch: ByteBuffer, partition: Int32 = 0) throws -> ProduceResponse.PartitionResponse {
            let request = ProduceRequest(acks: 1, topicData: [.init(name: "orders", partitionData: [
                .init(index: partition, records: batch),
            ])])
            let response = try exchange(request, version: 9)
            return try #require(response.responses.first?.partitionResponses.first)
        }

        /// A consumer's Fetch (v12, topics by name, no wait) of `partitions` from `offset`.
        mutating func fetch(
            partitions: [Int32] = [0], from offset: Int64 = 0, maxBytes: Int32 = .max, partitionMaxBytes: Int32 = .max
        ) throws -> [FetchResponse.PartitionData] {
            let request = FetchRequest(
                maxWaitMs: 0, minBytes: 1, maxBytes: maxBytes,
                topics: [.init(topic: "orders", partitions: partitions.map {
                    .init(partition: $0, fetchOffset: offset, partitionMaxBytes: partitionMaxBytes)
                })])
            let response = try exchange(request, version: 12)
            return response.responses.flatMap(\.partitions)
        }

        var logEndOffset: Int64 { broker.logs[tp]?.logEndOffset ?? -1 }
    }

    struct TestFailure: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }

    /// The base offsets of the batches in a Fetch answer's records.
    static func baseOffsets(_ data: FetchResponse.PartitionData) -> [Int64] {
        guard let records = data.records, case .success(let found) = RecordBatchView.batches(in: records, batchBytesMax: .max)
        else { return [] }
        return found.map(\.header.baseOffset)
    }

    @Test("the named limits keep Kafka's order: a batch fits in a fetch answer, which fits in a request frame")
    func limitRelations() {
        #expect(Limits.batchBytesMax < Limits.fetchBytesMax)
        #expect(Limits.fetchBytesMax < Limits.frameBytesMax)
        #expect(Limits.fetchBytesMax == 55 * 1_048_576)
        #expect(LogConfig().maxMessageBytes == Limits.batchBytesMax)
    }

    // MARK: - max.message.bytes

    @Test("a batch above the broker default message.max.bytes gets MESSAGE_TOO_LARGE and appends nothing")
    func produceAboveBrokerDefault() throws {
        var f = Fixture()
        #expect(try f.produce(TestBatches.batch()).errorCode == .none)
        let big = TestBatches.batch(records: 1, valueBytes: Limits.batchBytesMax)
        #expect(big.readableBytes > Limits.batchBytesMax)
        let answer = try f.produce(big)
        #expect(answer.errorCode == .messageTooLarge)
        #expect(f.logEndOffset == 1)
        #expect(try f.fetch().first.map(Self.baseOffsets) == [0])
    }

    @Test("a batch above the topic's max.message.bytes gets MESSAGE_TOO_LARGE; one at the limit is appended")
    func produceAboveTopicLimit() throws {
        let limit = TestBatches.batch(valueBytes: 100).readableBytes
        var f = Fixture(configs: ["max.message.bytes": "\(limit)"])
        #expect(try f.produce(TestBatches.batch(valueBytes: 101)).errorCode == .messageTooLarge)
        #expect(f.logEndOffset == 0)
        let fits = try f.produce(TestBatches.batch(valueBytes: 100))
        #expect(fits.errorCode == .none && fits.baseOffset == 0)
        #expect(f.logEndOffset == 1)
    }

    // MARK: - fetch.max.bytes

    @Test("a Fetch for Int32.max bytes (request and partition) gets exactly the batches that exist")
    func fetchHugeMaxBytes() throws {
        var f = Fixture(partitions: 2)
        for i in 0..<3 { #expect(try f.produce(TestBatches.batch(records: 2, fill: UInt8(0x61 + i))).errorCode == .none) }
        #expect(try f.produce(TestBatches.batch(records: 5), partition: 1).errorCode == .none)
        let answer = try f.fetch(partitions: [0, 1])
        #expect(answer.map(\.errorCode) == [.none, .none])
        #expect(answer.map(Self.baseOffsets) == [[0, 2, 4], [0]])
        #expect(answer.map(\.highWatermark) == [6, 5])
        let sizes = answer.map { $0.records?.readableBytes ?? -1 }
        #expect(sizes == [3 * TestBatches.batch(records: 2).readableBytes, TestBatches.batch(records: 5).readableBytes])
        // From the log end: nothing, and no error.
        let atEnd = try f.fetch(from: 6)
        #expect(atEnd.first?.errorCode == ErrorCode.none && atEnd.first?.records?.readableBytes == 0)
    }

    @Test("a Fetch for Int32.max bytes is cut at fetch.max.bytes (55 MiB), as Kafka's broker cuts it")
    func fetchCappedAtFetchMaxBytes() throws {
        // Eight 8 MB batches (64 MB) in one segment: more than fetch.max.bytes (57.7 MB).
        let batchBytes = 8_000_000
        var f = Fixture(configs: ["max.message.bytes": "\(2 * batchBytes)"])
        for _ in 0..<8 {
            #expect(try f.produce(TestBatches.batch(records: 1, valueBytes: batchBytes)).errorCode == .none)
        }
        let answer = try #require(try f.fetch().first)
        let size = answer.records?.readableBytes ?? 0
        #expect(size <= Limits.fetchBytesMax)
        #expect(Self.baseOffsets(answer) == [0, 1, 2, 3, 4, 5, 6])
        // The next Fetch carries on where this one stopped.
        #expect(try f.fetch(from: 7).first.map(Self.baseOffsets) == [7])
    }

    // MARK: - A full disk

    @Test("an append on a full disk gets KAFKA_STORAGE_ERROR, keeps acknowledged records, and works once space returns")
    func diskFull() throws {
        var f = Fixture()
        for _ in 0..<3 { #expect(try f.produce(TestBatches.batch(records: 2)).errorCode == .none) }
        let segment = Self.logDirectory + "/orders-0/00000000000000000000.log"
        let before = try #require(f.fs.contents(of: segment))
        // Room for part of the next batch only: the write is short, then ENOSPC.
        f.fs.capacityBytes = f.fs.usedBytes + 20
        let refused = try f.produce(TestBatches.batch(records: 2))
        #expect(refused.errorCode == .kafkaStorageError)
        #expect(f.logEndOffset == 6)
        #expect(f.fs.contents(of: segment) == before)
        #expect(try f.fetch().first.map(Self.baseOffsets) == [0, 2, 4])

        f.fs.capacityBytes = nil
        let accepted = try f.produce(TestBatches.batch(records: 2))
        #expect(accepted.errorCode == .none && accepted.baseOffset == 6)
        #expect(try f.fetch().first.map(Self.baseOffsets) == [0, 2, 4, 6])

        f.crashAndRestart()
        #expect(!f.broker.notices.contains { $0.contains("cut") }, "recovery cut something: \(f.broker.notices)")
        #expect(f.logEndOffset == 8)
        #expect(try f.fetch().first.map(Self.baseOffsets) == [0, 2, 4, 6])
    }
}
