// Embedded room: the read-only window the REPL and lesson checks look through: the metadata
// image, and each partition log as its broker holds it (offsets, segments, stored batches).

import NIOCore

/// One partition's log as seen on one broker, taken at one moment.
public struct PartitionLogSnapshot: Sendable, Equatable {
    public var topicPartition: TopicPartition
    public var broker: NodeID
    public var logStartOffset: Int64
    public var logEndOffset: Int64
    public var segments: [SegmentInfo]
    public var sizeInBytes: Int
}

extension EmbeddedCluster {
    /// Runs `body` on the log of `tp` held by `broker`, on that broker's event loop; nil when
    /// the broker is down or holds no such log.
    public func withLog<T: Sendable>(
        _ tp: TopicPartition, on broker: NodeID, _ body: @escaping @Sendable (PartitionLog) -> T
    ) async -> T? {
        guard let node = node(broker) else { return nil }
        return await node.inspect { b in b.logs[tp].map(body) } ?? nil
    }

    /// The broker that leads `tp` in the current image.
    public nonisolated func leader(of tp: TopicPartition) -> NodeID? {
        image.partition(tp.topic, tp.partition)?.leader
    }

    /// Offsets and segments of `tp` on `broker` (default: its leader).
    public func snapshot(_ tp: TopicPartition, broker: NodeID? = nil) async -> PartitionLogSnapshot? {
        guard let id = broker ?? leader(of: tp) else { return nil }
        return await withLog(tp, on: id) { log in
            PartitionLogSnapshot(topicPartition: tp, broker: id, logStartOffset: log.logStartOffset,
                                 logEndOffset: log.logEndOffset, segments: log.segments, sizeInBytes: log.sizeInBytes)
        }
    }

    /// Decoded records of `tp` from `offset`, at most `max`, read from the leader's log.
    public func records(_ tp: TopicPartition, from offset: Int64, max: Int) async -> [ConsumerRecord] {
        guard let id = leader(of: tp) else { return [] }
        return await withLog(tp, on: id) { log in
            var out: [ConsumerRecord] = []
            var next = Swift.max(offset, log.logStartOffset)
            while out.count < max, next < log.logEndOffset {
                guard let data = try? log.read(from: next, maxBytes: 1_048_576, upTo: log.logEndOffset),
                      !data.isEmpty, let (batches, _) = try? RecordBatchDecoder.decodeAll(data.records)
                else { break }
                for batch in batches {
                    for record in batch.records where record.offset >= next && out.count < max { out.append(record) }
                }
                next = data.nextFetchOffset
            }
            return out
        } ?? []
    }
}

/// What `log dump` shows of one segment: each batch header with its file position, and
/// optionally its decoded records.
public struct SegmentDump: Sendable {
    public struct Batch: Sendable {
        public var position: Int
        public var header: RecordBatchHeader
        public var records: [ConsumerRecord]?
        /// Why the records could not be shown (a codec we cannot decode), if so.
        public var recordsProblem: String?
    }
    public var broker: NodeID
    public var segment: SegmentInfo
    public var logStartOffset: Int64
    public var batches: [Batch]
    /// Why the walk stopped early (a torn or corrupt batch), if it did.
    public var stopReason: String?
}

extension EmbeddedCluster {
    /// The batches of one segment of `tp` on `broker` (default: the leader); `segment` picks a
    /// base offset (default: the first segment). At most `batchesMax` batches.
    public func dump(
        _ tp: TopicPartition, broker: NodeID? = nil, segment: Int64? = nil, records: Bool, batchesMax: Int = 10_000
    ) async -> Result<SegmentDump, DumpError> {
        guard let id = broker ?? leader(of: tp) else { return .failure(.noLeader) }
        let result: Result<SegmentDump, DumpError>? = await withLog(tp, on: id) { log in
            let segments = log.segments
            guard let chosen = segment.map({ base in segments.first { $0.baseOffset == base } }) ?? segments.first else {
                return .failure(.noSuchSegment(segments.map(\.baseOffset)))
            }
            guard var walk = try? log.batches(inSegment: chosen.baseOffset, verifyChecksums: true) else {
                return .failure(.noSuchSegment(segments.map(\.baseOffset)))
            }
            var batches: [SegmentDump.Batch] = []
            while batches.count < batchesMax, let entry = walk.next() {
                var batch = SegmentDump.Batch(position: entry.position, header: entry.header, records: nil, recordsProblem: nil)
                if records {
                    let start = Swift.max(entry.header.baseOffset, log.logStartOffset)
                    if let bytes = try? log.read(from: start, maxBytes: 1, upTo: log.logEndOffset).records {
                        do {
                            batch.records = try RecordBatchDecoder.decode(bytes, at: bytes.readerIndex).records
                        } catch {
                            batch.recordsProblem = "\(error)"
                        }
                    }
                }
                batches.append(batch)
            }
            var stop: String? = nil
            if case .invalid(let position, let reason)? = walk.stopReason { stop = "stopped at position \(position): \(reason)" }
            return .success(SegmentDump(broker: id, segment: chosen, logStartOffset: log.logStartOffset, batches: batches, stopReason: stop))
        }
        return result ?? .failure(.brokerDownOrNoLog(id))
    }
}

public enum DumpError: Error, Equatable, Sendable {
    case noLeader
    case brokerDownOrNoLog(NodeID)
    case noSuchSegment([Int64])
}

/// One committed batch of `__cluster_metadata-0` as a node holds it.
public struct MetadataLogEntry: Sendable {
    public var batch: MetadataBatch
}

extension EmbeddedCluster {
    /// The committed metadata log as `node` holds it (default: the active controller, else the
    /// lowest running node): Kafka has no API for this; `kafka-dump-log.sh` reads the file.
    public func metadataLog(node: NodeID? = nil, from offset: Int64 = 0) async -> (node: NodeID, batches: [MetadataBatch])? {
        let views = await quorumViews()
        guard let id = node ?? views.first(where: { $0.activeController })?.node ?? views.map(\.node).min(),
            let live = self.node(id)
        else { return nil }
        let batches = await live.inspectNode { n in
            n.raft.log.batches.filter { $0.lastOffset >= offset && $0.lastOffset < n.raft.highWatermark }
        }
        return batches.map { (id, $0) }
    }
}
