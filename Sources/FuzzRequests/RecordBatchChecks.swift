// Fuzz harness: RECORDS bytes through the broker's batch view and the client's record decoder,
// with their round trips: stamping keeps a batch valid, and decoded records rebuild to themselves.

import Cluster
import NIOCore

/// Properties of the RecordBatch v2 readers that must hold for any bytes.
enum RecordBatchChecks {
    static func check(_ records: ByteBuffer) {
        checkView(records)
        checkDecoder(records)
    }

    /// (b) `RecordBatchView.batches(in:)`. For each valid batch, the broker's in-place stamps
    /// (base offset and leader epoch, outside the CRC; LogAppendTime, which rewrites the CRC)
    /// must leave it valid and change only the fields they set.
    private static func checkView(_ records: ByteBuffer) {
        guard case .success(let batches) = RecordBatchView.batches(in: records) else { return }
        for (index, header) in batches {
            var stamped = records
            RecordBatchView.stamp(&stamped, at: index, baseOffset: 1_234, partitionLeaderEpoch: 5)
            guard case .success(var after) = RecordBatchView.validate(stamped, at: index) else {
                preconditionFailure("a stamped batch no longer validates")
            }
            precondition(
                after.baseOffset == 1_234 && after.partitionLeaderEpoch == 5, "stamp did not stick")
            after.baseOffset = header.baseOffset
            after.partitionLeaderEpoch = header.partitionLeaderEpoch
            precondition(after == header, "stamp changed fields it does not own")

            RecordBatchView.stampLogAppendTime(&stamped, at: index, timestamp: 1_700_000_000_000)
            guard case .success(let appended) = RecordBatchView.validate(stamped, at: index) else {
                preconditionFailure("a LogAppendTime-stamped batch no longer validates")
            }
            precondition(
                appended.timestampType == .logAppendTime
                    && appended.maxTimestamp == 1_700_000_000_000,
                "LogAppendTime stamp did not stick")
        }
    }

    /// (b) `RecordBatchDecoder.decodeAll`, then each decoded batch rebuilt from its records
    /// (same header fields, records re-encoded, gzip again if it was gzip) must decode to the
    /// same header and records.
    private static func checkDecoder(_ records: ByteBuffer) {
        guard let (batches, partial) = try? RecordBatchDecoder.decodeAll(records) else { return }
        precondition(
            partial >= 0 && partial <= records.readableBytes, "partialBatchBytes out of range")
        for batch in batches {
            let rebuilt = rebuild(batch)
            let again: DecodedRecordBatch
            do {
                again = try RecordBatchDecoder.decode(
                    rebuilt, at: rebuilt.readerIndex, batchBytesMax: Int(Int32.max),
                    decompressedBytesMax: Int(Int32.max))
            } catch {
                preconditionFailure("a rebuilt batch does not decode: \(error)")
            }
            var header = again.header
            header.batchLength = batch.header.batchLength
            header.crc = batch.header.crc
            precondition(header == batch.header, "batch header changed in a round trip")
            precondition(again.records == batch.records, "records changed in a round trip")
        }
    }

    /// The batch's header fields around its records encoded afresh, with length and CRC-32C
    /// recomputed: what a correct encoder makes of the decoded values.
    private static func rebuild(_ batch: DecodedRecordBatch) -> ByteBuffer {
        let header = batch.header
        var section = WireWriter()
        for record in batch.records {
            let timestampDelta =
                header.timestampType == .createTime ? record.timestamp &- header.baseTimestamp : 0
            Record(
                timestampDelta: timestampDelta,
                offsetDelta: Int32(truncatingIfNeeded: record.offset &- header.baseOffset),
                key: record.key, value: record.value, headers: record.headers
            ).encode(to: &section)
        }
        var body = section.buffer
        if header.compression == .gzip {
            do {
                body = ByteBuffer(bytes: try Gzip.compress(Array(section.buffer.readableBytesView)))
            } catch {
                preconditionFailure("gzip failed on rebuilt records: \(error)")
            }
        }
        var writer = WireWriter()
        writer.writeInt64(header.baseOffset)
        writer.writeInt32(
            Int32(RecordBatchHeader.size - RecordBatchHeader.logOverhead + body.readableBytes))
        writer.writeInt32(header.partitionLeaderEpoch)
        writer.writeInt8(header.magic)
        writer.writeUInt32(0)
        writer.writeInt16(header.attributes)
        writer.writeInt32(header.lastOffsetDelta)
        writer.writeInt64(header.baseTimestamp)
        writer.writeInt64(header.maxTimestamp)
        writer.writeInt64(header.producerId)
        writer.writeInt16(header.producerEpoch)
        writer.writeInt32(header.baseSequence)
        writer.writeInt32(header.recordsCount)
        writer.writeRaw(body)
        var out = writer.buffer
        let crc = RecordBatchView.crcOfBatch(out, at: out.readerIndex, totalSize: out.readableBytes)
        out.setInteger(crc, at: out.readerIndex + 17, endianness: .big)
        return out
    }
}
