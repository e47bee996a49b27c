// Client room: the connection manager under Admin, Producer and Consumer. One connection per
// broker, opened lazily and reopened after a failure, and a metadata cache refreshed on demand.

import NIOCore
import NIOPosix

/// The shared network layer of the client: bootstrap, per-broker connections with
/// negotiated API versions, and the cluster metadata that routes requests to leaders.
///
/// Before any metadata is known, requests go to a bootstrap address (node ids -1, -2...);
/// afterwards to real brokers by node id. A connection that fails is dropped and the metadata
/// marked stale, so the next request reconnects and re-routes. Thread-safe: state sits
/// behind a lock, and no call holds it across an `await`. Mirrors Kafka's `NetworkClient`
/// with its `Metadata` and `ApiVersions` bookkeeping.
public final class KafkaClient: Sendable {
    public let config: ClientConfig
    public let clock: ClientClock
    let group: any EventLoopGroup
    private let bootstrap: [(host: String, port: Int)]
    private let state: Locked<State>

    enum Slot: Sendable {
        case opening(EventLoopFuture<BrokerConnection>)
        case open(BrokerConnection)
    }

    struct State: Sendable {
        var metadata = MetadataCache()
        var connections: [Int32: Slot] = [:]
        /// Rotates the first broker tried when any broker will do.
        var cursor = 0
        var closed = false
    }

    /// Checks the bootstrap list; connects nothing until the first request.
    public init(
        config: ClientConfig, clock: ClientClock = .system,
        group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) throws(KafkaClientError) {
        guard !config.bootstrapServers.isEmpty else { throw .noBootstrapServers }
        var servers: [(host: String, port: Int)] = []
        for text in config.bootstrapServers { servers.append(try ClientConfig.parseServer(text)) }
        self.config = config
        self.clock = clock
        self.group = group
        self.bootstrap = servers
        self.state = Locked(State())
    }

    public convenience init(bootstrapServers: [String], clientId: String = "swiftka-learn")
        throws(KafkaClientError)
    {
        try self.init(config: ClientConfig(bootstrapServers: bootstrapServers, clientId: clientId))
    }

    /// A client dropped without `close()` closes its sockets without waiting.
    deinit {
        for slot in state.withLock({ Array($0.connections.values) }) {
            if case .open(let connection) = slot {
                connection.connection.channel.close(promise: nil)
            }
        }
    }

    /// Closes every connection; later requests fail with `.closed`.
    public func close() async {
        let slots = state.withLock { state -> [Slot] in
            state.closed = true
            defer { state.connections = [:] }
            return Array(state.connections.values)
        }
        for slot in slots {
            switch slot {
            case .open(let connection): await connection.close()
            case .opening(let future): await (try? future.get())?.close()
            }
        }
    }

    // MARK: - Metadata

    /// The cached metadata as it is now (possibly empty or stale).
    public var metadata: MetadataCache { state.withLock { $0.metadata } }

    /// Asks a broker for metadata of `topics` (nil: all topics) and merges the answer into
    /// the cache. Retries on network and retriable errors up to `retries`, within
    /// `default.api.timeout.ms`.
    @discardableResult
    public func refreshMetadata(topics: [String]?, allowAutoTopicCreation: Bool = false)
        async throws -> MetadataCache
    {
        try await withRetries("Metadata") { _ in
            try await self.refreshMetadataOnce(
                topics: topics, allowAutoTopicCreation: allowAutoTopicCreation)
        }
    }

    /// The cache, refreshed first when it is stale, old, or lacks one of `topics`.
    public func metadata(for topics: [String], allowAutoTopicCreation: Bool = false)
        async throws -> MetadataCache
    {
        let now = clock.now()
        let current = metadata
        let missing = topics.contains { current.topic($0) == nil }
        if !missing && !current.needsRefresh(now: now, maxAge: config.metadataMaxAge) {
            return current
        }
        return try await refreshMetadata(
            topics: topics, allowAutoTopicCreation: allowAutoTopicCreation)
    }

