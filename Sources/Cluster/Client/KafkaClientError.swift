// Client room: every way a client call can fail, each with a sentence a learner can act on.
// Broker answers keep Kafka's error code names (NOT_LEADER_OR_FOLLOWER...).

/// Why a client operation failed.
///
/// Broker error codes travel as `.broker`, so the REPL can show Kafka's name beside the
/// explanation; the other cases are the client's own conditions, named after the Kafka
/// exception they mirror where there is one (`TimeoutException`, `RecordTooLargeException`).
public enum KafkaClientError: Error, Equatable, Sendable, CustomStringConvertible {
    /// `bootstrap.servers` is empty.
    case noBootstrapServers
    /// A bootstrap entry is not `host:port`.
    case invalidBootstrapServer(String)
    /// No broker could be reached; the addresses tried and the last failure.
    case brokersUnreachable(tried: [String], lastError: String)
    /// The broker and this client share no version of an API.
    case unsupportedVersion(
        api: ApiKey, broker: Int32, brokerVersions: ClosedRange<Int16>?,
        clientVersions: ClosedRange<Int16>)
    /// A broker error code, with what was being done and the broker's message if any.
    case broker(ErrorCode, context: String, message: String?)
    /// The operation did not finish in time (Kafka's `TimeoutException`).
    case timedOut(String)
    /// The topic does not exist (after metadata was refreshed).
    case unknownTopic(String)
    /// The topic exists but has no such partition.
    case unknownPartition(TopicPartition, partitionCount: Int)
    /// The serialized record is larger than `max.request.size` (`RecordTooLargeException`).
    case recordTooLarge(size: Int, limit: Int)
    /// The record cannot be put in a batch (a timestamp too far from the batch's first).
    case invalidRecord(String)
    /// A setting has a value Kafka's client would refuse (`ConfigException`).
    case invalidConfig(String)
    /// The connection to a broker failed or closed while a request was outstanding.
    case network(broker: Int32, String)
    /// A broker's answer could not be decoded (a protocol bug on one side; not retried).
    case protocolError(broker: Int32, String)
    /// The node id is not a broker in the client's metadata.
    case unknownBroker(Int32)
    /// The producer or consumer was closed.
    case closed
    /// `poll` was called with nothing assigned.
    case noAssignment
    /// `seek` or `position` named a partition that is not assigned.
    case notAssigned(TopicPartition)
    /// The partition has no committed or reset position and `auto.offset.reset=none`.
    case noOffsetForPartition(TopicPartition)
    /// The fetch position is outside the log and `auto.offset.reset=none`.
    case offsetOutOfRange(TopicPartition, offset: Int64)
    /// A record batch from the broker could not be read.
    case corruptRecords(TopicPartition, String)

    /// Whether trying again (after a metadata refresh and a backoff) may succeed.
    public var isRetriable: Bool {
        switch self {
        case .broker(let code, _, _): return code.isRetriable
        // A request timeout closes the connection; Kafka retries such requests.
        // An unknown broker id means the metadata moved on: refresh and route again.
        case .network, .brokersUnreachable, .timedOut, .unknownBroker: return true
        default: return false
        }
    }

    /// The Kafka error code, when the broker sent one.
    public var errorCode: ErrorCode? {
        if case .broker(let code, _, _) = self { return code }
        return nil
    }

    public var description: String {
        switch self {
        case .noBootstrapServers:
            return "No bootstrap servers given. Try: --bootstrap 127.0.0.1:9092"
        case .invalidBootstrapServer(let text):
            return "'\(text)' is not host:port. Try: 127.0.0.1:9092"
        case .brokersUnreachable(let tried, let last):
            return "Could not reach any broker (tried \(tried.joined(separator: ", "))): \(last)"
        case .unsupportedVersion(let api, let broker, let theirs, let ours):
            let brokerSide =
                theirs.map { "v\($0.lowerBound)-\($0.upperBound)" } ?? "no version at all"
            return
                "Broker \(broker) speaks \(api.name) \(brokerSide); this client needs "
                + "v\(ours.lowerBound)-\(ours.upperBound) (UNSUPPORTED_VERSION)"
        case .broker(let code, let context, let message):
            let detail = message.map { ": \($0)" } ?? ""
            return "\(context) failed with \(code.name)\(detail). \(code.explanation)"
        case .timedOut(let what):
            return "Timed out: \(what)"
        case .unknownTopic(let topic):
            return "No topic '\(topic)' (UNKNOWN_TOPIC_OR_PARTITION)"
        case .unknownPartition(let tp, let count):
            return "Topic '\(tp.topic)' has \(count) partitions (0-\(max(count - 1, 0))); "
                + "there is no partition \(tp.partition)"
        case .recordTooLarge(let size, let limit):
            return "The record is \(size) bytes, more than max.request.size (\(limit))"
        case .invalidRecord(let why):
            return "Invalid record: \(why)"
        case .invalidConfig(let why):
            return "Invalid configuration: \(why)"
        case .network(let broker, let why):
            return "Connection to broker \(broker) failed: \(why)"
        case .protocolError(let broker, let why):
            return "Broker \(broker) sent an answer this client cannot read: \(why)"
        case .unknownBroker(let id):
            return "No broker \(id) in the cluster metadata"
        case .closed:
            return "The client is closed"
        case .noAssignment:
            return "No partitions are assigned. Try: assign a topic-partition first"
        case .notAssigned(let tp):
            return "\(tp) is not assigned to this consumer. Try: assign it first"
        case .noOffsetForPartition(let tp):
            return "No position for \(tp) and auto.offset.reset=none. Seek first"
        case .offsetOutOfRange(let tp, let offset):
            return "Offset \(offset) is out of range for \(tp) (OFFSET_OUT_OF_RANGE) "
                + "and auto.offset.reset=none"
        case .corruptRecords(let tp, let why):
            return "Could not read records of \(tp): \(why)"
        }
    }
}
