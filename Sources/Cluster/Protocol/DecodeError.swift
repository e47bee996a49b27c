// Protocol room: the one error every wire decoder throws. A short read anywhere in a
// request becomes one typed error naming the field, never a trap.

/// Why a request or response could not be decoded.
///
/// Decoders are given bytes from the network, so every failure is expected and must be
/// answered (with a Kafka error code or a closed connection), never crash the broker.
public enum DecodeError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The bytes ended before the field was complete.
    case truncated(field: String)
    /// A length, count or value that the protocol does not allow (negative where only
    /// null -1 is legal, a count larger than the bytes left, a bad varint).
    case invalid(field: String, reason: String)
    /// A length above one of `Limits`.
    case tooLarge(field: String, size: Int, limit: Int)
    /// The request names a version of its API that we do not implement.
    case unsupportedVersion(apiKey: Int16, version: Int16)

    public var description: String {
        switch self {
        case .truncated(let field): return "truncated at \(field)"
        case .invalid(let field, let reason): return "invalid \(field): \(reason)"
        case .tooLarge(let field, let size, let limit):
            return "\(field) of \(size) bytes exceeds the limit of \(limit)"
        case .unsupportedVersion(let key, let version):
            return "API key \(key) version \(version) is not supported"
        }
    }
}
