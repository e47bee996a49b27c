// Client room: one open, version-negotiated connection to one broker. Every request goes out
// at the highest version both sides speak and is bounded by request.timeout.ms.

import NIOCore

/// A `KafkaConnection` plus what the broker said in ApiVersions.
///
/// Opening one sends ApiVersions first (v3, or the broker's highest if it answers
/// UNSUPPORTED_VERSION with its v0 list), as every Kafka client does (KIP-35, KIP-511). A
/// request that gets no answer within `request.timeout.ms` closes the connection, failing
/// everything in flight on it, which is what Kafka's `NetworkClient` does on a timeout.
public final class BrokerConnection: Sendable {
    /// The broker's node id, or a negative id for a bootstrap address (-1 for the first),
    /// as Kafka names bootstrap nodes before metadata is known.
    public let nodeId: Int32
    public let address: String
    public let versions: ApiVersionTable
    let connection: KafkaConnection
    let requestTimeout: Duration

    private init(
        nodeId: Int32, address: String, versions: ApiVersionTable, connection: KafkaConnection,
        requestTimeout: Duration
    ) {
        self.nodeId = nodeId
        self.address = address
        self.versions = versions
        self.connection = connection
        self.requestTimeout = requestTimeout
    }

    public var isActive: Bool { connection.channel.isActive }

    /// Connects and negotiates versions; throws `KafkaClientError` only.
    static func open(
        nodeId: Int32, host: String, port: Int, config: ClientConfig, group: any EventLoopGroup
    ) async throws -> BrokerConnection {
        let address = "\(host):\(port)"
        let connection: KafkaConnection
        do {
            connection = try await KafkaConnection.connect(
                host: host, port: port, clientId: config.clientId, group: group)
        } catch {
            throw KafkaClientError.network(broker: nodeId, "cannot connect to \(address): \(error)")
        }
        do {
            let versions = try await negotiate(
                connection, nodeId: nodeId, config: config, timeout: config.requestTimeout)
            return BrokerConnection(
                nodeId: nodeId, address: address, versions: versions, connection: connection,
                requestTimeout: config.requestTimeout)
        } catch {
            await connection.close()
            throw error
        }
    }

    /// ApiVersions at our highest version; on UNSUPPORTED_VERSION the broker answers in v0
    /// with its own ApiVersions range, and we ask once more at the best shared version.
    private static func negotiate(
        _ connection: KafkaConnection, nodeId: Int32, config: ClientConfig, timeout: Duration
    ) async throws -> ApiVersionTable {
        var version = ApiVersionsRequest.versions.upperBound
        for _ in 0..<2 {
            let request = ApiVersionsRequest(
                clientSoftwareName: config.clientSoftwareName,
                clientSoftwareVersion: config.clientSoftwareVersion)
            let asked = version
            var body = WireReader(
                try await withTimeout(connection, nodeId: nodeId, timeout, "ApiVersions") {
                    try await connection.exchange(request, version: asked)
                })
            var peek = body
            let code = ErrorCode(rawValue: (try? peek.readInt16("error_code")) ?? 0)
            if code == .unsupportedVersion && asked > 0 {
                let fallback = try decode(ApiVersionsResponse.self, &body, version: 0, nodeId)
                let theirs = fallback.apiKeys.first { $0.apiKey == .apiVersions }
                let table = ApiVersionTable(nodeId: nodeId, response: fallback)
                guard theirs != nil,
                    let usable = table.usableVersion(
                        .apiVersions, ours: ApiVersionsRequest.versions),
                    usable < asked
                else {
                    throw KafkaClientError.unsupportedVersion(
                        api: .apiVersions, broker: nodeId,
                        brokerVersions: theirs.map { $0.minVersion...$0.maxVersion },
                        clientVersions: ApiVersionsRequest.versions)
                }
                version = usable
                continue
            }
            let response = try decode(ApiVersionsResponse.self, &body, version: asked, nodeId)
            guard response.errorCode == .none else {
                throw KafkaClientError.broker(
                    response.errorCode, context: "ApiVersions to broker \(nodeId)", message: nil)
            }
            return ApiVersionTable(nodeId: nodeId, response: response)
        }
        throw KafkaClientError.unsupportedVersion(
            api: .apiVersions, broker: nodeId, brokerVersions: nil,
            clientVersions: ApiVersionsRequest.versions)
    }

    private static func decode<T: KafkaResponse>(
        _ type: T.Type, _ body: inout WireReader, version: Int16, _ nodeId: Int32
    ) throws -> T {
        do {
            return try T(from: &body, version: version)
        } catch {
            throw KafkaClientError.protocolError(broker: nodeId, "\(T.self) v\(version): \(error)")
        }
    }

    // MARK: - Requests

    /// Sends the request `build` makes for the negotiated version (at most `cap`) and
    /// returns the decoded answer with the version used.
    /// `extraTimeout` lengthens the bound for requests the broker may hold on purpose (a
    /// Fetch's `max.wait.ms`).
    public func send<R: KafkaRequest>(
        cap: Int16? = nil, extraTimeout: Duration = .zero, _ build: (Int16) throws -> R
    ) async throws -> (response: R.Response, version: Int16) {
        let version = try versions.version(for: R.self, cap: cap)
        let request = try build(version)
        let connection = self.connection
        let response = try await Self.withTimeout(
            connection, nodeId: nodeId, requestTimeout + extraTimeout, R.apiKey.name
        ) {
            try await connection.send(request, version: version)
        }
        return (response, version)
    }

    /// Sends a request that the broker does not answer (Produce with acks=0).
    public func sendWithoutResponse<R: KafkaRequest>(
        cap: Int16? = nil, _ build: (Int16) throws -> R
    ) async throws {
        let version = try versions.version(for: R.self, cap: cap)
        let request = try build(version)
        let connection = self.connection
        try await Self.withTimeout(connection, nodeId: nodeId, requestTimeout, R.apiKey.name) {
            try await connection.sendWithoutResponse(request, version: version)
        }
    }

    public func close() async { await connection.close() }

    /// Runs `body`, closing the connection if it takes longer than `timeout`, and turns every
    /// failure into a `KafkaClientError`.
    private static func withTimeout<T: Sendable>(
        _ connection: KafkaConnection, nodeId: Int32, _ timeout: Duration, _ what: String,
        _ body: () async throws -> T
    ) async throws -> T {
        let fired = Locked(false)
        let channel = connection.channel
        let timer = channel.eventLoop.scheduleTask(in: .nanoseconds(timeout.nanosecondsClamped)) {
            fired.withLock { $0 = true }
            channel.close(promise: nil)
        }
        defer { timer.cancel() }
        do {
            return try await body()
        } catch let error as KafkaClientError {
            throw error
        } catch let error as ConnectionError {
            if fired.value {
                throw KafkaClientError.timedOut(
                    "\(what) to broker \(nodeId) had no answer within \(timeout.milliseconds) ms "
                        + "(request.timeout.ms); the connection was closed")
            }
            switch error {
            case .decode(let why): throw KafkaClientError.protocolError(broker: nodeId, why)
            case .correlationMismatch:
                throw KafkaClientError.protocolError(broker: nodeId, "\(error)")
            case .closed: throw KafkaClientError.network(broker: nodeId, "\(error)")
            }
        } catch {
            if fired.value {
                throw KafkaClientError.timedOut(
                    "\(what) to broker \(nodeId) had no answer within \(timeout.milliseconds) ms "
                        + "(request.timeout.ms); the connection was closed")
            }
            throw KafkaClientError.network(broker: nodeId, "\(error)")
        }
    }
}
