// Fuzz harness: one API's request and response codecs, type-erased so that the catalog can
// list every API. The round-trip preconditions live here, in the harness, never in product code.

import Cluster
import NIOCore

/// One Kafka API as the fuzzer drives it.
///
/// `check` decodes a dispatched body as the request and, independently, as the response at
/// the header's version (the client room reads responses from outside too). Whatever
/// decodes is encoded again and decoded a second time; the second value must equal the
/// first and use up exactly the bytes the encoder wrote. A failure is a codec bug: the
/// encoder writes what the decoder reads differently, or a version check differs.
struct FuzzCodec: Sendable {
    let apiKey: ApiKey
    let versions: ClosedRange<Int16>
    let firstFlexibleVersion: Int16?
    /// Checks a dispatched frame; returns whether its body decoded as the request.
    let check: @Sendable (RequestFrame) -> Bool
    /// Checks a whole response frame the broker wrote (size prefix included).
    let checkResponseFrame: @Sendable (ByteBuffer, RequestTrace) -> Void
    /// Valid frames (no size prefix) for every supported version, named for the corpus.
    let seeds: @Sendable () -> [(name: String, frame: ByteBuffer)]

    /// `visit` sees each decoded request (Produce hands its RECORDS on to the batch checks),
    /// `visitResponse` each decoded response.
    init<R: KafkaRequest & Equatable>(
        _ type: R.Type, requests: [R], responses: [R.Response],
        visit: @escaping @Sendable (R) -> Void = { _ in },
        visitResponse: @escaping @Sendable (R.Response) -> Void = { _ in }
    ) where R.Response: Equatable {
        apiKey = R.apiKey
        versions = R.versions
        firstFlexibleVersion = R.firstFlexibleVersion
        check = { frame in
            let decoded = Self.checkRequest(R.self, frame, visit: visit)
            Self.checkResponseBody(R.self, frame, visit: visitResponse)
            return decoded
        }
        checkResponseFrame = { frame, trace in Self.checkResponseFrame(R.self, frame, trace) }
        seeds = { Self.seeds(R.self, requests: requests, responses: responses) }
    }

    // MARK: - Requests

    private static func checkRequest<R: KafkaRequest & Equatable>(
        _ type: R.Type, _ frame: RequestFrame, visit: (R) -> Void
    ) -> Bool {
        let header = frame.header
        var body = frame.body
        guard let first = try? R(from: &body, version: header.apiVersion) else { return false }
        visit(first)
        // Again through the whole frame path: header, framing and body.
        var again = RequestFraming.requestFrame(
            first, version: header.apiVersion, correlationId: header.correlationId,
            clientId: header.clientId)
        precondition(
            again.readInteger(endianness: .big, as: Int32.self).map(Int.init)
                == again.readableBytes,
            "\(R.apiKey.name) v\(header.apiVersion): request size prefix is wrong")
        guard
            case .dispatch(let reframed) = RequestFraming.prepare(
                again, supported: FuzzCatalog.supported, firstFlexible: FuzzCatalog.firstFlexible)
        else {
            preconditionFailure(
                "\(R.apiKey.name) v\(header.apiVersion): re-encoded frame not dispatched")
        }
        precondition(
            reframed.header == header,
            "\(R.apiKey.name) v\(header.apiVersion): header changed in a round trip")
        var secondBody = reframed.body
        let second: R
        do {
            second = try R(from: &secondBody, version: header.apiVersion)
        } catch {
            preconditionFailure(
                "\(R.apiKey.name) v\(header.apiVersion): re-encoded request fails: \(error)")
        }
        precondition(
            second == first,
            "\(R.apiKey.name) v\(header.apiVersion): request changed in a round trip")
        precondition(
            secondBody.isAtEnd,
            "\(R.apiKey.name) v\(header.apiVersion): \(secondBody.remaining) bytes left over")
        return true
    }

    // MARK: - Responses

