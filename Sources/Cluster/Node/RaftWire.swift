// Node room: the Raft machine's messages as Kafka frames. Vote, BeginQuorumEpoch, EndQuorumEpoch
// and Fetch of __cluster_metadata-0 travel between nodes in Kafka's own schemas, so the
// simulator runs the codecs and a packet capture of the quorum reads like Kafka's.

import NIOCore

enum RaftWire {
    /// The versions our nodes speak to each other (the newest each codec has).
    static let voteVersion: Int16 = 2
    static let beginQuorumEpochVersion: Int16 = 1
    static let endQuorumEpochVersion: Int16 = 1
    static let fetchVersion: Int16 = 16

    static func version(of key: ApiKey) -> Int16? {
        switch key {
        case .vote: return voteVersion
        case .beginQuorumEpoch: return beginQuorumEpochVersion
        case .endQuorumEpoch: return endQuorumEpochVersion
        case .fetch: return fetchVersion
        default: return nil
        }
    }

    static func apiKey(of message: RaftMessage) -> ApiKey {
        switch message {
        case .vote, .voteResponse: return .vote
        case .beginQuorumEpoch, .beginQuorumEpochResponse: return .beginQuorumEpoch
        case .endQuorumEpoch, .endQuorumEpochResponse: return .endQuorumEpoch
        case .fetch, .fetchResponse: return .fetch
        }
    }

    // MARK: - Encoding

    /// A whole frame (size prefix included) for a request or a response.
    static func frame(_ envelope: RaftEnvelope, clusterId: String, timestamp: Int64) -> ByteBuffer {
        let id = envelope.correlationId
        let client = "raft-client-\(envelope.from)"
        switch envelope.message {
        case .vote(let v):
            let request = VoteRequest(clusterId: clusterId, voterId: envelope.to.rawValue, topics: [.init(partitions: [.init(
                candidateEpoch: v.candidateEpoch, candidateId: v.candidateId.rawValue,
                lastOffsetEpoch: v.lastOffsetEpoch, lastOffset: v.lastOffset, preVote: v.preVote)])])
            return RequestFraming.requestFrame(request, version: voteVersion, correlationId: id, clientId: client)
        case .voteResponse(let r):
            let response = VoteResponse(topics: [.init(partitions: [.init(
                errorCode: r.errorCode, leaderId: r.leaderId?.rawValue ?? -1, leaderEpoch: r.leaderEpoch, voteGranted: r.voteGranted)])])
            return RequestFraming.responseFrame(VoteRequest.self, version: voteVersion, correlationId: id, body: response)
        case .beginQuorumEpoch(let b):
            let request = BeginQuorumEpochRequest(clusterId: clusterId, voterId: envelope.to.rawValue, topics: [.init(partitions: [.init(
                leaderId: b.leaderId.rawValue, leaderEpoch: b.leaderEpoch)])])
            return RequestFraming.requestFrame(request, version: beginQuorumEpochVersion, correlationId: id, clientId: client)
        case .beginQuorumEpochResponse(let r):
            let response = BeginQuorumEpochResponse(topics: [.init(partitions: [.init(
                errorCode: r.errorCode, leaderId: r.leaderId?.rawValue ?? -1, leaderEpoch: r.leaderEpoch)])])
            return RequestFraming.responseFrame(BeginQuorumEpochRequest.self, version: beginQuorumEpochVersion, correlationId: id, body: response)
        case .endQuorumEpoch(let e):
            let request = EndQuorumEpochRequest(clusterId: clusterId, topics: [.init(partitions: [.init(
                leaderId: e.leaderId.rawValue, leaderEpoch: e.leaderEpoch,
                preferredCandidates: e.preferredSuccessors.map { .init(candidateId: $0.rawValue) })])])
            return RequestFraming.requestFrame(request, version: endQuorumEpochVersion, correlationId: id, clientId: client)
        case .endQuorumEpochResponse(let r):
            let response = EndQuorumEpochResponse(topics: [.init(partitions: [.init(
                errorCode: r.errorCode, leaderId: r.leaderId?.rawValue ?? -1, leaderEpoch: r.leaderEpoch)])])
            return RequestFraming.responseFrame(EndQuorumEpochRequest.self, version: endQuorumEpochVersion, correlationId: id, body: response)
        case .fetch(let f):
            let request = FetchRequest(
                clusterId: clusterId, replicaId: f.replicaId.rawValue, replicaEpoch: -1, maxWaitMs: f.maxWaitMs, minBytes: 1,
                maxBytes: Int32(Limits.metadataBatchBytesMax),
                topics: [.init(topicId: MetadataTopic.topicId, partitions: [.init(
                    partition: MetadataTopic.partition, currentLeaderEpoch: f.currentLeaderEpoch, fetchOffset: f.fetchOffset,
                    lastFetchedEpoch: f.lastFetchedEpoch, logStartOffset: 0, partitionMaxBytes: Int32(Limits.metadataBatchBytesMax))])])
            return RequestFraming.requestFrame(request, version: fetchVersion, correlationId: id, clientId: client)
        case .fetchResponse(let r):
            var records = ByteBuffer()
            if !r.batches.isEmpty, let bytes = try? MetadataBatch.encode(r.batches, timestamp: timestamp) { records = bytes }
            let partition = FetchResponse.PartitionData(
                partitionIndex: MetadataTopic.partition, errorCode: r.errorCode, highWatermark: r.highWatermark,
                lastStableOffset: r.highWatermark, logStartOffset: 0,
                divergingEpoch: r.divergingEpoch.map { .init(epoch: $0.epoch, endOffset: $0.offset) } ?? .init(),
                currentLeader: .init(leaderId: r.leaderId?.rawValue ?? -1, leaderEpoch: r.leaderEpoch),
                records: records)
            let response = FetchResponse(responses: [.init(topicId: MetadataTopic.topicId, partitions: [partition])])
            return RequestFraming.responseFrame(FetchRequest.self, version: fetchVersion, correlationId: id, body: response)
        }
    }

