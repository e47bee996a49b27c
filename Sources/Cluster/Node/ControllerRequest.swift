// Node room: the requests a controller answers, as one value: those brokers send it for
// themselves (BrokerRegistration, BrokerHeartbeat, AllocateProducerIds) and those brokers
// forward for clients (CreateTopics, DeleteTopics, ElectLeaders...), each in its Kafka schema.

import NIOCore

/// A request addressed to the active controller (Kafka's `ControllerApis` handles these).
enum ControllerRequest: Sendable {
    case createTopics(CreateTopicsRequest)
    case deleteTopics(DeleteTopicsRequest)
    case createPartitions(CreatePartitionsRequest)
    case alterConfigs(AlterConfigsRequest)
    case incrementalAlterConfigs(IncrementalAlterConfigsRequest)
    case brokerRegistration(BrokerRegistrationRequest)
    case brokerHeartbeat(BrokerHeartbeatRequest)
    case allocateProducerIds(AllocateProducerIdsRequest)
    case describeQuorum(DescribeQuorumRequest)
    case alterPartition(AlterPartitionRequest)
    case electLeaders(ElectLeadersRequest)

    static let types: [any KafkaRequest.Type] = [
        CreateTopicsRequest.self, DeleteTopicsRequest.self, CreatePartitionsRequest.self, AlterConfigsRequest.self,
        IncrementalAlterConfigsRequest.self, BrokerRegistrationRequest.self, BrokerHeartbeatRequest.self,
        AllocateProducerIdsRequest.self, DescribeQuorumRequest.self, AlterPartitionRequest.self,
        ElectLeadersRequest.self,
    ]

    /// What a broker forwards to the controller on a client's behalf, as Kafka 4 brokers do.
    static let forwarded: Set<ApiKey> = [
        .createTopics, .deleteTopics, .createPartitions, .alterConfigs, .incrementalAlterConfigs, .describeQuorum,
        .electLeaders,
    ]

    var apiKey: ApiKey {
        switch self {
        case .createTopics: return .createTopics
        case .deleteTopics: return .deleteTopics
        case .createPartitions: return .createPartitions
        case .alterConfigs: return .alterConfigs
        case .incrementalAlterConfigs: return .incrementalAlterConfigs
        case .brokerRegistration: return .brokerRegistration
        case .brokerHeartbeat: return .brokerHeartbeat
        case .allocateProducerIds: return .allocateProducerIds
        case .describeQuorum: return .describeQuorum
        case .alterPartition: return .alterPartition
        case .electLeaders: return .electLeaders
        }
    }

    static func decode(_ frame: inout RequestFrame) throws(DecodeError) -> ControllerRequest {
        let v = frame.header.apiVersion
        switch frame.header.apiKey {
        case .createTopics: return .createTopics(try CreateTopicsRequest(from: &frame.body, version: v))
        case .deleteTopics: return .deleteTopics(try DeleteTopicsRequest(from: &frame.body, version: v))
        case .createPartitions: return .createPartitions(try CreatePartitionsRequest(from: &frame.body, version: v))
        case .alterConfigs: return .alterConfigs(try AlterConfigsRequest(from: &frame.body, version: v))
        case .incrementalAlterConfigs:
            return .incrementalAlterConfigs(try IncrementalAlterConfigsRequest(from: &frame.body, version: v))
        case .brokerRegistration: return .brokerRegistration(try BrokerRegistrationRequest(from: &frame.body, version: v))
        case .brokerHeartbeat: return .brokerHeartbeat(try BrokerHeartbeatRequest(from: &frame.body, version: v))
        case .allocateProducerIds: return .allocateProducerIds(try AllocateProducerIdsRequest(from: &frame.body, version: v))
        case .describeQuorum: return .describeQuorum(try DescribeQuorumRequest(from: &frame.body, version: v))
        case .alterPartition: return .alterPartition(try AlterPartitionRequest(from: &frame.body, version: v))
        case .electLeaders: return .electLeaders(try ElectLeadersRequest(from: &frame.body, version: v))
        default: throw .invalid(field: "api_key", reason: "\(frame.header.apiKey.name) is not a controller request")
        }
    }

    /// The newest version of each request that both ends of a node-to-node link speak.
    var newestVersion: Int16 {
        Self.types.first { $0.apiKey == apiKey }?.versions.upperBound ?? 0
    }

