// Storage tests: log settings by Kafka's names. Goal: Kafka's defaults, values parsed and
// checked, refusals worded as Kafka's INVALID_CONFIG messages.

import Testing

@testable import Cluster

@Suite struct LogConfigTests {
    @Test("the defaults are Kafka's")
    func defaults() {
        let config = LogConfig.default
        #expect(config.segmentBytes == 1_073_741_824)
        #expect(config.segmentMs == 604_800_000)
        #expect(config.retentionMs == 604_800_000)
        #expect(config.retentionBytes == -1)
        #expect(config.indexIntervalBytes == 4096)
        #expect(config.segmentIndexBytes == 10_485_760)
        #expect(config.flushMessages == .max && config.flushMs == .max)
        #expect(config.messageTimestampType == .createTime)
        #expect(config.maxMessageBytes == 1_048_588)
        #expect(config.offsetIndexEntriesMax == 1_310_720)
        for key in LogConfig.keys {
            #expect(key.value(in: config) == key.kafkaDefault, "\(key.name)")
        }
    }

    @Test("small segments and short rolls are accepted for teaching")
    func smallValues() throws {
        let config = try LogConfig.parse([
            "segment.bytes": "16384", "segment.ms": "1000", "retention.bytes": "-1",
        ]).get()
        #expect(config.segmentBytes == 16_384)
        #expect(config.segmentMs == 1_000)
        let stamped = try LogConfig.parse(["message.timestamp.type": "LogAppendTime"]).get()
        #expect(stamped.messageTimestampType == .logAppendTime)
    }

    @Test(
        "bad values are refused with Kafka's wording and INVALID_CONFIG",
        arguments: [
            ("segment.bytes", "10", "Value must be at least 14"),
            ("segment.bytes", "big", "Not a number of type INT"),
            ("segment.bytes", "4294967296", "Not a number of type INT"),
            ("segment.ms", "0", "Value must be at least 1"),
            ("retention.ms", "-2", "Value must be at least -1"),
            ("message.timestamp.type", "Now", "String must be one of: CreateTime, LogAppendTime"),
            ("flush.messages", "0", "Value must be at least 1"),
            ("segment.bytes", "13", "Value must be at least 14"),
            ("max.message.bytes", "-1", "Value must be at least 0"),
            ("retention.ms", "1e3", "Not a number of type LONG"),
            ("retention.ms", "", "Not a number of type LONG"),
        ])
    func refusals(key: String, value: String, reason: String) {
        guard case .failure(let error) = LogConfig.parse([key: value]) else {
            Issue.record("\(key)=\(value) was accepted")
            return
        }
        #expect(error == LogConfigError(key: key, value: value, reason: reason))
        #expect(error.errorCode == .invalidConfig)
        #expect(error.description == "Invalid value \(value) for configuration \(key): \(reason)")
    }

    @Test("numbers are read after trimming spaces, as Kafka's ConfigDef does; 14 bytes is the smallest segment")
    func trimmedAndSmallest() throws {
        let config = try LogConfig.parse(["retention.ms": " 60000 ", "segment.bytes": "14"]).get()
        #expect(config.retentionMs == 60_000)
        #expect(config.segmentBytes == 14)
    }

    @Test("settings the log does not own are left to the caller; the table is sorted")
    func otherKeys() throws {
        let config = try LogConfig.parse(["cleanup.policy": "compact", "min.insync.replicas": "2"])
            .get()
        #expect(config == .default)
        let names = LogConfig.keys.map(\.name)
        #expect(names == names.sorted())
        #expect(LogConfig.default.settings.first?.name == "flush.messages")
    }
}
