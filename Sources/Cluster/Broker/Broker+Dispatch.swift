// Broker room: routes a request frame to its API handler by key, and turns decode failures
// into what Kafka does with them (close the connection).

import NIOCore

extension Broker {
    /// Every request type this broker answers. ApiVersions is built from this list, so adding
    /// an API here and a `case` below is all it takes to advertise it.
    public static let handledRequests: [any KafkaRequest.Type] = [
        ApiVersionsRequest.self, MetadataRequest.self, CreateTopicsRequest.self, DeleteTopicsRequest.self,
        ProduceRequest.self, FetchRequest.self, ListOffsetsRequest.self, DescribeConfigsRequest.self,
        DescribeClusterRequest.self, InitProducerIdRequest.self, IncrementalAlterConfigsRequest.self,
        AlterConfigsRequest.self, CreatePartitionsRequest.self, DeleteRecordsRequest.self,
        FindCoordinatorRequest.self, DescribeQuorumRequest.self, OffsetForLeaderEpochRequest.self,
        ElectLeadersRequest.self,
    ] + GroupRequest.handledRequests

    static let supportedVersions: [ApiKey: ClosedRange<Int16>] = Dictionary(
        uniqueKeysWithValues: handledRequests.map { ($0.apiKey, $0.versions) })
    static let firstFlexibleVersions: [ApiKey: Int16] = Dictionary(
        uniqueKeysWithValues: handledRequests.compactMap { t in t.firstFlexibleVersion.map { (t.apiKey, $0) } })

    /// Handles one request frame (its size prefix already removed) from `connection`.
    /// Replies to parked requests that this one completed are left for `takeDeferred()`.
    /// `clientHost` is the peer as Kafka prints it ("/127.0.0.1"), for group members.
    public mutating func handle(
        frame: ByteBuffer, connection: ConnectionID = ConnectionID(0), clientHost: String = "/127.0.0.1",
        now: Instant, wallClockMs: Int64 = 0
    ) -> BrokerReply {
        switch RequestFraming.prepare(
            frame, supported: Self.supportedVersions, firstFlexible: Self.firstFlexibleVersions)
        {
        case .close(let reason):
            return .close(reason: reason, nil)
        case .unsupportedApiVersions(let header):
            return unsupportedApiVersions(header, requestBytes: frame.readableBytes)
        case .unsupportedVersion(let header, let supported):
            // No answer, as Kafka 4: the trace says why, for `trace` and `events`.
            let trace = RequestTrace(
                apiKey: header.apiKey, apiVersion: header.apiVersion, correlationId: header.correlationId,
                clientId: header.clientId, requestBytes: frame.readableBytes, responseBytes: 0,
                errorCode: .unsupportedVersion, versionsServed: supported)
            return .close(reason: "\(header.apiKey.name) v\(header.apiVersion) is not served (v\(supported.lowerBound)–v\(supported.upperBound))", trace)
        case .dispatch(var request):
            switch request.header.apiKey {
            case .apiVersions:
                return serve(ApiVersionsRequest.self, &request) { b, r, h in b.handleApiVersions(r, header: h) }
            case .metadata:
                return serve(MetadataRequest.self, &request) { b, r, h in b.handleMetadata(r, header: h) }
            case .describeCluster:
                return serve(DescribeClusterRequest.self, &request) { b, r, h in b.handleDescribeCluster(r, header: h) }
            case .createTopics:
                return serve(CreateTopicsRequest.self, &request) { b, r, h in b.handleCreateTopics(r, header: h) }
            case .deleteTopics:
                return serve(DeleteTopicsRequest.self, &request) { b, r, h in b.handleDeleteTopics(r, header: h) }
            case .describeConfigs:
                return serve(DescribeConfigsRequest.self, &request) { b, r, h in b.handleDescribeConfigs(r, header: h) }
            case .initProducerId:
                return serve(InitProducerIdRequest.self, &request) { b, r, h in b.handleInitProducerId(r, header: h) }
            case .listOffsets:
                return serve(ListOffsetsRequest.self, &request) { b, r, h in b.handleListOffsets(r, header: h) }
            case .offsetForLeaderEpoch:
                return serve(OffsetForLeaderEpochRequest.self, &request) { b, r, h in
                    b.handleOffsetForLeaderEpoch(r, header: h)
                }
            case .incrementalAlterConfigs:
                return serve(IncrementalAlterConfigsRequest.self, &request) { b, r, h in b.handleIncrementalAlterConfigs(r, header: h) }
            case .alterConfigs:
                return serve(AlterConfigsRequest.self, &request) { b, r, h in b.handleAlterConfigs(r, header: h) }
            case .createPartitions:
                return serve(CreatePartitionsRequest.self, &request) { b, r, h in b.handleCreatePartitions(r, header: h) }
            case .deleteRecords:
                return serve(DeleteRecordsRequest.self, &request) { b, r, h in b.handleDeleteRecords(r, header: h) }
            case .produce:
                return handleProduceFrame(&request, connection: connection, now: now, wallClockMs: wallClockMs)
            case .fetch:
                return handleFetchFrame(&request, connection: connection, now: now)
            case .findCoordinator:
                return serve(FindCoordinatorRequest.self, &request) { b, r, h in b.handleFindCoordinator(r, header: h) }
            case .joinGroup, .syncGroup, .heartbeat, .leaveGroup, .offsetCommit, .offsetFetch,
                .listGroups, .describeGroups, .deleteGroups, .offsetDelete:
                return handleGroupFrame(
                    &request, connection: connection, clientHost: clientHost, now: now, wallClockMs: wallClockMs)
            default:
                return .close(reason: "no handler for \(request.header.apiKey.name)", nil)
            }
        }
    }

