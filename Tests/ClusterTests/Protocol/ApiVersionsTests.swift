// Protocol tests: ApiVersions and the request/response headers. Goal: byte-exact frames built
// by hand from the protocol spec, round trips at every version, and no crash on any truncation.

import NIOCore
import Testing

@testable import Cluster

@Suite struct ApiVersionsTests {
    @Test("v0 request frame: size, key 18, version 0, correlation id, client id, empty body")
    func v0RequestFixture() {
        let frame = RequestFraming.requestFrame(ApiVersionsRequest(), version: 0, correlationId: 7, clientId: "kcat")
        #expect(bytes(frame) == [
            0, 0, 0, 14,  // size
            0, 18, 0, 0,  // api key 18, version 0
            0, 0, 0, 7,  // correlation id
            0, 4, 0x6B, 0x63, 0x61, 0x74,  // client id "kcat" (header v1: int16 length)
        ])
    }

    @Test("v3 request frame: header v2 keeps a non-compact client id, then tagged fields")
    func v3RequestFixture() throws {
        let request = ApiVersionsRequest(clientSoftwareName: "k", clientSoftwareVersion: "1")
        let frame = RequestFraming.requestFrame(request, version: 3, correlationId: 1, clientId: "x")
        #expect(bytes(frame) == [
            0, 0, 0, 17,
            0, 18, 0, 3, 0, 0, 0, 1,
            0, 1, 0x78,  // client id "x"
            0,  // header tagged fields
            2, 0x6B,  // compact string "k"
            2, 0x31,  // compact string "1"
            0,  // body tagged fields
        ])
        var reader = WireReader(frame)
        _ = try reader.readInt32("size")
        let header = try RequestHeader(from: &reader, headerVersion: 2)
        #expect(header == RequestHeader(apiKey: .apiVersions, apiVersion: 3, correlationId: 1, clientId: "x"))
        #expect(try ApiVersionsRequest(from: &reader, version: 3) == request)
    }

    @Test("v0 response: header v0, error code, int32 array count, no throttle time")
    func v0ResponseFixture() {
        let body = ApiVersionsResponse(apiKeys: [.init(apiKey: .apiVersions, minVersion: 0, maxVersion: 3)])
        let frame = RequestFraming.responseFrame(ApiVersionsRequest.self, version: 0, correlationId: 7, body: body)
        #expect(bytes(frame) == [0, 0, 0, 16, 0, 0, 0, 7, 0, 0, 0, 0, 0, 1, 0, 18, 0, 0, 0, 3])
    }

    @Test("v3 response: still header v0, compact array, throttle time, and no default tagged fields")
    func v3ResponseFixture() {
        let body = ApiVersionsResponse(apiKeys: [.init(apiKey: .apiVersions, minVersion: 0, maxVersion: 3)])
        let frame = RequestFraming.responseFrame(ApiVersionsRequest.self, version: 3, correlationId: 1, body: body)
        #expect(bytes(frame) == [0, 0, 0, 19, 0, 0, 0, 1, 0, 0, 2, 0, 18, 0, 0, 0, 3, 0, 0, 0, 0, 0, 0])
    }

    @Test("responses round-trip at every version", arguments: ApiVersionsRequest.versions)
    func roundTrip(version: Int16) throws {
        var body = ApiVersionsResponse(apiKeys: Broker.advertisedApiVersions, throttleTimeMs: version >= 1 ? 5 : 0)
        if version >= 3 {
            body.finalizedFeaturesEpoch = 4
            body.supportedFeatures = [.init(name: "metadata.version", minVersion: 1, maxVersion: 20)]
        }
        var w = WireWriter()
        body.encode(to: &w, version: version)
        var r = WireReader(w.buffer)
        #expect(try ApiVersionsResponse(from: &r, version: version) == body)
        #expect(r.isAtEnd)
    }

    @Test("every truncation of a v3 request body is a DecodeError")
    func truncations() {
        var w = WireWriter()
        ApiVersionsRequest(clientSoftwareName: "librdkafka", clientSoftwareVersion: "2.0.2").encode(to: &w, version: 3)
        let full = bytes(w.buffer)
        for cut in 0..<full.count {
            var r = WireReader(buffer(Array(full[0..<cut])))
            #expect(throws: DecodeError.self) { _ = try ApiVersionsRequest(from: &r, version: 3) }
        }
    }
}