    /// Like `metadata(for:)`, but a refresh is tried once, without retries: for callers with
    /// their own deadline and retry loop (the consumer's poll).
    public func metadataOnce(for topics: [String]) async throws -> MetadataCache {
        let current = metadata
        let missing = topics.contains { current.topic($0) == nil }
        if !missing && !current.needsRefresh(now: clock.now(), maxAge: config.metadataMaxAge) {
            return current
        }
        return try await refreshMetadataOnce(topics: topics, allowAutoTopicCreation: false)
    }

    func refreshMetadataOnce(topics: [String]?, allowAutoTopicCreation: Bool)
        async throws -> MetadataCache
    {
        let connection = try await anyConnection()
        let (response, _) = try await send(on: connection) { version in
            MetadataRequest(
                topics: topics?.map { MetadataRequest.Topic(name: $0) },
                allowAutoTopicCreation: allowAutoTopicCreation)
        }
        let now = clock.now()
        return state.withLock { state in
            state.metadata.update(with: response, requested: topics, now: now)
            return state.metadata
        }
    }

    /// Marks the metadata stale, so the next user refreshes it first (Kafka's
    /// `requestUpdate`), after NOT_LEADER_OR_FOLLOWER and similar answers.
    public func requestMetadataUpdate() {
        state.withLock { $0.metadata.markStale() }
    }

    // MARK: - Connections

    /// The connection to broker `nodeId`, opened (with ApiVersions) if there is none.
    public func connection(to nodeId: Int32) async throws -> BrokerConnection {
        enum Step {
            case use(BrokerConnection)
            case wait(EventLoopFuture<BrokerConnection>)
            case open(EventLoopPromise<BrokerConnection>, host: String, port: Int)
        }
        let group = self.group
        let bootstrap = self.bootstrap
        let step = try state.withLock { state throws -> Step in
            guard !state.closed else { throw KafkaClientError.closed }
            switch state.connections[nodeId] {
            case .open(let connection) where connection.isActive:
                return .use(connection)
            case .opening(let future):
                return .wait(future)
            default:
                let host: String
                let port: Int
                if nodeId >= 0 {
                    guard let broker = state.metadata.brokers[nodeId] else {
                        throw KafkaClientError.unknownBroker(nodeId)
                    }
                    host = broker.host
                    port = Int(broker.port)
                } else {
                    let index = Int(-nodeId) - 1
                    guard index < bootstrap.count else {
                        throw KafkaClientError.unknownBroker(nodeId)
                    }
                    (host, port) = bootstrap[index]
                }
                let promise = group.next().makePromise(of: BrokerConnection.self)
                state.connections[nodeId] = .opening(promise.futureResult)
                return .open(promise, host: host, port: port)
            }
        }
        switch step {
        case .use(let connection):
            return connection
        case .wait(let future):
            return try await future.get()
        case .open(let promise, let host, let port):
            do {
                let connection = try await BrokerConnection.open(
                    nodeId: nodeId, host: host, port: port, config: config, group: group)
                let closed = state.withLock { state -> Bool in
                    if !state.closed { state.connections[nodeId] = .open(connection) }
                    return state.closed
                }
                promise.succeed(connection)
                if closed {
                    await connection.close()
                    throw KafkaClientError.closed
                }
                return connection
            } catch {
                state.withLock { state in state.connections[nodeId] = nil }
                promise.fail(error)
                throw error
            }
        }
    }

