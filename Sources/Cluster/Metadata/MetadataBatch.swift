// Metadata room: batches of the KRaft metadata log `__cluster_metadata-0` as RecordBatch v2
// bytes: metadata records as record values with null keys, or a control batch holding the
// LeaderChangeMessage a new leader writes. Pure: the timestamp comes in as data.

import NIOCore

/// Why metadata batch bytes could not be built or read.
public enum MetadataBatchError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A batch needs at least one record.
    case empty
    /// The RecordBatch could not be built (too large for `Limits.metadataBatchBytesMax`).
    case build(RecordBatchBuilderError)
    /// The RecordBatch itself is bad: length, magic, CRC, record framing.
    case batch(RecordDecodeError)
    /// The bytes end inside a batch.
    case partialBatch(bytes: Int)
    /// Record `index` of the batch at `baseOffset` is not at `baseOffset + index`.
    case offsetGap(baseOffset: Int64, index: Int, offset: Int64)
    /// A data record without a value.
    case nullValue(offset: Int64)
    /// A record's value is not a metadata record we read.
    case record(offset: Int64, DecodeError)
    /// A control record's key or value is malformed.
    case controlRecord(offset: Int64, DecodeError)
    /// A control record type other than LeaderChange (2): snapshot header/footer, KRaft
    /// version or voters records, which this project does not write.
    case unsupportedControlType(offset: Int64, type: Int16)
    /// A control batch holding other than exactly one record.
    case controlRecordCount(baseOffset: Int64, count: Int)

    public var description: String {
        switch self {
        case .empty: return "a metadata batch needs at least one record"
        case .build(let e): return "cannot build the metadata batch: \(e)"
        case .batch(let e): return "bad metadata batch: \(e)"
        case .partialBatch(let n): return "the bytes end \(n) byte(s) into a batch"
        case .offsetGap(let base, let index, let offset):
            return "record \(index) of the batch at \(base) has offset \(offset)"
        case .nullValue(let offset): return "the metadata record at offset \(offset) has no value"
        case .record(let offset, let e): return "the metadata record at offset \(offset): \(e)"
        case .controlRecord(let offset, let e):
            return "the control record at offset \(offset): \(e)"
        case .unsupportedControlType(let offset, let type):
            return
                "the control record at offset \(offset) has type \(type); only LeaderChange (2) is read"
        case .controlRecordCount(let base, let count):
            return "the control batch at \(base) holds \(count) records, not 1"
        }
    }
}

/// One batch of the metadata log, as KRaft stores and replicates it.
///
/// A data batch holds metadata records, one per RecordBatch record, with a null key and the
/// framed record (`MetadataRecord.serialized`) as value. A control batch (attribute bit 5)
/// holds one control record: key = version int16 0 + type int16 2 (LEADER_CHANGE), value =
/// `LeaderChangeMessage` v0. The header carries `baseOffset` and the quorum epoch as the
/// partition leader epoch; producer id, epoch and sequence are -1. Mirrors what Kafka's
/// `BatchAccumulator` and `LeaderState.appendStartOfEpochControlRecords` write.
public struct MetadataBatch: Equatable, Sendable {
    public enum Content: Equatable, Sendable {
        case records([MetadataRecord])
        case leaderChange(LeaderChangeMessage)
    }

    public var baseOffset: Int64
    /// The quorum epoch of the leader that wrote the batch (its partition leader epoch).
    public var leaderEpoch: Int32
    public var content: Content

    /// Kafka's `ControlRecordType.LEADER_CHANGE`.
    public static let leaderChangeControlType: Int16 = 2
    /// `ControlRecordType.CURRENT_CONTROL_RECORD_KEY_VERSION`.
    static let controlKeyVersion: Int16 = 0

    public init(baseOffset: Int64, leaderEpoch: Int32, content: Content) {
        self.baseOffset = baseOffset
        self.leaderEpoch = leaderEpoch
        self.content = content
    }

    /// How many offsets the batch takes.
    public var count: Int {
        switch content {
        case .records(let records): return records.count
        case .leaderChange: return 1
        }
    }

    public var lastOffset: Int64 { baseOffset + Int64(count) - 1 }

    public var isControl: Bool {
        if case .leaderChange = content { return true }
        return false
    }

    // MARK: - Encoding

