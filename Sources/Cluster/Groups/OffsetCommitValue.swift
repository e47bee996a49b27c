// Groups room: the value of an offset commit record (OffsetCommitValue, versions 0-4). v1
// carries an expire timestamp, v3 the leader epoch, v4 is flexible. We write v3, or v1 when
// the commit asked for a retention time, as Kafka does.

/// A committed offset as stored: offset, leader epoch, metadata and when it was committed.
///
/// Mirrors Kafka's `OffsetCommitValue` (and `OffsetAndMetadata` in memory).
public struct OffsetCommitValue: Equatable, Sendable {
    public var offset: Int64
    /// -1 when unknown.
    public var leaderEpoch: Int32
    public var metadata: String
    /// Wall-clock milliseconds when the commit was accepted.
    public var commitTimestamp: Int64
    /// Only for commits that carried retention_time_ms (OffsetCommit v2-4).
    public var expireTimestamp: Int64?

    public init(
        offset: Int64, leaderEpoch: Int32 = -1, metadata: String = "", commitTimestamp: Int64,
        expireTimestamp: Int64? = nil
    ) {
        self.offset = offset
        self.leaderEpoch = leaderEpoch
        self.metadata = metadata
        self.commitTimestamp = commitTimestamp
        self.expireTimestamp = expireTimestamp
    }

    /// The value version Kafka writes for this value.
    public var valueVersion: Int16 { expireTimestamp == nil ? 3 : 1 }

    func encode(to w: inout WireWriter) {
        encode(to: &w, version: valueVersion)
    }

    func encode(to w: inout WireWriter, version: Int16) {
        let flexible = version >= 4
        w.writeInt16(version)
        w.writeInt64(offset)
        if version >= 3 { w.writeInt32(leaderEpoch) }
        w.writeString(metadata, compact: flexible)
        w.writeInt64(commitTimestamp)
        if version == 1 { w.writeInt64(expireTimestamp ?? -1) }
        if flexible { w.writeTaggedFields() }
    }

    init(from r: inout WireReader) throws(DecodeError) {
        let version = try r.readInt16("offset_commit_value_version")
        guard (0...4).contains(version) else {
            throw .invalid(
                field: "offset_commit_value_version", reason: "unknown version \(version)")
        }
        let flexible = version >= 4
        offset = try r.readInt64("offset")
        leaderEpoch = version >= 3 ? try r.readInt32("leaderEpoch") : -1
        metadata = try r.readString("metadata", compact: flexible)
        commitTimestamp = try r.readInt64("commitTimestamp")
        expireTimestamp = nil
        if version == 1 {
            let expire = try r.readInt64("expireTimestamp")
            expireTimestamp = expire == -1 ? nil : expire
        }
        if flexible { try r.readTaggedFields("OffsetCommitValue") }
    }
}