    /// A connection to any broker: an open one if there is one, else the known brokers in
    /// turn, else the bootstrap addresses (Kafka's `leastLoadedNode`, simplified).
    public func anyConnection() async throws -> BrokerConnection {
        let (open, candidates) = try state.withLock {
            state throws -> (BrokerConnection?, [Int32]) in
            guard !state.closed else { throw KafkaClientError.closed }
            let known = state.metadata.brokerIds
            for id in known {
                if case .open(let connection) = state.connections[id], connection.isActive {
                    return (connection, [])
                }
            }
            state.cursor &+= 1
            let start = known.isEmpty ? 0 : state.cursor % known.count
            let rotated = Array(known[start...] + known[..<start])
            let bootstrapIds = (0..<bootstrap.count).map { Int32(-$0 - 1) }
            return (nil, rotated + bootstrapIds)
        }
        if let open { return open }
        var tried: [String] = []
        var last = "no addresses"
        for id in candidates {
            do {
                return try await connection(to: id)
            } catch let error as KafkaClientError {
                if case .closed = error { throw error }
                if case .unsupportedVersion = error { throw error }
                tried.append(address(of: id))
                last = error.description
            }
        }
        throw KafkaClientError.brokersUnreachable(tried: tried, lastError: last)
    }

    private func address(of nodeId: Int32) -> String {
        if nodeId >= 0 {
            return metadata.brokers[nodeId]?.address ?? "broker \(nodeId)"
        }
        let index = Int(-nodeId) - 1
        guard index < bootstrap.count else { return "bootstrap \(nodeId)" }
        return "\(bootstrap[index].host):\(bootstrap[index].port)"
    }

    /// Forgets a connection that failed, so the next request opens a new one, and marks the
    /// metadata stale (the broker may be gone, and leadership with it).
    func connectionFailed(_ connection: BrokerConnection) async {
        state.withLock { state in
            if case .open(let current) = state.connections[connection.nodeId],
                current === connection
            {
                state.connections[connection.nodeId] = nil
            }
            state.metadata.markStale()
        }
        await connection.close()
    }

    // MARK: - Requests

    /// Sends a request on `connection`; a network failure drops the connection first.
    public func send<R: KafkaRequest>(
        on connection: BrokerConnection, cap: Int16? = nil, extraTimeout: Duration = .zero,
        _ build: (Int16) throws -> R
    ) async throws -> (response: R.Response, version: Int16) {
        do {
            return try await connection.send(cap: cap, extraTimeout: extraTimeout, build)
        } catch let error as KafkaClientError {
            switch error {
            case .network, .timedOut: await connectionFailed(connection)
            default: break
            }
            throw error
        }
    }

    /// Sends a request to broker `nodeId`.
    public func send<R: KafkaRequest>(
        to nodeId: Int32, cap: Int16? = nil, extraTimeout: Duration = .zero,
        _ build: (Int16) throws -> R
    ) async throws -> (response: R.Response, version: Int16) {
        let connection = try await connection(to: nodeId)
        return try await send(on: connection, cap: cap, extraTimeout: extraTimeout, build)
    }

    /// Sends a request to whichever broker `anyConnection` picks.
    public func sendToAny<R: KafkaRequest>(
        cap: Int16? = nil, _ build: (Int16) throws -> R
    ) async throws -> (response: R.Response, version: Int16) {
        let connection = try await anyConnection()
        return try await send(on: connection, cap: cap, build)
    }

    // MARK: - Retries

    /// Runs `body` until it succeeds, a non-retriable error, `retries` attempts, or
    /// `default.api.timeout.ms` (or `timeout`). Between attempts the metadata is marked
    /// stale and the wait backs off exponentially (KIP-580).
    public func withRetries<T: Sendable>(
        _ what: String, timeout: Duration? = nil, _ body: (Int) async throws -> T
    ) async throws -> T {
        let deadline = clock.now() + (timeout ?? config.defaultApiTimeout)
        var attempt = 1
        while true {
            do {
                return try await body(attempt)
            } catch let error as KafkaClientError {
                let wait = config.backoff(attempt: attempt)
                guard error.isRetriable, attempt <= config.retries else { throw error }
                guard clock.now() + wait < deadline else {
                    throw KafkaClientError.timedOut(
                        "\(what) did not succeed in time; last error: \(error)")
                }
                requestMetadataUpdate()
                try await Task.sleep(for: wait)
                attempt += 1
            }
        }
    }
}
