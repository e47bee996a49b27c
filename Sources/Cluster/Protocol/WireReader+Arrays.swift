// Protocol room: the arrays of plain values that many APIs share (broker ids, partition
// indexes, topic names, log directory ids), read with the same checks as every other array.

extension WireReader {
    /// An `[]int32` field (replica lists, partition indexes).
    public mutating func readInt32Array(_ field: String, compact: Bool) throws(DecodeError)
        -> [Int32]
    { try readArray(field, compact: compact) { r throws(DecodeError) in try r.readInt32(field) } }

    /// A `[]string` field (topic names, configuration keys).
    public mutating func readStringArray(_ field: String, compact: Bool) throws(DecodeError)
        -> [String]
    {
        try readArray(field, compact: compact) { r throws(DecodeError) in
            try r.readString(field, compact: compact)
        }
    }

    /// A nullable `[]string` field; nil stands for Kafka's null array.
    public mutating func readNullableStringArray(_ field: String, compact: Bool) throws(DecodeError)
        -> [String]?
    {
        try readNullableArray(field, compact: compact) { r throws(DecodeError) in
            try r.readString(field, compact: compact)
        }
    }

    /// A `[]uuid` field (a broker's log directory ids).
    public mutating func readUuidArray(_ field: String, compact: Bool) throws(DecodeError)
        -> [Uuid]
    { try readArray(field, compact: compact) { r throws(DecodeError) in try r.readUuid(field) } }
}
