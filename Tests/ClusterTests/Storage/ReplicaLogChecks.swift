// Storage tests: the rules a replica's log keeps after any operation or crash: it holds a
// prefix of what it should, its epoch cache agrees with its batches and its checkpoint file,
// and its high watermark lies inside it. Shared by the crash tests and the seeded simulation.

import NIOCore

@testable import Cluster

/// The rules a replica log must keep after any operation or crash.
enum ReplicaLogChecks {
    /// Checks the log holds a prefix of one of `models`, that its epoch cache agrees with its
    /// batches and its checkpoint file, and that the high watermark lies inside it. Returns
    /// the batches found.
    @discardableResult
    static func check(
        _ log: PartitionLog, fixture: LogFixture, against models: [[ReplicaLogSimulation.Batch]],
        context: String
    ) throws -> [ReplicaLogSimulation.Batch] {
        let found = try batches(of: log)
        let isPrefix = models.contains { model in
            let byBase = Dictionary(model.map { ($0.base, $0.bytes) }, uniquingKeysWith: { $1 })
            let modelEnd = model.last.flatMap { try? lastOffset($0) + 1 }
            return found.allSatisfy { byBase[$0.base] == $0.bytes }
                && (found.last.flatMap { try? lastOffset($0) + 1 } ?? 0) <= (modelEnd ?? .max)
        }
        guard isPrefix else {
            throw ReplicaLogSimulation.Violation(
                description: "\(context): the log holds \(found.map(\.base)), "
                    + "not a prefix of \(models.map { $0.map(\.base) })")
        }
        try checkEpochs(found, log: log, fixture: fixture)
        guard log.logStartOffset <= log.highWatermark, log.highWatermark <= log.logEndOffset else {
            throw ReplicaLogSimulation.Violation(
                description: "\(context): high watermark \(log.highWatermark) outside "
                    + "[\(log.logStartOffset), \(log.logEndOffset)]")
        }
        return found
    }

    private static func checkEpochs(
        _ found: [ReplicaLogSimulation.Batch], log: PartitionLog, fixture: LogFixture
    )
        throws
    {
        let cache = log.leaderEpochCache
        let entries = cache.entries
        for (a, b) in zip(entries, entries.dropFirst())
        where !(a.epoch < b.epoch && a.startOffset < b.startOffset) {
            throw ReplicaLogSimulation.Violation(
                description: "epoch cache not monotonic: \(entries)")
        }
        for batch in found {
            guard let header = RecordBatchHeader(ByteBuffer(bytes: batch.bytes), at: 0) else {
                continue
            }
            let offset = max(header.baseOffset, log.logStartOffset)
            let epoch = cache.epoch(forOffset: offset)
            guard header.partitionLeaderEpoch < 0 || epoch == header.partitionLeaderEpoch else {
                throw ReplicaLogSimulation.Violation(
                    description:
                        "batch \(header.baseOffset) is in epoch \(header.partitionLeaderEpoch)"
                        + " but the cache says \(String(describing: epoch)): \(entries)")
            }
        }
        for entry in entries
        where entry.startOffset < log.logStartOffset || entry.startOffset > log.logEndOffset {
            throw ReplicaLogSimulation.Violation(
                description: "epoch entry \(entry) outside the log: \(entries)")
        }
        let file = fixture.fs.contents(of: fixture.path(LeaderEpochCheckpointFile.fileName))
        guard file == Array(LeaderEpochCheckpointFile.encode(entries).utf8) else {
            throw ReplicaLogSimulation.Violation(
                description: "checkpoint file \(String(decoding: file ?? [], as: UTF8.self)) "
                    + "is not the cache \(entries)")
        }
    }

    /// Every batch from the log start to the log end, as stored.
    static func batches(of log: PartitionLog) throws -> [ReplicaLogSimulation.Batch] {
        var found: [ReplicaLogSimulation.Batch] = []
        var next = log.logStartOffset
        while next < log.logEndOffset {
            let data = try log.read(from: next, maxBytes: 1 << 20, upTo: .max)
            guard case .success(let list) = RecordBatchView.batches(in: data.records),
                !list.isEmpty
            else {
                throw ReplicaLogSimulation.Violation(description: "no batch readable at \(next)")
            }
            for (index, header) in list {
                let bytes = data.records.getBytes(at: index, length: header.totalSize) ?? []
                found.append(ReplicaLogSimulation.Batch(base: header.baseOffset, bytes: bytes))
            }
            next = data.nextFetchOffset
        }
        return found
    }

    static func lastOffset(_ batch: ReplicaLogSimulation.Batch) throws -> Int64 {
        guard let header = RecordBatchHeader(ByteBuffer(bytes: batch.bytes), at: 0) else {
            throw ReplicaLogSimulation.Violation(description: "a model batch has no header")
        }
        return header.lastOffset
    }

}
