// Storage tests: segment file names. Goal: names are Kafka's (20-digit zero-padded base
// offset plus suffix) and only our own names parse back.

import Testing

@testable import Cluster

@Suite struct LogSegmentNamingTests {
    @Test("a segment's files are named by its base offset padded to 20 digits")
    func names() {
        #expect(LogSegment.fileName(baseOffset: 0, suffix: ".log") == "00000000000000000000.log")
        #expect(
            LogSegment.fileName(baseOffset: 42, suffix: ".index") == "00000000000000000042.index")
        #expect(
            LogSegment.fileName(baseOffset: 1_234_567, suffix: ".timeindex")
                == "00000000000001234567.timeindex")
        let segment = LogSegment(baseOffset: 170, createdWallClockMs: 0)
        #expect(segment.logFileName == "00000000000000000170.log")
        #expect(segment.indexFileName == "00000000000000000170.index")
        #expect(segment.timeIndexFileName == "00000000000000000170.timeindex")
    }

    @Test("a name parses back to its base offset only when it is exactly ours")
    func parsing() {
        #expect(
            LogSegment.baseOffset(fromFileName: "00000000000000000042.log", suffix: ".log") == 42)
        #expect(
            LogSegment.baseOffset(fromFileName: "00000000000000000042.index", suffix: ".log") == nil
        )
        #expect(
            LogSegment.baseOffset(fromFileName: "0000000000000000042.log", suffix: ".log") == nil)
        #expect(
            LogSegment.baseOffset(fromFileName: "0000000000000000004x.log", suffix: ".log") == nil)
        #expect(
            LogSegment.baseOffset(fromFileName: "99999999999999999999.log", suffix: ".log") == nil)
        #expect(
            LogSegment.baseOffset(fromFileName: "00000000000000000042.log.deleted", suffix: ".log")
                == nil)
    }

    @Test("a partition directory is <topic>-<partition>, and topic names may hold dashes")
    func directoryNames() {
        #expect(TopicPartition(topic: "orders", partition: 3).directoryName == "orders-3")
        #expect(
            TopicPartition(directoryName: "my-topic-12")
                == TopicPartition(topic: "my-topic", partition: 12))
        #expect(TopicPartition(directoryName: "orders") == nil)
        #expect(TopicPartition(directoryName: "-1") == nil)
        #expect(TopicPartition(directoryName: "orders-x") == nil)
    }
}
