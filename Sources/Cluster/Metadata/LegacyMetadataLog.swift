// Metadata room: reads and writes `cluster-metadata.log`, the file the embedded cluster kept
// its metadata records in before the Raft log: int32 size, uint32 CRC-32C of the body, body.
// Pure: bytes in, records out; the caller owns the file.

import NIOCore

/// The pre-KRaft metadata file of a data directory.
///
/// Each entry is an int32 body size, a CRC-32C of the body, and the body: one framed metadata
/// record. Files written before this project used Kafka's type ids hold `RemoveTopicRecord` as
/// type 5 version 0; Kafka's type 5 is `PartitionChangeRecord`, which this project writes only
/// at version 2, so type 5 version 0 in this file is read as the old removal and everything
/// else through `MetadataRecord`. The old `RegisterBrokerRecord` v1 and `PartitionRecord` v0
/// were already Kafka's layouts. A later step converts such a file into the Raft log.
public enum LegacyMetadataLog {
    public static let fileName = "cluster-metadata.log"
    /// The record type the old encoding gave `RemoveTopicRecord`.
    static let legacyRemoveTopicType: UInt32 = 5
    /// Bytes before each body: int32 size and uint32 CRC-32C.
    static let entryHeaderBytes = 8

    /// What a file held: the records of its intact prefix, and that prefix's length. Bytes
    /// after it are a torn or damaged tail (a crash mid-write) that the caller cuts off.
    public struct Contents: Equatable, Sendable {
        public var records: [MetadataRecord]
        public var validBytes: Int
    }

    /// Reads entries until the bytes end or an entry is short, fails its CRC or does not decode.
    public static func decode(_ bytes: ByteBuffer) -> Contents {
        var buffer = bytes
        var records: [MetadataRecord] = []
        var valid = 0
        while let size = buffer.getInteger(
            at: buffer.readerIndex, endianness: .big, as: Int32.self),
            size >= 0,
            let crc = buffer.getInteger(
                at: buffer.readerIndex + 4, endianness: .big, as: UInt32.self),
            let body = buffer.getSlice(at: buffer.readerIndex + entryHeaderBytes, length: Int(size))
        {
            let computed = body.withUnsafeReadableBytes { CRC32C.checksum($0) }
            guard computed == crc, let record = try? decodeRecord(body) else { break }
            records.append(record)
            buffer.moveReaderIndex(forwardBy: entryHeaderBytes + Int(size))
            valid += entryHeaderBytes + Int(size)
        }
        return Contents(records: records, validBytes: valid)
    }

    /// One body, in the old or the new encoding.
    public static func decodeRecord(_ body: ByteBuffer) throws(DecodeError) -> MetadataRecord {
        var r = WireReader(body)
        let frame = try r.readUnsignedVarint("frame_version")
        let type = try r.readUnsignedVarint("record_type")
        let version = try r.readUnsignedVarint("record_version")
        guard frame == MetadataRecord.frameVersion, type == legacyRemoveTopicType, version == 0
        else {
            return try MetadataRecord.decode(body)
        }
        let record = MetadataRecord.removeTopic(try RemoveTopicRecord(from: &r, version: 0))
        guard r.isAtEnd else {
            throw .invalid(
                field: "record", reason: "\(r.remaining) bytes after the old RemoveTopicRecord")
        }
        return record
    }

    /// Entries for `records` in the new encoding, to append to the file.
    public static func encode(_ records: [MetadataRecord]) -> ByteBuffer {
        var out = ByteBuffer()
        for record in records {
            let body = record.serialized
            let crc = body.withUnsafeReadableBytes { CRC32C.checksum($0) }
            // One record is far below 2 GiB, so its size fits the int32.
            out.writeInteger(Int32(body.readableBytes), endianness: .big)
            out.writeInteger(crc, endianness: .big)
            out.writeImmutableBuffer(body)
        }
        return out
    }
}
