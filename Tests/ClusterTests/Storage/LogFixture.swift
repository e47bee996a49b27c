// Storage tests: a partition directory on an in-memory disk, with the helpers most storage
// tests share (open, append N batches, read everything back).

import NIOCore

@testable import Cluster

/// One partition log on a `MemoryFileSystem`.
struct LogFixture {
    static let topicId = Uuid(
        mostSignificantBits: 0x0123_4567_89AB_CDEF, leastSignificantBits: 0x0FED_CBA9_8765_4321)
    let fs = MemoryFileSystem()
    let directory = "/data/node-1/orders-0"
    var config = LogConfig()

    init(_ configure: (inout LogConfig) -> Void = { _ in }) {
        configure(&config)
    }

    func open(
        recoveryPoint: Int64?, logStartOffset: Int64? = nil, highWatermark: Int64? = nil,
        wallClockMs: Int64 = 0
    ) throws -> (PartitionLog, RecoveryReport) {
        try PartitionLog.open(
            directory: directory, topicId: Self.topicId, config: config, fs: fs,
            recoveryPoint: recoveryPoint, logStartOffset: logStartOffset,
            highWatermark: highWatermark, now: .zero, wallClockMs: wallClockMs)
    }

    func openNew() throws -> PartitionLog { try open(recoveryPoint: nil).0 }

    func path(_ name: String) -> String { directory + "/" + name }
}

extension PartitionLog {
    /// Appends `count` single-batch appends of `records` records each, timestamps from
    /// `timestamp` on, and returns what each append said.
    @discardableResult
    mutating func appendBatches(
        _ count: Int, records: Int = 1, valueBytes: Int = 10, timestamp: Int64 = 1_000,
        timestampStep: Int64 = 0,
        wallClockMs: Int64 = 0
    ) throws -> [AppendInfo] {
        var infos: [AppendInfo] = []
        for i in 0..<count {
            let batch = TestBatches.batch(
                records: records, valueBytes: valueBytes,
                timestamp: timestamp + Int64(i) * timestampStep)
            infos.append(try append(batch, leaderEpoch: 0, wallClockMs: wallClockMs))
        }
        return infos
    }

    /// Every batch header from `offset` to the log end, read through `read`.
    func readAllHeaders(from offset: Int64? = nil) throws -> [RecordBatchHeader] {
        var headers: [RecordBatchHeader] = []
        var next = offset ?? logStartOffset
        while next < logEndOffset {
            let data = try read(from: next, maxBytes: 1 << 20, upTo: .max)
            guard case .success(let found) = RecordBatchView.batches(in: data.records),
                !found.isEmpty
            else { break }
            headers += found.map(\.header)
            next = data.nextFetchOffset
        }
        return headers
    }
}

extension PartitionLog {
    /// The stored bytes of every batch from `offset` to the log end, concatenated: what a
    /// follower fetching from `offset` copies.
    func storedBytes(from offset: Int64) throws -> ByteBuffer {
        var out = ByteBuffer()
        var next = offset
        while next < logEndOffset {
            let data = try read(from: next, maxBytes: 1 << 20, upTo: .max)
            guard data.batchCount > 0 else { break }
            var records = data.records
            out.writeBuffer(&records)
            next = data.nextFetchOffset
        }
        return out
    }
}