    private static func checkResponseBody<R: KafkaRequest>(
        _ type: R.Type, _ frame: RequestFrame, visit: (R.Response) -> Void
    ) where R.Response: Equatable {
        let version = frame.header.apiVersion
        var body = frame.body
        guard let first = try? R.Response(from: &body, version: version) else { return }
        visit(first)
        let second = roundTrip(first, R.self, version: version)
        precondition(
            second == first, "\(R.apiKey.name) v\(version): response changed in a round trip")
    }

    /// Encodes and decodes `value`; the decode must succeed and use every byte.
    private static func roundTrip<R: KafkaRequest>(
        _ value: R.Response, _ type: R.Type, version: Int16
    ) -> R.Response {
        var writer = WireWriter()
        value.encode(to: &writer, version: version)
        var reader = WireReader(writer.buffer)
        let decoded: R.Response
        do {
            decoded = try R.Response(from: &reader, version: version)
        } catch {
            preconditionFailure(
                "\(R.apiKey.name) v\(version): re-encoded response does not decode: \(error)")
        }
        precondition(
            reader.isAtEnd,
            "\(R.apiKey.name) v\(version): \(reader.remaining) bytes left after the response")
        return decoded
    }

    /// A frame the broker wrote must carry a right size prefix, the request's correlation id,
    /// and a body that decodes at the request's version and encodes back to the same bytes.
    private static func checkResponseFrame<R: KafkaRequest>(
        _ type: R.Type, _ frame: ByteBuffer, _ trace: RequestTrace
    ) where R.Response: Equatable {
        // An ApiVersions version we do not know is answered in a v0 body.
        let version = R.versions.contains(trace.apiVersion) ? trace.apiVersion : 0
        var rest = frame
        precondition(
            rest.readInteger(endianness: .big, as: Int32.self).map(Int.init) == rest.readableBytes,
            "\(R.apiKey.name) v\(version): response size prefix is wrong")
        var reader = WireReader(rest)
        let header: ResponseHeader
        let body: R.Response
        do {
            header = try ResponseHeader(
                from: &reader, headerVersion: R.responseHeaderVersion(version))
            body = try R.Response(from: &reader, version: version)
        } catch {
            preconditionFailure(
                "\(R.apiKey.name) v\(version): the broker's response does not decode: \(error)")
        }
        precondition(
            reader.isAtEnd, "\(R.apiKey.name) v\(version): bytes left after the broker's response")
        precondition(
            header.correlationId == trace.correlationId, "\(R.apiKey.name): correlation id changed")
        var writer = WireWriter()
        header.encode(to: &writer, headerVersion: R.responseHeaderVersion(version))
        body.encode(to: &writer, version: version)
        precondition(
            writer.buffer == rest, "\(R.apiKey.name) v\(version): response bytes are not repeatable"
        )
    }

    // MARK: - Seeds

    private static func seeds<R: KafkaRequest>(
        _ type: R.Type, requests: [R], responses: [R.Response]
    ) -> [(name: String, frame: ByteBuffer)] {
        var out: [(name: String, frame: ByteBuffer)] = []
        let name = R.apiKey.name
        for version in R.versions {
            for (index, request) in requests.enumerated() {
                var frame = RequestFraming.requestFrame(
                    request, version: version, correlationId: 7, clientId: "fuzz-seed")
                frame.moveReaderIndex(forwardBy: 4)
                out.append(("request-\(name)-v\(version)-\(index)", frame))
            }
            // A request header followed by a response body, for the response decoders.
            for (index, response) in responses.enumerated() {
                var writer = WireWriter()
                RequestHeader(
                    apiKey: R.apiKey, apiVersion: version, correlationId: 7, clientId: nil
                )
                .encode(to: &writer, headerVersion: R.requestHeaderVersion(version))
                response.encode(to: &writer, version: version)
                out.append(("response-\(name)-v\(version)-\(index)", writer.buffer))
            }
        }
        return out
    }
}
