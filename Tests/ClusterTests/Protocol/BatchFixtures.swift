// Protocol tests: record batch fixtures shared by the record, builder and decoder suites, and
// helpers to edit a batch's bytes and seal it again with a correct CRC-32C.

import NIOCore

@testable import Cluster

/// Batches as bytes, with where each came from, plus byte-editing helpers for tests.
enum BatchFixtures {
    /// A 1-record batch assembled by hand from the RecordBatch v2 layout: key "k", value "v1",
    /// header h="x", CreateTime 1_700_000_000_000, not idempotent, partition leader epoch -1.
    /// The CRC (0x9F24BF72) was computed with kafka-python 3.0.12's own CRC-32C
    /// (`kafka.record._crc32c.crc`) over bytes 21..<75, and kafka-python's
    /// `DefaultRecordBatch` reads the bytes back as the same record.
    static let handBuilt: [UInt8] = hex(
        "0000000000000000"  // baseOffset 0
            + "0000003f"  // batchLength 63 = 75 - 12
            + "ffffffff"  // partitionLeaderEpoch -1
            + "02"  // magic
            + "9f24bf72"  // crc
            + "0000"  // attributes: no compression, CreateTime
            + "00000000"  // lastOffsetDelta 0
            + "0000018bcfe56800"  // baseTimestamp 1_700_000_000_000
            + "0000018bcfe56800"  // maxTimestamp
            + "ffffffffffffffff" + "ffff" + "ffffffff"  // producer ID, epoch, sequence -1
            + "00000001"  // recordsCount 1
            + handBuiltRecord)

    /// The record of `handBuilt`: length 13 (zig-zag 0x1a), attributes 0, timestampDelta 0,
    /// offsetDelta 0, key length 1 (0x02) "k", value length 2 (0x04) "v1", one header (0x02):
    /// key length 1 "h", value length 1 "x".
    static let handBuiltRecord =
        "1a" + "00" + "00" + "00" + "026b" + "047631" + "02" + "0268" + "0278"

    /// Written by kafka-python 3.0.12's `DefaultRecordBatchBuilder` (the encoder its
    /// KafkaProducer uses), offline: magic 2, no compression, producer -1/-1/-1, records
    /// (offset 0, ts 1_700_000_000_000, key "k", value "v1", headers [("h", "x")]) and
    /// (offset 1, ts 1_700_000_000_005, key None, value "", headers [("trace", None)]).
    /// kafka-python writes partition leader epoch 0 where Java writes -1.
    static let kafkaPythonPlain: [UInt8] = hex(
        "00000000000000000000004d0000000002b49caa7b0000000000010000018bcfe568000000018bcfe56805"
            + "ffffffffffffffffffffffffffff000000021a000000026b04763102026802781a000a020100020a7472"
            + "61636501")

    /// Written by kafka-python 3.0.12's `DefaultRecordBatchBuilder` with compression_type=1
    /// (gzip), producer_id 7, epoch 0, base_sequence 0: (offset 0, ts 1_700_000_000_000,
    /// "order-1", "hello ×6"), (1, ts 1_699_999_999_990, "order-2", None, [("h", "x")]),
    /// (2, ts 1_700_000_000_007, None, "hello ×6"). Its gzip header carries a real mtime.
    static let kafkaPythonGzip: [UInt8] = hex(
        "00000000000000000000006f0000000002cbcb16ab0001000000020000018bcfe568000000018bcfe56807"
            + "0000000000000007000000000000000000031f8b0800d8d9066b02ff4b606060e0cb2f4a492dd23574cb"
            + "48cdc9c957c04b32283108334135183132316530550431f0b13012a517001f0efe686d000000")

    static let hello6 = Array("hello hello hello hello hello hello".utf8)

    static func hex(_ text: String) -> [UInt8] {
        var out: [UInt8] = []
        var chars = text.makeIterator()
        while let high = chars.next(), let low = chars.next() {
            if let byte = UInt8(String([high, low]), radix: 16) { out.append(byte) }
        }
        return out
    }

    static func buffer(_ bytes: [UInt8]) -> ByteBuffer { ByteBuffer(bytes: bytes) }

    static func bytes(_ buffer: ByteBuffer) -> [UInt8] {
        buffer.getBytes(at: buffer.readerIndex, length: buffer.readableBytes) ?? []
    }

    /// Recomputes the CRC of the single batch in `bytes` after a test edited it.
    static func resealed(_ bytes: [UInt8]) -> [UInt8] {
        var buffer = ByteBuffer(bytes: bytes)
        let crc = RecordBatchView.crcOfBatch(buffer, at: 0, totalSize: bytes.count)
        buffer.setInteger(crc, at: RecordBatchHeader.crcAt, endianness: .big)
        return Self.bytes(buffer)
    }

    /// Overwrites a big-endian integer at `index` of `bytes`.
    static func setting<T: FixedWidthInteger>(_ value: T, at index: Int, in bytes: [UInt8])
        -> [UInt8]
    {
        var buffer = ByteBuffer(bytes: bytes)
        buffer.setInteger(value, at: index, endianness: .big)
        return Self.bytes(buffer)
    }

    /// A batch header followed by `section`, with a correct length and CRC.
    static func sealedBatch(
        section: [UInt8], recordsCount: Int32, lastOffsetDelta: Int32, attributes: Int16 = 0,
        baseTimestamp: Int64 = 1_700_000_000_000
    ) -> [UInt8] {
        var w = WireWriter()
        w.writeInt64(0)
        w.writeInt32(Int32(RecordBatchHeader.size - RecordBatchHeader.logOverhead + section.count))
        w.writeInt32(-1)
        w.writeInt8(2)
        w.writeUInt32(0)
        w.writeInt16(attributes)
        w.writeInt32(lastOffsetDelta)
        w.writeInt64(baseTimestamp)
        w.writeInt64(baseTimestamp)
        w.writeInt64(-1)
        w.writeInt16(-1)
        w.writeInt32(-1)
        w.writeInt32(recordsCount)
        w.buffer.writeBytes(section)
        return resealed(bytes(w.buffer))
    }
}