    func frame(version: Int16, correlationId: Int32, clientId: String) -> ByteBuffer {
        func f<R: KafkaRequest>(_ r: R) -> ByteBuffer {
            RequestFraming.requestFrame(r, version: version, correlationId: correlationId, clientId: clientId)
        }
        switch self {
        case .createTopics(let r): return f(r)
        case .deleteTopics(let r): return f(r)
        case .createPartitions(let r): return f(r)
        case .alterConfigs(let r): return f(r)
        case .incrementalAlterConfigs(let r): return f(r)
        case .brokerRegistration(let r): return f(r)
        case .brokerHeartbeat(let r): return f(r)
        case .allocateProducerIds(let r): return f(r)
        case .describeQuorum(let r): return f(r)
        case .alterPartition(let r): return f(r)
        case .electLeaders(let r): return f(r)
        }
    }

    /// The answer a controller gives when it cannot decide (not the controller, timed out).
    func errorResponse(_ code: ErrorCode, _ message: String) -> ControllerResponse {
        switch self {
        case .createTopics(let r):
            return .createTopics(CreateTopicsResponse(topics: r.topics.map {
                .init(name: $0.name, topicId: .zero, errorCode: code, errorMessage: message)
            }))
        case .deleteTopics(let r):
            return .deleteTopics(DeleteTopicsResponse(responses: r.topics.map {
                .init(name: $0.name, topicId: $0.topicId, errorCode: code, errorMessage: message)
            }))
        case .createPartitions(let r):
            return .createPartitions(CreatePartitionsResponse(results: r.topics.map {
                .init(name: $0.name, errorCode: code, errorMessage: message)
            }))
        case .alterConfigs(let r):
            return .alterConfigs(AlterConfigsResponse(responses: r.resources.map {
                .init(errorCode: code, errorMessage: message, resourceType: $0.resourceType, resourceName: $0.resourceName)
            }))
        case .incrementalAlterConfigs(let r):
            return .incrementalAlterConfigs(IncrementalAlterConfigsResponse(responses: r.resources.map {
                .init(errorCode: code, errorMessage: message, resourceType: $0.resourceType, resourceName: $0.resourceName)
            }))
        case .brokerRegistration:
            return .brokerRegistration(BrokerRegistrationResponse(errorCode: code))
        case .brokerHeartbeat:
            return .brokerHeartbeat(BrokerHeartbeatResponse(errorCode: code, isCaughtUp: false, isFenced: true, shouldShutDown: false))
        case .allocateProducerIds:
            return .allocateProducerIds(AllocateProducerIdsResponse(errorCode: code))
        case .describeQuorum:
            return .describeQuorum(DescribeQuorumResponse(errorCode: code, errorMessage: message))
        case .alterPartition:
            return .alterPartition(AlterPartitionResponse(errorCode: code))
        case .electLeaders(let r):
            return .electLeaders(QuorumController.electLeadersFailure(r, code, message))
        }
    }
}

/// A controller's answer, in the schema of the request it answers.
enum ControllerResponse: Sendable {
    case createTopics(CreateTopicsResponse)
    case deleteTopics(DeleteTopicsResponse)
    case createPartitions(CreatePartitionsResponse)
    case alterConfigs(AlterConfigsResponse)
    case incrementalAlterConfigs(IncrementalAlterConfigsResponse)
    case brokerRegistration(BrokerRegistrationResponse)
    case brokerHeartbeat(BrokerHeartbeatResponse)
    case allocateProducerIds(AllocateProducerIdsResponse)
    case describeQuorum(DescribeQuorumResponse)
    case alterPartition(AlterPartitionResponse)
    case electLeaders(ElectLeadersResponse)

