// Node tests: every Raft message survives the trip through Kafka's frames (Vote v2,
// BeginQuorumEpoch v1, EndQuorumEpoch v1, Fetch v16), requests and responses alike.

import NIOCore
import Testing

@testable import Cluster

@Suite struct RaftWireTests {
    static let batch = MetadataBatch(
        baseOffset: 3, leaderEpoch: 2,
        content: .records([.topic(TopicRecord(name: "orders", topicId: Uuid(mostSignificantBits: 1, leastSignificantBits: 2)))]))

    static let messages: [RaftMessage] = [
        .vote(VoteData(candidateEpoch: 4, candidateId: NodeID(2), lastOffsetEpoch: 3, lastOffset: 17, preVote: true)),
        .voteResponse(VoteResponseData(errorCode: .none, leaderId: nil, leaderEpoch: 4, voteGranted: true)),
        .beginQuorumEpoch(BeginQuorumEpochData(leaderId: NodeID(2), leaderEpoch: 4)),
        .beginQuorumEpochResponse(QuorumResponseData(errorCode: .fencedLeaderEpoch, leaderId: NodeID(3), leaderEpoch: 5)),
        .endQuorumEpoch(EndQuorumEpochData(leaderId: NodeID(2), leaderEpoch: 4, preferredSuccessors: [NodeID(3), NodeID(1)])),
        .endQuorumEpochResponse(QuorumResponseData(errorCode: .none, leaderId: nil, leaderEpoch: 4)),
        .fetch(RaftFetchData(replicaId: NodeID(3), currentLeaderEpoch: 4, fetchOffset: 3, lastFetchedEpoch: 2, maxWaitMs: 500)),
        .fetchResponse(RaftFetchResponseData(
            errorCode: .none, highWatermark: 3, batches: [batch], divergingEpoch: nil, leaderId: NodeID(2), leaderEpoch: 4)),
        .fetchResponse(RaftFetchResponseData(
            errorCode: .none, highWatermark: 3, batches: [], divergingEpoch: OffsetAndEpoch(offset: 2, epoch: 1),
            leaderId: NodeID(2), leaderEpoch: 4)),
    ]

    @Test("each message decodes to itself from its frame", arguments: messages.indices)
    func roundTrip(index: Int) throws {
        let message = Self.messages[index]
        let sender: NodeID = {
            switch message {
            case .vote(let v): return v.candidateId
            case .beginQuorumEpoch(let b): return b.leaderId
            case .endQuorumEpoch(let e): return e.leaderId
            case .fetch(let f): return f.replicaId
            default: return NodeID(9)
            }
        }()
        let envelope = RaftEnvelope(from: sender, to: NodeID(1), correlationId: 77, message: message)
        var frame = RaftWire.frame(envelope, clusterId: "c", timestamp: 0)
        frame.moveReaderIndex(forwardBy: 4)
        if message.isRequest {
            guard case .dispatch(var request) = RequestFraming.prepare(
                frame, supported: Node.controllerVersions, firstFlexible: Node.controllerFlexible)
            else {
                Issue.record("frame did not dispatch")
                return
            }
            #expect(request.header.correlationId == 77)
            let (from, decoded) = try RaftWire.decodeRequest(&request)
            #expect(from == sender)
            #expect(decoded == message)
        } else {
            var reader = WireReader(frame)
            #expect(try reader.readInt32("correlation_id") == 77)
            let key = RaftWire.apiKey(of: message)
            if key != .beginQuorumEpoch && key != .endQuorumEpoch || (RaftWire.version(of: key) ?? 0) >= 1 {
                try reader.readTaggedFields("header")
            }
            #expect(try RaftWire.decodeResponse(key, body: &reader) == message)
        }
    }
}