    /// Replies for parked requests completed since the last call.
    public mutating func takeDeferred() -> [DeferredReply] {
        defer { deferred = [] }
        return deferred
    }

    private mutating func handleProduceFrame(
        _ request: inout RequestFrame, connection: ConnectionID, now: Instant, wallClockMs: Int64
    ) -> BrokerReply {
        let header = request.header
        let size = request.size
        let decoded: ProduceRequest
        do {
            decoded = try ProduceRequest(from: &request.body, version: header.apiVersion)
        } catch {
            return .close(reason: "Produce v\(header.apiVersion): \(error)", nil)
        }
        let (response, error, waits) = handleProduce(decoded, header: header, now: now, wallClockMs: wallClockMs)
        completeDelayedOperations(now: now)
        if !waits.isEmpty {
            // acks=all: the answer waits until every ISR member has the records (Kafka's
            // DelayedProduce), at most the request's timeout_ms.
            park(.produce(DelayedProduce(
                connection: connection, header: header, requestBytes: size,
                deadline: now + .milliseconds(Int64(max(decoded.timeoutMs, 0))), response: response, waiting: waits)),
                 watching: waits.map(\.topicPartition))
            return .parked
        }
        let frame = RequestFraming.responseFrame(
            ProduceRequest.self, version: header.apiVersion, correlationId: header.correlationId, body: response)
        let trace = RequestTrace(
            apiKey: .produce, apiVersion: header.apiVersion, correlationId: header.correlationId, clientId: header.clientId,
            requestBytes: size, responseBytes: frame.readableBytes, errorCode: error)
        // acks=0: the producer does not wait, and Kafka sends nothing back, even on error.
        return decoded.acks == 0 ? .noResponse(trace) : .respond(frame, trace)
    }

    private mutating func handleFetchFrame(_ request: inout RequestFrame, connection: ConnectionID, now: Instant) -> BrokerReply {
        let header = request.header
        let size = request.size
        let decoded: FetchRequest
        do {
            decoded = try FetchRequest(from: &request.body, version: header.apiVersion)
        } catch {
            return .close(reason: "Fetch v\(header.apiVersion): \(error)", nil)
        }
        guard let (response, error) = handleFetch(decoded, header: header, connection: connection, requestBytes: size, now: now)
        else { return .parked }
        let frame = RequestFraming.responseFrame(FetchRequest.self, version: header.apiVersion,
                                                 correlationId: header.correlationId, body: response)
        return .respond(frame, RequestTrace(
            apiKey: .fetch, apiVersion: header.apiVersion, correlationId: header.correlationId, clientId: header.clientId,
            requestBytes: size, responseBytes: frame.readableBytes, errorCode: error))
    }

    /// Decodes the body as `R`, calls the handler and frames its response. A body that does
    /// not decode closes the connection, as Kafka's SocketServer does for invalid requests.
    mutating func serve<R: KafkaRequest>(
        _ type: R.Type, _ request: inout RequestFrame,
        _ handler: (inout Broker, R, RequestHeader) -> (R.Response, ErrorCode)
    ) -> BrokerReply {
        let header = request.header
        var trace = RequestTrace(
            apiKey: header.apiKey, apiVersion: header.apiVersion, correlationId: header.correlationId,
            clientId: header.clientId, requestBytes: request.size, responseBytes: 0, errorCode: .none)
        let decoded: R
        do {
            decoded = try R(from: &request.body, version: header.apiVersion)
        } catch {
            return .close(reason: "\(header.apiKey.name) v\(header.apiVersion): \(error)", trace)
        }
        let (response, error) = handler(&self, decoded, header)
        let frame = RequestFraming.responseFrame(
            R.self, version: header.apiVersion, correlationId: header.correlationId, body: response)
        trace.responseBytes = frame.readableBytes
        trace.errorCode = error
        return .respond(frame, trace)
    }
}
