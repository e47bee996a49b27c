// Protocol room: what every request/response codec declares, so that ApiVersions, the
// header versions and the dispatcher are all derived from the same facts.

/// A Kafka request body codec for one API key.
///
/// Each conforming type declares the versions it really implements and from which version
/// the message is flexible (KIP-482: compact strings and tagged fields). ApiVersions is built
/// from these declarations, so the broker never advertises what it cannot parse.
public protocol KafkaRequest: Sendable {
    associatedtype Response: KafkaResponse
    static var apiKey: ApiKey { get }
    static var versions: ClosedRange<Int16> { get }
    /// The first flexible version, or nil when no supported version is flexible.
    static var firstFlexibleVersion: Int16? { get }

    init(from reader: inout WireReader, version: Int16) throws(DecodeError)
    func encode(to writer: inout WireWriter, version: Int16)
}

/// A Kafka response body codec; its versions are those of its request.
public protocol KafkaResponse: Sendable {
    init(from reader: inout WireReader, version: Int16) throws(DecodeError)
    func encode(to writer: inout WireWriter, version: Int16)
}

extension KafkaRequest {
    public static func isFlexible(_ version: Int16) -> Bool {
        guard let first = firstFlexibleVersion else { return false }
        return version >= first
    }

    /// Request header v2 for flexible versions, v1 otherwise (KIP-482).
    public static func requestHeaderVersion(_ version: Int16) -> Int16 { isFlexible(version) ? 2 : 1 }

    /// Response header v1 for flexible versions, v0 otherwise. ApiVersions overrides this:
    /// its response header is always v0, so that a client that guessed a version too high
    /// can still read the answer.
    public static func responseHeaderVersion(_ version: Int16) -> Int16 {
        if apiKey == .apiVersions { return 0 }
        return isFlexible(version) ? 1 : 0
    }
}
