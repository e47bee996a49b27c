// Storage tests: node-level checkpoint files, partition.metadata and the clean-shutdown
// marker. Goal: Kafka's exact text formats, round trips, and malformed files refused.

import NIOCore
import Testing

@testable import Cluster

@Suite struct CheckpointsTests {
    @Test("a checkpoint is the version, the count, then sorted 'topic partition offset' lines")
    func format() {
        let offsets: [TopicPartition: Int64] = [
            .init(topic: "payments", partition: 0): 7,
            .init(topic: "orders", partition: 1): 42,
            .init(topic: "orders", partition: 0): 1_000,
        ]
        #expect(Checkpoints.encode(offsets) == "0\n3\norders 0 1000\norders 1 42\npayments 0 7\n")
        #expect(Checkpoints.encode([:]) == "0\n0\n")
    }

    @Test("a checkpoint written through a file system reads back the same")
    func roundTrip() throws {
        let fs = MemoryFileSystem()
        try fs.makeDirectory("/data/node-1")
        let path = "/data/node-1/" + Checkpoints.recoveryPointFileName
        let offsets: [TopicPartition: Int64] = [
            .init(topic: "my-topic", partition: 3): 99, .init(topic: "a", partition: 0): 0,
        ]
        try Checkpoints.write(offsets, to: path, fs: fs)
        #expect(try Checkpoints.read(path, fs: fs) == offsets)
        #expect(!fs.exists(path + ".tmp"))
        #expect(
            try Checkpoints.read("/data/node-1/" + Checkpoints.logStartOffsetFileName, fs: fs)
                == [:])
    }

    @Test(
        "empty files are no entries; bad versions, lines and counts are refused",
        arguments: [
            ("", true), ("0\n", true), ("0\n0\n", true),
            ("1\n0\n", false), ("0\n2\norders 0 5\n", false), ("0\n1\norders zero 5\n", false),
            ("0\n1\norders 0\n", false), ("x\n", false),
        ])
    func malformed(text: String, accepted: Bool) {
        let result = Result { () throws(StorageError) in try Checkpoints.decode(text, path: "cp") }
        switch result {
        case .success(let offsets): #expect(accepted && offsets.isEmpty)
        case .failure(let error):
            #expect(!accepted)
            #expect(error.errorCode == .kafkaStorageError)
        }
    }

    @Test("partition.metadata is 'version: 0' and 'topic_id: <id>', as Kafka writes it")
    func partitionMetadata() {
        let id = LogFixture.topicId
        let text = PartitionMetadata(topicId: id).text
        #expect(text == "version: 0\ntopic_id: \(id)")
        #expect(PartitionMetadata(text: text)?.topicId == id)
        #expect(PartitionMetadata(text: text + "\n")?.topicId == id)
        #expect(PartitionMetadata(text: "version: 0\ntopic_id: AAAAAAAAAAAAAAAAAAAAAA") == nil)
        #expect(PartitionMetadata(text: "version: 0") == nil)
        #expect(PartitionMetadata(text: "version:0\ntopic_id: \(id)") == nil)
    }

    @Test("a partition directory's topic id can be read before its log is opened")
    func readMetadata() throws {
        let fixture = LogFixture()
        #expect(try PartitionMetadata.read(in: fixture.directory, fs: fixture.fs) == nil)
        _ = try fixture.openNew()
        #expect(
            try PartitionMetadata.read(in: fixture.directory, fs: fixture.fs)?.topicId
                == LogFixture.topicId)
        fixture.fs.setContents(of: fixture.path(PartitionMetadata.fileName), to: Array("junk".utf8))
        #expect(throws: StorageError.self) {
            try PartitionMetadata.read(in: fixture.directory, fs: fixture.fs)
        }
    }

    @Test("the clean-shutdown marker is written, read with its broker epoch, and removed")
    func cleanShutdown() throws {
        let fs = MemoryFileSystem()
        try fs.makeDirectory("/data/node-2")
        #expect(!Checkpoints.hadCleanShutdown(in: "/data/node-2", fs: fs))
        try Checkpoints.writeCleanShutdown(in: "/data/node-2", brokerEpoch: 12, fs: fs)
        #expect(Checkpoints.hadCleanShutdown(in: "/data/node-2", fs: fs))
        #expect(Checkpoints.cleanShutdownBrokerEpoch(in: "/data/node-2", fs: fs) == 12)
        #expect(
            fs.contents(of: "/data/node-2/.kafka_cleanshutdown")
                == Array("{\"version\":0,\"brokerEpoch\":12}".utf8))
        try Checkpoints.removeCleanShutdown(in: "/data/node-2", fs: fs)
        #expect(!Checkpoints.hadCleanShutdown(in: "/data/node-2", fs: fs))
    }
}