    static func decode(_ key: ApiKey, version v: Int16, body: inout WireReader) throws(DecodeError) -> ControllerResponse {
        switch key {
        case .createTopics: return .createTopics(try CreateTopicsResponse(from: &body, version: v))
        case .deleteTopics: return .deleteTopics(try DeleteTopicsResponse(from: &body, version: v))
        case .createPartitions: return .createPartitions(try CreatePartitionsResponse(from: &body, version: v))
        case .alterConfigs: return .alterConfigs(try AlterConfigsResponse(from: &body, version: v))
        case .incrementalAlterConfigs: return .incrementalAlterConfigs(try IncrementalAlterConfigsResponse(from: &body, version: v))
        case .brokerRegistration: return .brokerRegistration(try BrokerRegistrationResponse(from: &body, version: v))
        case .brokerHeartbeat: return .brokerHeartbeat(try BrokerHeartbeatResponse(from: &body, version: v))
        case .allocateProducerIds: return .allocateProducerIds(try AllocateProducerIdsResponse(from: &body, version: v))
        case .describeQuorum: return .describeQuorum(try DescribeQuorumResponse(from: &body, version: v))
        case .alterPartition: return .alterPartition(try AlterPartitionResponse(from: &body, version: v))
        case .electLeaders: return .electLeaders(try ElectLeadersResponse(from: &body, version: v))
        default: throw .invalid(field: "api_key", reason: "\(key.name) is not a controller response")
        }
    }

    /// A whole response frame at `version` for `correlationId`.
    func frame(version: Int16, correlationId: Int32) -> ByteBuffer {
        switch self {
        case .createTopics(let r):
            return RequestFraming.responseFrame(CreateTopicsRequest.self, version: version, correlationId: correlationId, body: r)
        case .deleteTopics(let r):
            return RequestFraming.responseFrame(DeleteTopicsRequest.self, version: version, correlationId: correlationId, body: r)
        case .createPartitions(let r):
            return RequestFraming.responseFrame(CreatePartitionsRequest.self, version: version, correlationId: correlationId, body: r)
        case .alterConfigs(let r):
            return RequestFraming.responseFrame(AlterConfigsRequest.self, version: version, correlationId: correlationId, body: r)
        case .incrementalAlterConfigs(let r):
            return RequestFraming.responseFrame(IncrementalAlterConfigsRequest.self, version: version, correlationId: correlationId, body: r)
        case .brokerRegistration(let r):
            return RequestFraming.responseFrame(BrokerRegistrationRequest.self, version: version, correlationId: correlationId, body: r)
        case .brokerHeartbeat(let r):
            return RequestFraming.responseFrame(BrokerHeartbeatRequest.self, version: version, correlationId: correlationId, body: r)
        case .allocateProducerIds(let r):
            return RequestFraming.responseFrame(AllocateProducerIdsRequest.self, version: version, correlationId: correlationId, body: r)
        case .describeQuorum(let r):
            return RequestFraming.responseFrame(DescribeQuorumRequest.self, version: version, correlationId: correlationId, body: r)
        case .alterPartition(let r):
            return RequestFraming.responseFrame(AlterPartitionRequest.self, version: version, correlationId: correlationId, body: r)
        case .electLeaders(let r):
            return RequestFraming.responseFrame(ElectLeadersRequest.self, version: version, correlationId: correlationId, body: r)
        }
    }

    /// The first error in the answer, for traces and for "ask the new controller" retries.
    var errorCode: ErrorCode {
        switch self {
        case .createTopics(let r): return r.topics.first { $0.errorCode != .none }?.errorCode ?? .none
        case .deleteTopics(let r): return r.responses.first { $0.errorCode != .none }?.errorCode ?? .none
        case .createPartitions(let r): return r.results.first { $0.errorCode != .none }?.errorCode ?? .none
        case .alterConfigs(let r): return r.responses.first { $0.errorCode != .none }?.errorCode ?? .none
        case .incrementalAlterConfigs(let r): return r.responses.first { $0.errorCode != .none }?.errorCode ?? .none
        case .brokerRegistration(let r): return r.errorCode
        case .brokerHeartbeat(let r): return r.errorCode
        case .allocateProducerIds(let r): return r.errorCode
        case .describeQuorum(let r): return r.errorCode
        case .alterPartition(let r):
            return r.errorCode != .none ? r.errorCode
                : r.topics.flatMap(\.partitions).first { $0.errorCode != .none }?.errorCode ?? .none
        case .electLeaders(let r):
            return r.errorCode != .none ? r.errorCode
                : r.replicaElectionResults.flatMap(\.partitionResult).first { $0.errorCode != .none }?.errorCode ?? .none
        }
    }

    /// True when every part of the answer says "not the controller": worth asking again.
    var isNotController: Bool { errorCode == .notController }
}
