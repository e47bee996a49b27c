// Broker tests: what a broker does with a frame before and around its API handlers. Goal:
// ApiVersions lists exactly what is implemented, an unknown ApiVersions version is answered
// with UNSUPPORTED_VERSION in a v0 body, and unknown keys, versions below those served (Kafka
// 4's floor, KIP-896) or undecodable bodies close.

import NIOCore
import Testing

@testable import Cluster

@Suite struct BrokerDispatchTests {
    var broker = Broker(identity: BrokerIdentity(nodeID: NodeID(1), clusterID: "c", host: "127.0.0.1", port: 9092))

    func unframed(_ frame: ByteBuffer) -> ByteBuffer {
        var f = frame
        f.moveReaderIndex(forwardBy: 4)
        return f
    }

    @Test("ApiVersions at each version lists every handled API with its real range", arguments: ApiVersionsRequest.versions)
    mutating func answersEachVersion(version: Int16) throws {
        let request = RequestFraming.requestFrame(ApiVersionsRequest(), version: version, correlationId: 3, clientId: "t")
        guard case .respond(let response, let trace) = broker.handle(frame: unframed(request), now: .zero) else {
            Issue.record("expected a response")
            return
        }
        var r = WireReader(unframed(response))
        #expect(try ResponseHeader(from: &r, headerVersion: 0).correlationId == 3)
        let body = try ApiVersionsResponse(from: &r, version: version)
        #expect(body.errorCode == .none)
        #expect(body.apiKeys == Broker.advertisedApiVersions)
        #expect(trace.apiKey == .apiVersions && trace.apiVersion == version)
    }

    @Test("ApiVersions v99 gets UNSUPPORTED_VERSION in a v0 body naming the supported range")
    mutating func unsupportedVersion() throws {
        var w = WireWriter()
        RequestHeader(apiKey: .apiVersions, apiVersion: 99, correlationId: 11, clientId: "new-client").encode(to: &w, headerVersion: 2)
        guard case .respond(let response, _) = broker.handle(frame: w.buffer, now: .zero) else {
            Issue.record("expected a response")
            return
        }
        var r = WireReader(unframed(response))
        #expect(try ResponseHeader(from: &r, headerVersion: 0).correlationId == 11)
        let body = try ApiVersionsResponse(from: &r, version: 0)
        #expect(body.errorCode == .unsupportedVersion)
        #expect(body.apiKeys == [.init(apiKey: .apiVersions, minVersion: 0, maxVersion: 3)])
    }

    @Test("an unknown API key closes the connection, as Kafka does")
    mutating func unknownKey() {
        var w = WireWriter()
        RequestHeader(apiKey: ApiKey(rawValue: 999), apiVersion: 0, correlationId: 1, clientId: nil).encode(to: &w, headerVersion: 1)
        guard case .close = broker.handle(frame: w.buffer, now: .zero) else {
            Issue.record("expected close")
            return
        }
    }

    /// Versions old clients send that Kafka 4 no longer serves (KIP-896): sarama 1.22's
    /// DescribeConfigs v0, CreateTopics v0, kafka-go 0.2.1's Produce v2 and Fetch v2.
    static let oldClientRequests: [(ApiKey, Int16)] = [
        (.describeConfigs, 0), (.createTopics, 0), (.produce, 2), (.fetch, 2),
    ]

    @Test("a request below the versions served closes without an answer; the trace names the versions served",
          arguments: oldClientRequests)
    mutating func oldVersionCloses(key: ApiKey, version: Int16) throws {
        var w = WireWriter()
        RequestHeader(apiKey: key, apiVersion: version, correlationId: 7, clientId: "sarama").encode(to: &w, headerVersion: 1)
        w.writeInt32(0)  // the start of a body the broker never reads
        guard case .close(_, let trace?) = broker.handle(frame: w.buffer, now: .zero) else {
            Issue.record("\(key.name) v\(version) was not closed with a trace")
            return
        }
        let served = try #require(Broker.supportedVersions[key])
        #expect(version < served.lowerBound)
        #expect(trace == RequestTrace(
            apiKey: key, apiVersion: version, correlationId: 7, clientId: "sarama", requestBytes: w.buffer.readableBytes,
            responseBytes: 0, errorCode: .unsupportedVersion, versionsServed: served))
    }

    @Test("every truncation of a valid v3 ApiVersions frame closes or answers, never traps")
    mutating func truncatedFrames() {
        let full = bytes(unframed(RequestFraming.requestFrame(
            ApiVersionsRequest(clientSoftwareName: "abc", clientSoftwareVersion: "1.0"), version: 3, correlationId: 1, clientId: "c")))
        for cut in 0..<full.count {
            if case .respond = broker.handle(frame: buffer(Array(full[0..<cut])), now: .zero) {
                Issue.record("a frame cut at \(cut) of \(full.count) bytes was answered")
            }
        }
    }

    @Test("random garbage frames never crash the broker")
    mutating func garbage() {
        var state: UInt64 = 42
        for _ in 0..<2000 {
            state = state &* 6_364_136_223_846_793_005 &+ 1
            let length = Int(state >> 58)
            let frame = (0..<length).map { i in UInt8(truncatingIfNeeded: state >> UInt64(i % 56)) }
            _ = broker.handle(frame: buffer(frame), now: .zero)
        }
    }
}
