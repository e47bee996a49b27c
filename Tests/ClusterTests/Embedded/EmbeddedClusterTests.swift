// Embedded tests: a real 3-node cluster on loopback. Goal: each node answers ApiVersions over a
// real socket; kill, stop and start change what a client can reach; bad frames close only
// their own connection; the data directory is locked and remembers its broker count.

import Foundation
import NIOCore
import NIOPosix
import Testing

@testable import Cluster

@Suite struct EmbeddedClusterTests {
    static let group = MultiThreadedEventLoopGroup.singleton

    func startCluster(_ brokers: Int = 3, dir: String = temporaryDirectory("cluster")) async throws -> EmbeddedCluster {
        let cluster = try EmbeddedCluster(config: EmbeddedClusterConfig(brokerCount: brokers, dataDirectory: dir))
        try await cluster.start()
        return cluster
    }

    func apiVersions(_ port: Int) async throws -> ApiVersionsResponse {
        let connection = try await KafkaConnection.connect(host: "127.0.0.1", port: port, group: Self.group)
        defer { Task { await connection.close() } }
        return try await connection.send(ApiVersionsRequest(clientSoftwareName: "tests", clientSoftwareVersion: "1"), version: 3)
    }

    @Test("every node of a 3-node cluster answers ApiVersions on its own port")
    func everyNodeAnswers() async throws {
        let cluster = try await startCluster()
        let status = await cluster.status()
        #expect(status.brokers.count == 3)
        #expect(Set(status.brokers.map(\.port)).count == 3)
        for broker in status.brokers {
            let response = try await apiVersions(broker.port)
            #expect(response.errorCode == .none)
            #expect(response.apiKeys == Broker.advertisedApiVersions)
        }
        await cluster.shutdown()
    }

    @Test("a killed broker refuses connections and drops open ones; started again it answers on the same port")
    func killAndStart() async throws {
        let cluster = try await startCluster()
        let port = await cluster.status().brokers[1].port
        let open = try await KafkaConnection.connect(host: "127.0.0.1", port: port, group: Self.group)
        _ = try await open.send(ApiVersionsRequest(), version: 0)
        let killed = try await cluster.kill(NodeID(2))
        #expect(killed.from == .running && killed.to == .killed && killed.connectionsClosed == 1)
        try await open.channel.closeFuture.get()
        await #expect(throws: (any Error).self) { _ = try await apiVersions(port) }
        await #expect(throws: ClusterError.brokerNotRunning(NodeID(2), state: .killed)) { _ = try await cluster.kill(NodeID(2)) }
        let started = try await cluster.restart(NodeID(2))
        #expect(started.from == .killed && started.to == .running)
        #expect(await cluster.status().brokers[1].port == port)
        #expect(try await apiVersions(port).errorCode == .none)
        await #expect(throws: ClusterError.brokerAlreadyRunning(NodeID(2))) { _ = try await cluster.restart(NodeID(2)) }
        await #expect(throws: ClusterError.noSuchBroker(NodeID(7), known: [NodeID(1), NodeID(2), NodeID(3)])) {
            _ = try await cluster.stop(NodeID(7))
        }
        await cluster.shutdown()
    }

    @Test("a stopped broker answers what it was asked before closing, then is down")
    func stop() async throws {
        let cluster = try await startCluster(1)
        let port = await cluster.status().brokers[0].port
        let t = try await cluster.stop(NodeID(1))
        #expect(t.to == .stopped)
        await #expect(throws: (any Error).self) { _ = try await apiVersions(port) }
        #expect(await cluster.state(of: NodeID(1)) == .stopped)
        await cluster.shutdown()
    }

    @Test("an oversized, a garbage and an unknown-key frame each close only their own connection")
    func badFramesCloseOnlyTheirConnection() async throws {
        let cluster = try await startCluster(1)
        let port = await cluster.status().brokers[0].port
        let good = try await KafkaConnection.connect(host: "127.0.0.1", port: port, group: Self.group)
        let frames: [[UInt8]] = [
            [0x7F, 0xFF, 0xFF, 0xFF],  // 2 GiB declared: refused from the size alone
            [0, 0, 0, 3, 1, 2, 3],  // too short for a header
            [0, 0, 0, 8, 0x03, 0xE7, 0, 0, 0, 0, 0, 1],  // api key 999
            [0xFF, 0xFF, 0xFF, 0xF0],  // negative size
        ]
        for frame in frames {
            let bad = try await KafkaConnection.connect(host: "127.0.0.1", port: port, group: Self.group)
            _ = try? await bad.sendRaw(buffer(frame))
            try await bad.channel.closeFuture.get()
            #expect(try await good.send(ApiVersionsRequest(), version: 1).errorCode == .none)
        }
        await good.close()
        await cluster.shutdown()
    }

    @Test("a data directory in use is refused with a clear message, and so is another broker count")
    func dataDirectoryRules() async throws {
        let dir = temporaryDirectory("lock")
        let first = try await startCluster(3, dir: dir)
        #expect(throws: ClusterError.dataDirectoryLocked(path: dir)) {
            _ = try EmbeddedCluster(config: EmbeddedClusterConfig(brokerCount: 3, dataDirectory: dir))
        }
        let id = first.clusterID
        await first.shutdown()
        #expect(throws: ClusterError.brokerCountMismatch(path: dir, existing: 3, requested: 5)) {
            _ = try EmbeddedCluster(config: EmbeddedClusterConfig(brokerCount: 5, dataDirectory: dir))
        }
        // Its metadata log belongs to 3 voters: another quorum size is refused too.
        #expect(throws: ClusterError.controllerCountMismatch(path: dir, existing: 3, requested: 1)) {
            _ = try EmbeddedCluster(config: EmbeddedClusterConfig(brokerCount: 3, dataDirectory: dir, controllers: 1))
        }
        let again = try EmbeddedCluster(config: EmbeddedClusterConfig(brokerCount: 3, dataDirectory: dir))
        #expect(again.clusterID == id)
        let meta = try String(contentsOfFile: dir + "/node-2/meta.properties", encoding: .utf8)
        #expect(meta.contains("cluster.id=\(id)") && meta.contains("node.id=2"))
    }

    @Test("--controllers 1 on 3 brokers: broker 1 is the only voter and the others observe, and the cluster works")
    func oneController() async throws {
        let cluster = try EmbeddedCluster(config: EmbeddedClusterConfig(
            brokerCount: 3, dataDirectory: temporaryDirectory("one-controller"), controllers: 1))
        try await cluster.start()
        #expect(await cluster.waitUntilReady())
        let brokers = await cluster.status().brokers
        #expect(brokers.map(\.isVoter) == [true, false, false])
        #expect(await cluster.status().controller == NodeID(1))
        #expect(brokers.allSatisfy { $0.fenced == false })
        await cluster.shutdown()
    }
}
