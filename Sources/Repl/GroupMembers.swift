// Repl room: the group members a learner starts with `group join`: each a real GroupConsumer
// with its own client, polling in the background, committing, heartbeating, until it leaves
// or is killed. Members print nothing; their rebalance events go to the session's event log.

import Cluster

/// A background member of a consumer group.
@MainActor
final class GroupMemberHandle {
    let group: String
    let name: String
    let topic: String
    let consumer: GroupConsumer
    let client: KafkaClient
    var pollTask: Task<Void, Never>?
    var eventsTask: Task<Void, Never>?
    /// The last records this member read (for `group tail`), bounded.
    var recent: [ConsumedRecord] = []
    var consumedCount = 0
    static let recentMax = 20

    init(group: String, name: String, topic: String, consumer: GroupConsumer, client: KafkaClient) {
        self.group = group
        self.name = name
        self.topic = topic
        self.consumer = consumer
        self.client = client
    }

    func remember(_ records: [ConsumedRecord]) {
        consumedCount += records.count
        recent.append(contentsOf: records)
        if recent.count > Self.recentMax { recent.removeFirst(recent.count - Self.recentMax) }
    }
}

/// Every running member, by `group/name`, and the rebalance events they reported.
@MainActor
final class GroupMembers {
    private(set) var members: [String: GroupMemberHandle] = [:]
    /// Rebalance events and broker notices, newest last, bounded (the `events` command).
    private(set) var events: [String] = []
    static let eventsMax = 500
    static let membersMax = 50
    private var counter = 0

    func key(_ group: String, _ name: String) -> String { "\(group)/\(name)" }

    func member(_ group: String, _ name: String) -> GroupMemberHandle? { members[key(group, name)] }

    func names(in group: String) -> [String] { members.values.filter { $0.group == group }.map(\.name).sorted() }

    /// Keeps `line` with the local time it happened, as `events` shows it.
    func log(_ line: String) {
        events.append(LocalTime.timeOfDay(WallClock.milliseconds()) + "  " + line)
        if events.count > Self.eventsMax { events.removeFirst(events.count - Self.eventsMax) }
    }

    func nextName() -> String {
        counter += 1
        return "member-\(counter)"
    }

    func start(group: String, topic: String, name: String, strategy: Assignors.Strategy, bootstrap: [String]) throws(ReplError) -> GroupMemberHandle {
        guard members[key(group, name)] == nil else {
            throw .failed("A member named \(name) already runs in \(group). Pick another --name, or: group leave \(group) \(name)")
        }
        guard members.count < Self.membersMax else { throw .failed("\(Self.membersMax) members run already; leave some first.") }
        do {
            var clientConfig = ClientConfig(bootstrapServers: bootstrap, clientId: name)
            clientConfig.defaultApiTimeout = .seconds(10)
            let client = try KafkaClient(config: clientConfig)
            var config = GroupConsumerConfig(groupId: group)
            config.assignmentStrategies = [strategy]
            config.sessionTimeout = .milliseconds(6_000)
            config.fetch.autoOffsetReset = .earliest
            let consumer = try GroupConsumer(client: client, config: config)
            let handle = GroupMemberHandle(group: group, name: name, topic: topic, consumer: consumer, client: client)
            members[key(group, name)] = handle
            return handle
        } catch {
            throw describeClientError(error, doing: "Cannot start \(name)")
        }
    }

    func run(_ handle: GroupMemberHandle) async throws(ReplError) {
        do { try await handle.consumer.subscribe([handle.topic]) } catch {
            members[key(handle.group, handle.name)] = nil
            throw describeClientError(error, doing: "\(handle.name) cannot subscribe")
        }
        let label = "\(handle.group)/\(handle.name)"
        let events = handle.consumer.events
        handle.eventsTask = Task { @MainActor [weak self] in
            for await event in events {
                // Auto-commits every second would drown the rest; `group describe` shows offsets.
                if case .committed = event { continue }
                self?.log("group \(label): \(event)")
            }
        }
        let consumer = handle.consumer
        handle.pollTask = Task { @MainActor [weak handle] in
            while !Task.isCancelled {
                guard let records = try? await consumer.poll(timeout: .milliseconds(500), maxRecords: 500) else {
                    try? await Task.sleep(for: .milliseconds(200))
                    continue
                }
                handle?.remember(records)
            }
        }
    }

    /// Stops a member: gracefully (LeaveGroup) or as a crash (no LeaveGroup, no more heartbeats).
    func stop(_ group: String, _ name: String, graceful: Bool) async -> Bool {
        guard let handle = members.removeValue(forKey: key(group, name)) else { return false }
        handle.pollTask?.cancel()
        if graceful { await handle.consumer.leave() } else { await handle.consumer.kill() }
        await handle.client.close()
        return true
    }

    func stopAll() async {
        for key in members.keys.sorted() {
            guard let h = members[key] else { continue }
            _ = await stop(h.group, h.name, graceful: true)
        }
    }
}
