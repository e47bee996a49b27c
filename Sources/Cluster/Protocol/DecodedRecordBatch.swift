// Protocol room: a RecordBatch with its records decoded, for clients and the REPL. The broker
// never builds one; it keeps batches as bytes.

/// A batch header and every record in it, offsets and timestamps made absolute.
///
/// The header keeps the batch-level facts a consumer needs beside the records: whether it is a
/// control batch (transaction markers, which consumers skip), its producer ID and epoch, its
/// compression. Mirrors what Kafka's `DefaultRecordBatch` iterator yields.
public struct DecodedRecordBatch: Equatable, Sendable {
    public var header: RecordBatchHeader
    public var records: [ConsumerRecord]

    public init(header: RecordBatchHeader, records: [ConsumerRecord]) {
        self.header = header
        self.records = records
    }
}
