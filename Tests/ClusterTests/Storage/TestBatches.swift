// Storage tests: builds valid RecordBatch v2 bytes (header, records, CRC-32C) for the
// storage tests. Private to these tests; the real builder lives elsewhere.

import NIOCore

@testable import Cluster

/// Valid v2 record batches made by hand: each record carries no key, a value of
/// `valueBytes` bytes and no headers; the CRC covers bytes 21 to the end, as Kafka's does.
enum TestBatches {
    static func batch(
        records: Int = 1, valueBytes: Int = 10, timestamp: Int64 = 1_000, timestampStep: Int64 = 1,
        baseOffset: Int64 = 0, fill: UInt8 = 0x61, attributes: Int16 = 0,
        lastOffsetDelta: Int32? = nil, partitionLeaderEpoch: Int32 = -1,
        producer: (id: Int64, epoch: Int16, baseSequence: Int32) = (-1, -1, -1)
    ) -> ByteBuffer {
        var body = WireWriter()
        for i in 0..<records {
            var record = WireWriter()
            record.writeInt8(0)  // attributes
            record.writeVarlong(Int64(i) * timestampStep)  // timestamp delta
            record.writeVarint(Int32(i))  // offset delta
            record.writeVarint(-1)  // null key
            record.writeVarint(Int32(valueBytes))
            record.buffer.writeRepeatingByte(fill, count: valueBytes)
            record.writeVarint(0)  // no headers
            body.writeVarint(Int32(record.buffer.readableBytes))
            body.writeRaw(record.buffer)
        }
        var writer = WireWriter()
        writer.writeInt64(baseOffset)
        writer.writeInt32(0)  // batch length, set below
        writer.writeInt32(partitionLeaderEpoch)
        writer.writeInt8(2)  // magic
        writer.writeUInt32(0)  // crc, set below
        writer.writeInt16(attributes)  // 0: no compression, CreateTime
        writer.writeInt32(lastOffsetDelta ?? Int32(records - 1))
        writer.writeInt64(timestamp)  // base timestamp
        writer.writeInt64(timestamp + Int64(records - 1) * timestampStep)  // max timestamp
        writer.writeInt64(producer.id)
        writer.writeInt16(producer.epoch)
        writer.writeInt32(producer.baseSequence)
        writer.writeInt32(Int32(records))
        writer.writeRaw(body.buffer)
        var bytes = writer.buffer
        bytes.setInteger(Int32(bytes.readableBytes - 12), at: 8, endianness: .big)
        let crc = bytes.withUnsafeReadableBytes {
            CRC32C.checksum(UnsafeRawBufferPointer(rebasing: $0[21...]))
        }
        bytes.setInteger(crc, at: 17, endianness: .big)
        return bytes
    }

    static func concat(_ batches: [ByteBuffer]) -> ByteBuffer {
        var out = ByteBuffer()
        for var batch in batches { out.writeBuffer(&batch) }
        return out
    }

    /// The bytes of a buffer as an array, for comparisons.
    static func bytes(_ buffer: ByteBuffer) -> [UInt8] {
        buffer.getBytes(at: buffer.readerIndex, length: buffer.readableBytes) ?? []
    }
}