    /// The batch as RecordBatch v2 bytes, every record stamped with `timestamp` (CreateTime,
    /// milliseconds), base offset and leader epoch in the header, CRC-32C filled in.
    public func encode(timestamp: Int64) throws(MetadataBatchError) -> ByteBuffer {
        var builder = RecordBatchBuilder(
            isControl: isControl, batchBytesMax: Limits.metadataBatchBytesMax)
        let entries: [RecordBatchBuilder.Entry]
        switch content {
        case .records(let records):
            guard !records.isEmpty else { throw .empty }
            entries = records.map {
                RecordBatchBuilder.Entry(
                    key: nil, value: Array($0.serialized.readableBytesView), timestamp: timestamp)
            }
        case .leaderChange(let message):
            var key = WireWriter()
            key.writeInt16(Self.controlKeyVersion)
            key.writeInt16(Self.leaderChangeControlType)
            var value = WireWriter()
            message.encode(to: &value)
            entries = [
                RecordBatchBuilder.Entry(
                    key: Array(key.buffer.readableBytesView),
                    value: Array(value.buffer.readableBytesView),
                    timestamp: timestamp)
            ]
        }
        var batch: ByteBuffer
        do {
            try builder.append(contentsOf: entries)
            batch = try builder.build()
        } catch {
            throw .build(error)
        }
        RecordBatchView.stamp(
            &batch, at: batch.readerIndex, baseOffset: baseOffset, partitionLeaderEpoch: leaderEpoch
        )
        return batch
    }

    /// Several batches back to back, as they sit in a segment or a Fetch response.
    public static func encode(_ batches: [MetadataBatch], timestamp: Int64)
        throws(MetadataBatchError) -> ByteBuffer
    {
        var out = ByteBuffer()
        for batch in batches {
            var bytes = try batch.encode(timestamp: timestamp)
            out.writeBuffer(&bytes)
        }
        return out
    }

    // MARK: - Decoding

    /// Every batch in `bytes`, which must end at a batch boundary. Each batch is validated
    /// (length, magic, CRC-32C) before its records are read.
    public static func decode(_ bytes: ByteBuffer) throws(MetadataBatchError) -> [MetadataBatch] {
        let all: (batches: [DecodedRecordBatch], partialBatchBytes: Int)
        do {
            all = try RecordBatchDecoder.decodeAll(
                bytes, batchBytesMax: Limits.metadataBatchBytesMax)
        } catch {
            throw .batch(error)
        }
        guard all.partialBatchBytes == 0 else { throw .partialBatch(bytes: all.partialBatchBytes) }
        var out: [MetadataBatch] = []
        out.reserveCapacity(all.batches.count)
        for batch in all.batches { out.append(try MetadataBatch(batch)) }
        return out
    }

    /// One decoded RecordBatch read as a metadata batch.
    init(_ batch: DecodedRecordBatch) throws(MetadataBatchError) {
        let base = batch.header.baseOffset
        for (index, record) in batch.records.enumerated() {
            let (expected, overflow) = base.addingReportingOverflow(Int64(index))
            guard !overflow, record.offset == expected else {
                throw .offsetGap(baseOffset: base, index: index, offset: record.offset)
            }
        }
        let content: Content
        if batch.header.isControl {
            guard batch.records.count == 1, let record = batch.records.first else {
                throw .controlRecordCount(baseOffset: base, count: batch.records.count)
            }
            content = .leaderChange(try Self.leaderChange(record))
        } else {
            var records: [MetadataRecord] = []
            records.reserveCapacity(batch.records.count)
            for record in batch.records {
                // Kafka reads only the value of a metadata record; the key is not looked at.
                guard let value = record.value else { throw .nullValue(offset: record.offset) }
                do {
                    records.append(try MetadataRecord.decode(ByteBuffer(bytes: value)))
                } catch {
                    throw .record(offset: record.offset, error)
                }
            }
            content = .records(records)
        }
        self.init(
            baseOffset: base, leaderEpoch: batch.header.partitionLeaderEpoch, content: content)
    }

    /// A control record's key (version, type) and LeaderChangeMessage value.
    private static func leaderChange(_ record: ConsumerRecord) throws(MetadataBatchError)
        -> LeaderChangeMessage
    {
        let type: Int16
        do {
            type = try controlType(record.key)
        } catch {
            throw .controlRecord(offset: record.offset, error)
        }
        guard type == leaderChangeControlType else {
            throw .unsupportedControlType(offset: record.offset, type: type)
        }
        do {
            return try leaderChangeMessage(record.value)
        } catch {
            throw .controlRecord(offset: record.offset, error)
        }
    }

    /// The type in a control record key (Kafka's `ControlRecordType.parseTypeId`): version
    /// int16, which must not be negative, then type int16.
    private static func controlType(_ key: [UInt8]?) throws(DecodeError) -> Int16 {
        var reader = WireReader(ByteBuffer(bytes: key ?? []))
        let version = try reader.readInt16("ControlRecordKey.version")
        guard version >= 0 else {
            throw .invalid(field: "ControlRecordKey.version", reason: "negative version \(version)")
        }
        return try reader.readInt16("ControlRecordKey.type")
    }

    private static func leaderChangeMessage(_ value: [UInt8]?) throws(DecodeError)
        -> LeaderChangeMessage
    {
        guard let value else { throw .invalid(field: "LeaderChangeMessage", reason: "null value") }
        var reader = WireReader(ByteBuffer(bytes: value))
        let message = try LeaderChangeMessage(from: &reader)
        guard reader.isAtEnd else {
            throw .invalid(
                field: "LeaderChangeMessage", reason: "\(reader.remaining) bytes left over")
        }
        return message
    }
}
