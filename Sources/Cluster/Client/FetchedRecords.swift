// Client room: turns one partition's RECORDS from a Fetch answer into the records a consumer
// returns: whole batches decoded, records below the fetch offset and control batches skipped.

import NIOCore

/// The records of one fetched partition at or after the fetch offset, and the next offset
/// to fetch from.
///
/// A broker answers from the start of the batch holding the fetch offset, so the first batch
/// may begin before it: those records were already consumed and are skipped. Control batches
/// (transaction markers) are skipped, and a partial batch at the end (cut by
/// `max.partition.fetch.bytes`) is left for the next fetch. The next offset is one past the
/// last whole batch, so a batch whose records were all removed by compaction is stepped over.
/// Mirrors Kafka's `CompletedFetch`.
struct FetchedRecords: Sendable, Equatable {
    var records: [ConsumedRecord]
    var nextFetchOffset: Int64

    static func decode(
        _ bytes: ByteBuffer?, from tp: TopicPartition, fetchOffset: Int64
    ) throws(KafkaClientError) -> FetchedRecords {
        guard let bytes, bytes.readableBytes > 0 else {
            return FetchedRecords(records: [], nextFetchOffset: fetchOffset)
        }
        let batches: [DecodedRecordBatch]
        do {
            batches = try RecordBatchDecoder.decodeAll(bytes).batches
        } catch {
            throw .corruptRecords(tp, error.description)
        }
        var records: [ConsumedRecord] = []
        var next = fetchOffset
        for batch in batches {
            // Computed with overflow checks: the header's fields are the broker's bytes.
            let header = batch.header
            let (last, overflow) = header.baseOffset.addingReportingOverflow(
                Int64(header.lastOffsetDelta))
            let (end, overflow2) = last.addingReportingOverflow(1)
            guard !overflow, !overflow2 else {
                throw .corruptRecords(tp, "batch last offset overflows")
            }
            guard end > fetchOffset else { continue }
            next = max(next, end)
            if header.isControl { continue }
            for record in batch.records where record.offset >= fetchOffset {
                records.append(ConsumedRecord(record, in: tp))
            }
        }
        return FetchedRecords(records: records, nextFetchOffset: next)
    }
}
