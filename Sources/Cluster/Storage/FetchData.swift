// Storage room: what a read returns: whole record batches as bytes, plus where they lie in
// the segment file so a network layer could send them with a FileRegion instead.

import NIOCore

/// The bytes a fetch returns from one segment.
///
/// Mirrors Kafka's `FetchDataInfo`. `records` holds whole batches only; the first may be
/// larger than the requested maximum (Kafka returns it anyway so a consumer can always make
/// progress). `position` and `records.readableBytes` locate the same bytes in
/// `segmentFileName`, which is what a zero-copy `FileRegion` would need.
public struct FetchData: Sendable {
    public var records: ByteBuffer
    /// The offset asked for.
    public var fetchOffset: Int64
    /// One past the last offset returned; `fetchOffset` when nothing was returned.
    public var nextFetchOffset: Int64
    public var batchCount: Int
    /// The segment the bytes came from (its base offset) and their file position there.
    public var segmentBaseOffset: Int64
    public var segmentFileName: String
    public var position: Int
    /// True when the first batch alone is larger than the maximum asked for.
    public var firstBatchExceedsMaxBytes: Bool
    public var logStartOffset: Int64
    public var logEndOffset: Int64

    public var isEmpty: Bool { records.readableBytes == 0 }
}