    // MARK: - Decoding

    /// Who sent a request, read from its own fields (the connection says nothing about it).
    static func decodeRequest(_ frame: inout RequestFrame) throws(DecodeError) -> (from: NodeID, message: RaftMessage) {
        let version = frame.header.apiVersion
        switch frame.header.apiKey {
        case .vote:
            let r = try VoteRequest(from: &frame.body, version: version)
            guard let p = r.topics.first?.partitions.first else { throw .invalid(field: "topics", reason: "no partition") }
            return (NodeID(p.candidateId), .vote(VoteData(
                candidateEpoch: p.candidateEpoch, candidateId: NodeID(p.candidateId), lastOffsetEpoch: p.lastOffsetEpoch,
                lastOffset: p.lastOffset, preVote: p.preVote)))
        case .beginQuorumEpoch:
            let r = try BeginQuorumEpochRequest(from: &frame.body, version: version)
            guard let p = r.topics.first?.partitions.first else { throw .invalid(field: "topics", reason: "no partition") }
            return (NodeID(p.leaderId), .beginQuorumEpoch(BeginQuorumEpochData(leaderId: NodeID(p.leaderId), leaderEpoch: p.leaderEpoch)))
        case .endQuorumEpoch:
            let r = try EndQuorumEpochRequest(from: &frame.body, version: version)
            guard let p = r.topics.first?.partitions.first else { throw .invalid(field: "topics", reason: "no partition") }
            let successors = version >= 1 ? p.preferredCandidates.map { NodeID($0.candidateId) } : p.preferredSuccessors.map { NodeID($0) }
            return (NodeID(p.leaderId), .endQuorumEpoch(EndQuorumEpochData(
                leaderId: NodeID(p.leaderId), leaderEpoch: p.leaderEpoch, preferredSuccessors: successors)))
        case .fetch:
            let r = try FetchRequest(from: &frame.body, version: version)
            guard let p = r.topics.first?.partitions.first else { throw .invalid(field: "topics", reason: "no partition") }
            return (NodeID(r.replicaId), .fetch(RaftFetchData(
                replicaId: NodeID(r.replicaId), currentLeaderEpoch: p.currentLeaderEpoch, fetchOffset: p.fetchOffset,
                lastFetchedEpoch: p.lastFetchedEpoch, maxWaitMs: r.maxWaitMs)))
        default:
            throw .invalid(field: "api_key", reason: "\(frame.header.apiKey.name) is not a Raft request")
        }
    }

    /// A response body (header already read) to a request of `key`.
    static func decodeResponse(_ key: ApiKey, body: inout WireReader) throws(DecodeError) -> RaftMessage {
        func leader(_ id: Int32) -> NodeID? { id >= 0 ? NodeID(id) : nil }
        switch key {
        case .vote:
            let r = try VoteResponse(from: &body, version: voteVersion)
            guard let p = r.topics.first?.partitions.first else {
                return .voteResponse(VoteResponseData(errorCode: r.errorCode, leaderId: nil, leaderEpoch: -1, voteGranted: false))
            }
            return .voteResponse(VoteResponseData(
                errorCode: p.errorCode, leaderId: leader(p.leaderId), leaderEpoch: p.leaderEpoch, voteGranted: p.voteGranted))
        case .beginQuorumEpoch:
            let r = try BeginQuorumEpochResponse(from: &body, version: beginQuorumEpochVersion)
            let p = r.topics.first?.partitions.first
            return .beginQuorumEpochResponse(QuorumResponseData(
                errorCode: p?.errorCode ?? r.errorCode, leaderId: p.flatMap { leader($0.leaderId) }, leaderEpoch: p?.leaderEpoch ?? -1))
        case .endQuorumEpoch:
            let r = try EndQuorumEpochResponse(from: &body, version: endQuorumEpochVersion)
            let p = r.topics.first?.partitions.first
            return .endQuorumEpochResponse(QuorumResponseData(
                errorCode: p?.errorCode ?? r.errorCode, leaderId: p.flatMap { leader($0.leaderId) }, leaderEpoch: p?.leaderEpoch ?? -1))
        case .fetch:
            let r = try FetchResponse(from: &body, version: fetchVersion)
            guard let p = r.responses.first?.partitions.first else {
                return .fetchResponse(RaftFetchResponseData(
                    errorCode: r.errorCode == .none ? .unknownServerError : r.errorCode, highWatermark: -1, batches: [],
                    divergingEpoch: nil, leaderId: nil, leaderEpoch: -1))
            }
            var batches: [MetadataBatch] = []
            if let records = p.records, records.readableBytes > 0 {
                do {
                    batches = try MetadataBatch.decode(records)
                } catch {
                    throw .invalid(field: "records", reason: "\(error)")
                }
            }
            let diverging = p.divergingEpoch.epoch >= 0 ? OffsetAndEpoch(offset: p.divergingEpoch.endOffset, epoch: p.divergingEpoch.epoch) : nil
            return .fetchResponse(RaftFetchResponseData(
                errorCode: p.errorCode, highWatermark: p.highWatermark, batches: batches, divergingEpoch: diverging,
                leaderId: leader(p.currentLeader.leaderId), leaderEpoch: p.currentLeader.leaderEpoch))
        default:
            throw .invalid(field: "api_key", reason: "\(key.name) is not a Raft response")
        }
    }
}
