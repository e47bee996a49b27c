// Groups tests: the seam with the broker. Goal: a client's request frame decodes into a
// GroupRequest, and the coordinator's answer becomes a frame the client reads back, with the
// right header version (flexible APIs carry tagged fields in the response header).

import NIOCore
import Testing

@testable import Cluster

@Suite struct GroupFramingTests {
    @Test(
        "a JoinGroup frame goes through the coordinator and back as a frame",
        arguments: [Int16(3), 9])
    func roundTripThroughFrames(version: Int16) throws {
        var coordinator = GroupCoordinator(
            config: GroupConfig(offsetsTopicNumPartitions: 1), seed: 3)
        _ = coordinator.load(offsetsPartition: 0, records: [], now: .zero)
        let join = JoinGroupRequest(
            groupId: "g", sessionTimeoutMs: 10_000, memberId: "", protocolType: "consumer",
            protocols: [
                .init(
                    name: "range", metadata: ConsumerProtocolSubscription(topics: ["t"]).encoded())
            ])
        var frame = RequestFraming.requestFrame(
            join, version: version, correlationId: 41, clientId: "app")
        frame.moveReaderIndex(forwardBy: 4)  // the size prefix
        guard
            case .dispatch(var prepared) = RequestFraming.prepare(
                frame, supported: [.joinGroup: JoinGroupRequest.versions],
                firstFlexible: [.joinGroup: 6])
        else {
            Issue.record("the frame should dispatch")
            return
        }
        let request = try #require(
            try GroupRequest.decode(
                header: prepared.header, body: &prepared.body, clientHost: "/127.0.0.1"))
        #expect(request.clientId == "app" && request.correlationId == 41)
        var effects = coordinator.step(request, from: ConnectionID(5), now: .zero)
        if version < 4 { effects.append(coordinator.tick(now: .zero + .milliseconds(3_000))) }
        let (id, response) = try #require(effects.responses.first)
        #expect(id == RequestID(connection: ConnectionID(5), correlationId: 41))

        var out = response.responseFrame(version: version, correlationId: 41)
        #expect(out.readInteger(as: Int32.self).map(Int.init) == out.readableBytes)
        #expect(out.readInteger(as: Int32.self) == 41)
        if version >= 6 {
            #expect(out.readInteger(as: UInt8.self) == 0, "flexible: empty header tags")
        }
        var reader = WireReader(out)
        let decoded = try JoinGroupResponse(from: &reader, version: version)
        #expect(reader.isAtEnd)
        #expect(decoded.errorCode == (version >= 4 ? .memberIdRequired : .none))
        #expect(decoded.memberId.hasPrefix("app-"))
    }

    @Test("requests for other APIs are not the coordinator's")
    func otherApis() throws {
        let header = RequestHeader(
            apiKey: .apiVersions, apiVersion: 3, correlationId: 1, clientId: nil)
        var body = WireReader(ByteBuffer())
        #expect(try GroupRequest.decode(header: header, body: &body, clientHost: "") == nil)
        #expect(GroupRequest.handledRequests.count == 10)
        #expect(!GroupRequest.handledRequests.contains { $0.apiKey == .findCoordinator })
    }
}
