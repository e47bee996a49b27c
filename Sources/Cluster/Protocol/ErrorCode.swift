// Protocol room: Kafka's error codes with Kafka's names. A struct over Int16, not an enum,
// so that a code we do not know still round-trips unchanged.

/// A Kafka protocol error code (`org.apache.kafka.common.protocol.Errors`).
///
/// Known codes carry Kafka's name, whether a client should retry, and a one-line explanation
/// that the REPL shows beside the name, so a learner meets each error as Kafka spells it.
public struct ErrorCode: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public var rawValue: Int16
    public init(rawValue: Int16) { self.rawValue = rawValue }

    private struct Info { let name: String; let retriable: Bool; let explanation: String }

    public static let unknownServerError = ErrorCode(rawValue: -1)
    public static let none = ErrorCode(rawValue: 0)
    public static let offsetOutOfRange = ErrorCode(rawValue: 1)
    public static let corruptMessage = ErrorCode(rawValue: 2)
    public static let unknownTopicOrPartition = ErrorCode(rawValue: 3)
    public static let invalidFetchSize = ErrorCode(rawValue: 4)
    public static let leaderNotAvailable = ErrorCode(rawValue: 5)
    public static let notLeaderOrFollower = ErrorCode(rawValue: 6)
    public static let requestTimedOut = ErrorCode(rawValue: 7)
    public static let brokerNotAvailable = ErrorCode(rawValue: 8)
    public static let replicaNotAvailable = ErrorCode(rawValue: 9)
    public static let messageTooLarge = ErrorCode(rawValue: 10)
    public static let staleControllerEpoch = ErrorCode(rawValue: 11)
    public static let offsetMetadataTooLarge = ErrorCode(rawValue: 12)
    public static let networkException = ErrorCode(rawValue: 13)
    public static let coordinatorLoadInProgress = ErrorCode(rawValue: 14)
    public static let coordinatorNotAvailable = ErrorCode(rawValue: 15)
    public static let notCoordinator = ErrorCode(rawValue: 16)
    public static let invalidTopicException = ErrorCode(rawValue: 17)
    public static let recordListTooLarge = ErrorCode(rawValue: 18)
    public static let notEnoughReplicas = ErrorCode(rawValue: 19)
    public static let notEnoughReplicasAfterAppend = ErrorCode(rawValue: 20)
    public static let invalidRequiredAcks = ErrorCode(rawValue: 21)
    public static let illegalGeneration = ErrorCode(rawValue: 22)
    public static let inconsistentGroupProtocol = ErrorCode(rawValue: 23)
    public static let invalidGroupId = ErrorCode(rawValue: 24)
    public static let unknownMemberId = ErrorCode(rawValue: 25)
    public static let invalidSessionTimeout = ErrorCode(rawValue: 26)
    public static let rebalanceInProgress = ErrorCode(rawValue: 27)
    public static let invalidCommitOffsetSize = ErrorCode(rawValue: 28)
    public static let topicAuthorizationFailed = ErrorCode(rawValue: 29)
    public static let groupAuthorizationFailed = ErrorCode(rawValue: 30)
    public static let clusterAuthorizationFailed = ErrorCode(rawValue: 31)
    public static let invalidTimestamp = ErrorCode(rawValue: 32)
    public static let unsupportedSaslMechanism = ErrorCode(rawValue: 33)
    public static let illegalSaslState = ErrorCode(rawValue: 34)
    public static let unsupportedVersion = ErrorCode(rawValue: 35)
    public static let topicAlreadyExists = ErrorCode(rawValue: 36)
    public static let invalidPartitions = ErrorCode(rawValue: 37)
    public static let invalidReplicationFactor = ErrorCode(rawValue: 38)
    public static let invalidReplicaAssignment = ErrorCode(rawValue: 39)
    public static let invalidConfig = ErrorCode(rawValue: 40)
    public static let notController = ErrorCode(rawValue: 41)
    public static let invalidRequest = ErrorCode(rawValue: 42)
    public static let unsupportedForMessageFormat = ErrorCode(rawValue: 43)
    public static let policyViolation = ErrorCode(rawValue: 44)
    public static let outOfOrderSequenceNumber = ErrorCode(rawValue: 45)
    public static let duplicateSequenceNumber = ErrorCode(rawValue: 46)
    public static let invalidProducerEpoch = ErrorCode(rawValue: 47)
    public static let invalidTxnState = ErrorCode(rawValue: 48)
    public static let invalidProducerIdMapping = ErrorCode(rawValue: 49)
    public static let invalidTransactionTimeout = ErrorCode(rawValue: 50)
    public static let concurrentTransactions = ErrorCode(rawValue: 51)
    public static let transactionCoordinatorFenced = ErrorCode(rawValue: 52)
    public static let transactionalIdAuthorizationFailed = ErrorCode(rawValue: 53)
    public static let securityDisabled = ErrorCode(rawValue: 54)
    public static let operationNotAttempted = ErrorCode(rawValue: 55)
    public static let kafkaStorageError = ErrorCode(rawValue: 56)
    public static let logDirNotFound = ErrorCode(rawValue: 57)
    public static let saslAuthenticationFailed = ErrorCode(rawValue: 58)
    public static let unknownProducerId = ErrorCode(rawValue: 59)
    public static let reassignmentInProgress = ErrorCode(rawValue: 60)
    public static let invalidPrincipalType = ErrorCode(rawValue: 67)
    public static let nonEmptyGroup = ErrorCode(rawValue: 68)
    public static let groupIdNotFound = ErrorCode(rawValue: 69)
    public static let fetchSessionIdNotFound = ErrorCode(rawValue: 70)
    public static let invalidFetchSessionEpoch = ErrorCode(rawValue: 71)
    public static let listenerNotFound = ErrorCode(rawValue: 72)
    public static let topicDeletionDisabled = ErrorCode(rawValue: 73)
    public static let fencedLeaderEpoch = ErrorCode(rawValue: 74)
    public static let unknownLeaderEpoch = ErrorCode(rawValue: 75)
    public static let unsupportedCompressionType = ErrorCode(rawValue: 76)
    public static let staleBrokerEpoch = ErrorCode(rawValue: 77)
    public static let offsetNotAvailable = ErrorCode(rawValue: 78)
    public static let memberIdRequired = ErrorCode(rawValue: 79)
    public static let preferredLeaderNotAvailable = ErrorCode(rawValue: 80)
    public static let groupMaxSizeReached = ErrorCode(rawValue: 81)
    public static let fencedInstanceId = ErrorCode(rawValue: 82)
    public static let eligibleLeadersNotAvailable = ErrorCode(rawValue: 83)
    public static let electionNotNeeded = ErrorCode(rawValue: 84)
    public static let noReassignmentInProgress = ErrorCode(rawValue: 85)
    public static let groupSubscribedToTopic = ErrorCode(rawValue: 86)
    public static let invalidRecord = ErrorCode(rawValue: 87)
    public static let unstableOffsetCommit = ErrorCode(rawValue: 88)
    public static let throttlingQuotaExceeded = ErrorCode(rawValue: 89)
    public static let producerFenced = ErrorCode(rawValue: 90)
    public static let resourceNotFound = ErrorCode(rawValue: 91)
    public static let duplicateResource = ErrorCode(rawValue: 92)
    public static let inconsistentVoterSet = ErrorCode(rawValue: 94)
    public static let invalidUpdateVersion = ErrorCode(rawValue: 95)
    public static let featureUpdateFailed = ErrorCode(rawValue: 96)
    public static let snapshotNotFound = ErrorCode(rawValue: 98)
    public static let positionOutOfRange = ErrorCode(rawValue: 99)
    public static let unknownTopicId = ErrorCode(rawValue: 100)
    public static let duplicateBrokerRegistration = ErrorCode(rawValue: 101)
    public static let brokerIdNotRegistered = ErrorCode(rawValue: 102)
    public static let inconsistentTopicId = ErrorCode(rawValue: 103)
    public static let inconsistentClusterId = ErrorCode(rawValue: 104)
    public static let transactionalIdNotFound = ErrorCode(rawValue: 105)
    public static let fetchSessionTopicIdError = ErrorCode(rawValue: 106)
    public static let ineligibleReplica = ErrorCode(rawValue: 107)
    public static let newLeaderElected = ErrorCode(rawValue: 108)

    private static let table: [Int16: Info] = [
        -1: Info(name: "UNKNOWN_SERVER_ERROR", retriable: false, explanation: "The server hit an unexpected error."),
        0: Info(name: "NONE", retriable: false, explanation: "No error."),
        1: Info(name: "OFFSET_OUT_OF_RANGE", retriable: false, explanation: "The requested offset is not within the range of offsets kept for this partition."),
        2: Info(name: "CORRUPT_MESSAGE", retriable: true, explanation: "A record batch failed its CRC check, is too short or is otherwise corrupt."),
        3: Info(name: "UNKNOWN_TOPIC_OR_PARTITION", retriable: true, explanation: "This server does not host this topic-partition."),
        4: Info(name: "INVALID_FETCH_SIZE", retriable: false, explanation: "The requested fetch size is invalid."),
        5: Info(name: "LEADER_NOT_AVAILABLE", retriable: true, explanation: "There is no leader for this topic-partition right now (an election is under way)."),
        6: Info(name: "NOT_LEADER_OR_FOLLOWER", retriable: true, explanation: "This server is not the leader or a follower of that partition."),
        7: Info(name: "REQUEST_TIMED_OUT", retriable: true, explanation: "The request timed out."),
        8: Info(name: "BROKER_NOT_AVAILABLE", retriable: false, explanation: "The broker is not available."),
        9: Info(name: "REPLICA_NOT_AVAILABLE", retriable: true, explanation: "The replica is not available for the requested topic-partition."),
        10: Info(name: "MESSAGE_TOO_LARGE", retriable: false, explanation: "The request included a message larger than the server will accept (message.max.bytes)."),
        11: Info(name: "STALE_CONTROLLER_EPOCH", retriable: false, explanation: "The controller moved to another broker."),
        12: Info(name: "OFFSET_METADATA_TOO_LARGE", retriable: false, explanation: "The metadata field of the offset request was too large."),
        13: Info(name: "NETWORK_EXCEPTION", retriable: true, explanation: "The server disconnected before a response was received."),
        14: Info(name: "COORDINATOR_LOAD_IN_PROGRESS", retriable: true, explanation: "The coordinator is loading and hence can't process requests."),
        15: Info(name: "COORDINATOR_NOT_AVAILABLE", retriable: true, explanation: "The coordinator is not available."),
        16: Info(name: "NOT_COORDINATOR", retriable: true, explanation: "This is not the correct coordinator."),
        17: Info(name: "INVALID_TOPIC_EXCEPTION", retriable: false, explanation: "The request attempted an operation on an invalid topic name."),
        18: Info(name: "RECORD_LIST_TOO_LARGE", retriable: false, explanation: "The request included a batch larger than the configured segment size."),
        19: Info(name: "NOT_ENOUGH_REPLICAS", retriable: true, explanation: "Fewer in-sync replicas than min.insync.replicas: the write was refused."),
        20: Info(name: "NOT_ENOUGH_REPLICAS_AFTER_APPEND", retriable: true, explanation: "The write was appended but fewer in-sync replicas than required acknowledged it."),
        21: Info(name: "INVALID_REQUIRED_ACKS", retriable: false, explanation: "acks must be -1 (all), 0 or 1."),
        22: Info(name: "ILLEGAL_GENERATION", retriable: false, explanation: "The group generation in the request is not the current one."),
        23: Info(name: "INCONSISTENT_GROUP_PROTOCOL", retriable: false, explanation: "The member's protocol type or protocols do not match the group's."),
        24: Info(name: "INVALID_GROUP_ID", retriable: false, explanation: "The group id is empty or null."),
        25: Info(name: "UNKNOWN_MEMBER_ID", retriable: false, explanation: "The coordinator does not know this member id."),
        26: Info(name: "INVALID_SESSION_TIMEOUT", retriable: false, explanation: "session.timeout.ms is outside group.min/max.session.timeout.ms."),
        27: Info(name: "REBALANCE_IN_PROGRESS", retriable: false, explanation: "The group is rebalancing; the member should rejoin."),
        28: Info(name: "INVALID_COMMIT_OFFSET_SIZE", retriable: false, explanation: "The committing offset data size is not valid."),
        29: Info(name: "TOPIC_AUTHORIZATION_FAILED", retriable: false, explanation: "Topic authorization failed."),
        30: Info(name: "GROUP_AUTHORIZATION_FAILED", retriable: false, explanation: "Group authorization failed."),
        31: Info(name: "CLUSTER_AUTHORIZATION_FAILED", retriable: false, explanation: "Cluster authorization failed."),
        32: Info(name: "INVALID_TIMESTAMP", retriable: false, explanation: "The timestamp of the message is out of the acceptable range."),
        33: Info(name: "UNSUPPORTED_SASL_MECHANISM", retriable: false, explanation: "The broker does not support the requested SASL mechanism."),
        34: Info(name: "ILLEGAL_SASL_STATE", retriable: false, explanation: "The request is not valid given the current SASL state."),
        35: Info(name: "UNSUPPORTED_VERSION", retriable: false, explanation: "The broker does not support this version of the API."),
        36: Info(name: "TOPIC_ALREADY_EXISTS", retriable: false, explanation: "A topic with this name already exists."),
        37: Info(name: "INVALID_PARTITIONS", retriable: false, explanation: "The number of partitions is invalid."),
        38: Info(name: "INVALID_REPLICATION_FACTOR", retriable: false, explanation: "The replication factor is invalid."),
        39: Info(name: "INVALID_REPLICA_ASSIGNMENT", retriable: false, explanation: "The replica assignment is invalid."),
        40: Info(name: "INVALID_CONFIG", retriable: false, explanation: "The configuration is invalid."),
        41: Info(name: "NOT_CONTROLLER", retriable: true, explanation: "This is not the active controller."),
        42: Info(name: "INVALID_REQUEST", retriable: false, explanation: "The request is malformed or not valid for this broker."),
        43: Info(name: "UNSUPPORTED_FOR_MESSAGE_FORMAT", retriable: false, explanation: "The message format version does not support the request."),
        44: Info(name: "POLICY_VIOLATION", retriable: false, explanation: "The request violates a configured policy."),
        45: Info(name: "OUT_OF_ORDER_SEQUENCE_NUMBER", retriable: false, explanation: "The broker received an out-of-order sequence number from an idempotent producer."),
        46: Info(name: "DUPLICATE_SEQUENCE_NUMBER", retriable: false, explanation: "The broker received a duplicate sequence number (the batch was already written)."),
        47: Info(name: "INVALID_PRODUCER_EPOCH", retriable: false, explanation: "The producer's epoch is older than the broker's."),
        48: Info(name: "INVALID_TXN_STATE", retriable: false, explanation: "The producer attempted a transactional operation in an invalid state."),
        49: Info(name: "INVALID_PRODUCER_ID_MAPPING", retriable: false, explanation: "The producer id is not mapped to the transactional id."),
        50: Info(name: "INVALID_TRANSACTION_TIMEOUT", retriable: false, explanation: "The transaction timeout is larger than transaction.max.timeout.ms."),
        51: Info(name: "CONCURRENT_TRANSACTIONS", retriable: true, explanation: "Another transaction for this producer is still being completed."),
        52: Info(name: "TRANSACTION_COORDINATOR_FENCED", retriable: false, explanation: "The transaction coordinator is no longer the current one."),
        53: Info(name: "TRANSACTIONAL_ID_AUTHORIZATION_FAILED", retriable: false, explanation: "Transactional id authorization failed."),
        54: Info(name: "SECURITY_DISABLED", retriable: false, explanation: "Security features are disabled."),
        55: Info(name: "OPERATION_NOT_ATTEMPTED", retriable: false, explanation: "The broker did not attempt this operation."),
        56: Info(name: "KAFKA_STORAGE_ERROR", retriable: true, explanation: "The disk holding this replica failed or is offline."),
        57: Info(name: "LOG_DIR_NOT_FOUND", retriable: false, explanation: "The user-specified log directory is not found."),
        58: Info(name: "SASL_AUTHENTICATION_FAILED", retriable: false, explanation: "SASL authentication failed."),
        59: Info(name: "UNKNOWN_PRODUCER_ID", retriable: false, explanation: "The broker has no state for this producer id."),
        60: Info(name: "REASSIGNMENT_IN_PROGRESS", retriable: false, explanation: "A partition reassignment is in progress."),
        67: Info(name: "INVALID_PRINCIPAL_TYPE", retriable: false, explanation: "The principal type is not supported."),
        68: Info(name: "NON_EMPTY_GROUP", retriable: false, explanation: "The group is not empty."),
        69: Info(name: "GROUP_ID_NOT_FOUND", retriable: false, explanation: "The group id does not exist."),
        70: Info(name: "FETCH_SESSION_ID_NOT_FOUND", retriable: true, explanation: "The fetch session id was not found."),
        71: Info(name: "INVALID_FETCH_SESSION_EPOCH", retriable: true, explanation: "The fetch session epoch is invalid."),
        72: Info(name: "LISTENER_NOT_FOUND", retriable: true, explanation: "No matching listener on the leader."),
        73: Info(name: "TOPIC_DELETION_DISABLED", retriable: false, explanation: "Topic deletion is disabled."),
        74: Info(name: "FENCED_LEADER_EPOCH", retriable: true, explanation: "The leader epoch in the request is older than the broker's."),
        75: Info(name: "UNKNOWN_LEADER_EPOCH", retriable: true, explanation: "The leader epoch in the request is newer than the broker's."),
        76: Info(name: "UNSUPPORTED_COMPRESSION_TYPE", retriable: false, explanation: "The requesting client does not support the compression type."),
        77: Info(name: "STALE_BROKER_EPOCH", retriable: false, explanation: "The broker epoch has changed."),
        78: Info(name: "OFFSET_NOT_AVAILABLE", retriable: true, explanation: "The leader's high watermark has not caught up after an election."),
        79: Info(name: "MEMBER_ID_REQUIRED", retriable: false, explanation: "The group member needs a member id: rejoin with the one given."),
        80: Info(name: "PREFERRED_LEADER_NOT_AVAILABLE", retriable: true, explanation: "The preferred leader was not available."),
        81: Info(name: "GROUP_MAX_SIZE_REACHED", retriable: false, explanation: "The group has reached its maximum size."),
        82: Info(name: "FENCED_INSTANCE_ID", retriable: false, explanation: "Another member with the same group.instance.id took over."),
        83: Info(name: "ELIGIBLE_LEADERS_NOT_AVAILABLE", retriable: true, explanation: "Eligible topic partition leaders are not available."),
        84: Info(name: "ELECTION_NOT_NEEDED", retriable: true, explanation: "Leader election not needed for topic partition."),
        85: Info(name: "NO_REASSIGNMENT_IN_PROGRESS", retriable: false, explanation: "No partition reassignment is in progress."),
        86: Info(name: "GROUP_SUBSCRIBED_TO_TOPIC", retriable: false, explanation: "The group is still subscribed to the topic."),
        87: Info(name: "INVALID_RECORD", retriable: false, explanation: "A record in the batch failed the broker's validation."),
        88: Info(name: "UNSTABLE_OFFSET_COMMIT", retriable: true, explanation: "There are unstable offsets that need to be cleared."),
        89: Info(name: "THROTTLING_QUOTA_EXCEEDED", retriable: true, explanation: "The throttling quota has been exceeded."),
        90: Info(name: "PRODUCER_FENCED", retriable: false, explanation: "A newer producer with the same transactional id fenced this one."),
        91: Info(name: "RESOURCE_NOT_FOUND", retriable: false, explanation: "A request illegally referred to a resource that does not exist."),
        92: Info(name: "DUPLICATE_RESOURCE", retriable: false, explanation: "A request illegally referred to the same resource twice."),
        94: Info(name: "INCONSISTENT_VOTER_SET", retriable: false, explanation: "The voter sets of the Raft request and the receiver differ."),
        95: Info(name: "INVALID_UPDATE_VERSION", retriable: false, explanation: "The given update version was invalid."),
        96: Info(name: "FEATURE_UPDATE_FAILED", retriable: false, explanation: "Updating features failed."),
        98: Info(name: "SNAPSHOT_NOT_FOUND", retriable: false, explanation: "The requested snapshot was not found."),
        99: Info(name: "POSITION_OUT_OF_RANGE", retriable: false, explanation: "The requested position is outside the snapshot."),
        100: Info(name: "UNKNOWN_TOPIC_ID", retriable: true, explanation: "This server does not host this topic id."),
        101: Info(name: "DUPLICATE_BROKER_REGISTRATION", retriable: false, explanation: "This broker id is already registered."),
        102: Info(name: "BROKER_ID_NOT_REGISTERED", retriable: false, explanation: "The given broker id was not registered."),
        103: Info(name: "INCONSISTENT_TOPIC_ID", retriable: true, explanation: "The topic id in the log does not match the request's."),
        104: Info(name: "INCONSISTENT_CLUSTER_ID", retriable: false, explanation: "The cluster id in the request does not match the receiver's."),
        105: Info(name: "TRANSACTIONAL_ID_NOT_FOUND", retriable: false, explanation: "The transactional id could not be found."),
        106: Info(name: "FETCH_SESSION_TOPIC_ID_ERROR", retriable: true, explanation: "The fetch session saw a topic id change."),
        107: Info(name: "INELIGIBLE_REPLICA", retriable: false, explanation: "The new ISR contains at least one ineligible replica."),
        108: Info(name: "NEW_LEADER_ELECTED", retriable: false, explanation: "A new leader was elected while the request waited."),
    ]

    /// Kafka's name, e.g. `NOT_LEADER_OR_FOLLOWER`; `UNKNOWN_CODE_<n>` for codes we do not know.
    public var name: String { Self.table[rawValue]?.name ?? "UNKNOWN_CODE_\(rawValue)" }
    /// Whether Kafka's clients treat this error as transient and retry.
    public var isRetriable: Bool { Self.table[rawValue]?.retriable ?? false }
    public var explanation: String { Self.table[rawValue]?.explanation ?? "An error code this tool does not know." }
    public var isError: Bool { rawValue != 0 }
    public var description: String { name }
}
