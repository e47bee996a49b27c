// Storage room: batches given their offsets for an append, and the bytes that go to the file
// for them (stamped header copies between untouched batch bytes, or one stamped copy).

import NIOCore

/// The outcome of stamping an append's batches: where each lies, its stamped header, and the
/// parts to write, in order.
///
/// Kafka stamps base offset and partition leader epoch into the produce request's own buffer
/// (`LogValidator` works on `MemoryRecords` in place). A `ByteBuffer` the caller still holds
/// would be copied whole by such a write, so for a few batches only their 61-byte headers
/// are copied and stamped, and the file gets each header copy followed by the untouched
/// rest of its batch in one gathered write.
struct StampedBatches {
    /// Position relative to the first batch, the stamped header, and the last offset.
    var batches: [(position: Int, header: RecordBatchHeader, lastOffset: Int64)] = []
    /// What the log file gets, in order.
    var parts: [ByteBuffer] = []
    var maxTimestamp = TimeIndex.noTimestamp
    var recordCount = 0
}
