// Protocol room: one header of a record (KIP-82), a string key with nullable bytes. Headers
// travel inside each Record of a RecordBatch v2 and reach consumers unchanged.

/// A record header: a UTF-8 key and a value that may be null.
///
/// Headers carry metadata beside a record's key and value (tracing IDs, content types) without
/// touching the payload. Keys may repeat; order is kept. Mirrors Kafka's `RecordHeader`.
public struct RecordHeader: Hashable, Sendable {
    public var key: String
    public var value: [UInt8]?

    public init(key: String, value: [UInt8]?) {
        self.key = key
        self.value = value
    }
}
