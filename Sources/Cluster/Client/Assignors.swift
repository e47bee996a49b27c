// Client room: the partition assignors a group leader runs (range, roundrobin, sticky), as
// pure functions from subscriptions and partition counts to assignments. Kafka runs these in
// the client, not the broker: the coordinator only relays the bytes.

import NIOCore

/// Kafka's client-side partition assignors for the classic protocol.
///
/// The leader of a generation gets every member's `ConsumerProtocolSubscription` in its
/// JoinGroup answer, runs one of these, and sends the result in SyncGroup. Each mirrors the
/// Java class of the same protocol name: `RangeAssignor` ("range"),
/// `RoundRobinAssignor` ("roundrobin") and the eager `StickyAssignor` ("sticky").
public enum Assignors {
    /// The assignor, by the protocol name consumers put in JoinGroup.
    public enum Strategy: String, CaseIterable, Sendable {
        case range
        case roundrobin
        case sticky

        public var protocolName: String { rawValue }
    }

    /// One partition of one topic.
    public struct TopicPartition: Hashable, Sendable, CustomStringConvertible {
        public var topic: String
        public var partition: Int32
        public init(_ topic: String, _ partition: Int32) {
            self.topic = topic
            self.partition = partition
        }
        public var description: String { "\(topic)-\(partition)" }

        /// Topic (in Java's string order), then partition.
        static func precedes(_ a: TopicPartition, _ b: TopicPartition) -> Bool {
            if a.topic != b.topic { return javaPrecedes(a.topic, b.topic) }
            return a.partition < b.partition
        }
    }

    /// A group member as the assignor sees it.
    public struct Member: Sendable {
        public var memberId: String
        public var groupInstanceId: String?
        public var subscription: ConsumerProtocolSubscription
        public init(
            memberId: String, groupInstanceId: String? = nil,
            subscription: ConsumerProtocolSubscription
        ) {
            self.memberId = memberId
            self.groupInstanceId = groupInstanceId
            self.subscription = subscription
        }
    }

    /// Member id → its partitions, sorted by topic and partition. Every member appears, even
    /// with nothing assigned.
    public typealias Assignment = [String: [TopicPartition]]

    /// Runs `strategy` over `members`; topics missing from `partitionsPerTopic` are skipped.
    public static func assign(
        _ strategy: Strategy, members: [Member], partitionsPerTopic: [String: Int32]
    ) -> Assignment {
        switch strategy {
        case .range: return range(members: members, partitionsPerTopic: partitionsPerTopic)
        case .roundrobin:
            return roundRobin(members: members, partitionsPerTopic: partitionsPerTopic)
        case .sticky: return sticky(members: members, partitionsPerTopic: partitionsPerTopic)
        }
    }

    /// What the leader does with its JoinGroup answer: decode every member's subscription, run
    /// the assignor, and encode each member's share for SyncGroup.
    public static func syncAssignments(
        _ strategy: Strategy, members: [JoinGroupResponse.Member],
        partitionsPerTopic: [String: Int32]
    ) throws(DecodeError) -> [SyncGroupRequest.Assignment] {
        var decoded: [Member] = []
        var versions: [String: Int16] = [:]
        for m in members {
            let subscription = try ConsumerProtocolSubscription(decoding: m.metadata)
            decoded.append(
                Member(
                    memberId: m.memberId, groupInstanceId: m.groupInstanceId,
                    subscription: subscription))
            var r = WireReader(m.metadata)
            versions[m.memberId] = (try? r.readInt16("version")) ?? 0
        }
        let assignment = assign(strategy, members: decoded, partitionsPerTopic: partitionsPerTopic)
        return sortedMembers(decoded).map { m in
            // Answer each member in the version it spoke, as Kafka's ConsumerCoordinator does.
            let version = min(versions[m.memberId] ?? 0, ConsumerProtocolAssignment.version)
            return SyncGroupRequest.Assignment(
                memberId: m.memberId,
                assignment: consumerAssignment(assignment[m.memberId] ?? []).encoded(
                    version: version))
        }
    }

    /// Partitions grouped by topic, in the consumer protocol's form.
    public static func consumerAssignment(
        _ partitions: [TopicPartition]
    ) -> ConsumerProtocolAssignment {
        var topics: [ConsumerProtocolAssignment.TopicPartitions] = []
        for tp in partitions.sorted(by: TopicPartition.precedes) {
            if let last = topics.indices.last, topics[last].topic == tp.topic {
                topics[last].partitions.append(tp.partition)
            } else {
                topics.append(.init(topic: tp.topic, partitions: [tp.partition]))
            }
        }
        return ConsumerProtocolAssignment(assignedPartitions: topics)
    }

    // MARK: - range

    /// Per topic, the subscribed members in order each take a consecutive range; the first
    /// `partitions % members` take one extra. Mirrors `RangeAssignor`.
    public static func range(members: [Member], partitionsPerTopic: [String: Int32]) -> Assignment {
        let ordered = sortedMembers(members)
        var result = emptyAssignment(ordered)
        for topic in subscribedTopics(ordered, partitionsPerTopic) {
            let consumers = ordered.filter { $0.subscription.topics.contains(topic) }
            let count = Int(partitionsPerTopic[topic] ?? 0)
            guard !consumers.isEmpty, count > 0 else { continue }
            let per = count / consumers.count
            let extra = count % consumers.count
            for (i, consumer) in consumers.enumerated() {
                let start = per * i + min(i, extra)
                let length = per + (i < extra ? 1 : 0)
                for p in start..<(start + length) {
                    result[consumer.memberId, default: []].append(TopicPartition(topic, Int32(p)))
                }
            }
        }
        return sorted(result)
    }

    // MARK: - roundrobin

    /// All partitions in topic order, dealt one at a time to the members in a circle, skipping
    /// members not subscribed to the partition's topic. Mirrors `RoundRobinAssignor`.
    public static func roundRobin(
        members: [Member], partitionsPerTopic: [String: Int32]
    ) -> Assignment {
        let ordered = sortedMembers(members)
        var result = emptyAssignment(ordered)
        guard !ordered.isEmpty else { return result }
        var next = 0
        for tp in allPartitions(ordered, partitionsPerTopic) {
            // Some member subscribes to every listed topic, so this finds one within a lap.
            for _ in 0..<ordered.count {
                if ordered[next].subscription.topics.contains(tp.topic) { break }
                next = (next + 1) % ordered.count
            }
            result[ordered[next].memberId, default: []].append(tp)
            next = (next + 1) % ordered.count
        }
        return sorted(result)
    }

    // MARK: - sticky

    /// Balanced like round robin, but keeps each member's partitions from the last generation
    /// where it can. Partitions a member no longer may hold, and partitions claimed twice (the
    /// newer generation wins), are freed; free partitions go, most-constrained first, to the
    /// least loaded eligible member; then partitions move from the most to the least loaded
    /// member until no eligible move can narrow the gap. Follows the eager `StickyAssignor`'s
    /// goals (balance first, then stickiness) with a simpler procedure.
    public static func sticky(members: [Member], partitionsPerTopic: [String: Int32]) -> Assignment
    {
        let ordered = sortedMembers(members)
        let all = allPartitions(ordered, partitionsPerTopic)
        let exists = Set(all)
        var result = emptyAssignment(ordered)

        // Keep last generation's ownership, newest generation first on conflicts.
        var owner: [TopicPartition: (memberId: String, generation: Int32)] = [:]
        for m in ordered {
            for owned in m.subscription.ownedPartitions
            where m.subscription.topics.contains(owned.topic) {
                for p in owned.partitions {
                    let tp = TopicPartition(owned.topic, p)
                    guard exists.contains(tp) else { continue }
                    if let current = owner[tp], current.generation >= m.subscription.generationId {
                        continue
                    }
                    owner[tp] = (m.memberId, m.subscription.generationId)
                }
            }
        }
        for tp in all { if let o = owner[tp] { result[o.memberId, default: []].append(tp) } }

        // Free partitions: fewest eligible members first, each to the least loaded of them.
        let eligible = Dictionary(
            uniqueKeysWithValues: all.map { tp in
                (tp, ordered.filter { $0.subscription.topics.contains(tp.topic) }.map(\.memberId))
            })
        let free = all.filter { owner[$0] == nil }.enumerated().sorted { a, b in
            let ea = eligible[a.element]?.count ?? 0
            let eb = eligible[b.element]?.count ?? 0
            return ea != eb ? ea < eb : a.offset < b.offset
        }.map(\.element)
        for tp in free {
            guard let target = leastLoaded(eligible[tp] ?? [], result) else { continue }
            result[target, default: []].append(tp)
        }

        balance(ordered, eligible: eligible, &result)
        return sorted(result)
    }

    /// Moves one partition at a time from a member with at least two more than the receiver,
    /// most loaded donors and least loaded receivers first, until no such move exists.
    private static func balance(
        _ ordered: [Member], eligible: [TopicPartition: [String]], _ result: inout Assignment
    ) {
        let ids = ordered.map(\.memberId)
        let limit = result.values.reduce(0) { $0 + $1.count } * max(1, ids.count) + 1
        for _ in 0..<limit {
            var moved = false
            let counts = ids.enumerated().map {
                (index: $0.offset, id: $0.element, count: result[$0.element]?.count ?? 0)
            }
            let receivers = counts.sorted { ($0.count, $0.index) < ($1.count, $1.index) }.map(\.id)
            let donors = counts.sorted { (-$0.count, $0.index) < (-$1.count, $1.index) }.map(\.id)
            search: for receiver in receivers {
                let receiving = result[receiver]?.count ?? 0
                for donor in donors where (result[donor]?.count ?? 0) > receiving + 1 {
                    let candidates = (result[donor] ?? []).sorted(by: TopicPartition.precedes)
                    guard
                        let tp = candidates.last(where: { eligible[$0]?.contains(receiver) == true }
                        )
                    else {
                        continue
                    }
                    result[donor]?.removeAll { $0 == tp }
                    result[receiver, default: []].append(tp)
                    moved = true
                    break search
                }
            }
            if !moved { return }
        }
    }

    // MARK: - Shared

    /// Java's `String.compareTo` order: UTF-16 code units.
    static func javaPrecedes(_ a: String, _ b: String) -> Bool {
        a.utf16.lexicographicallyPrecedes(b.utf16)
    }

    /// Kafka's `MemberInfo` order: members with a group.instance.id first, by it; then the
    /// rest by member id.
    static func sortedMembers(_ members: [Member]) -> [Member] {
        members.sorted { a, b in
            switch (a.groupInstanceId, b.groupInstanceId) {
            case (let x?, let y?): return javaPrecedes(x, y)
            case (.some, nil): return true
            case (nil, .some): return false
            case (nil, nil): return javaPrecedes(a.memberId, b.memberId)
            }
        }
    }

    private static func emptyAssignment(_ members: [Member]) -> Assignment {
        Dictionary(members.map { ($0.memberId, []) }, uniquingKeysWith: { a, _ in a })
    }

    private static func sorted(_ assignment: Assignment) -> Assignment {
        assignment.mapValues { $0.sorted(by: TopicPartition.precedes) }
    }

    private static func subscribedTopics(
        _ members: [Member], _ partitionsPerTopic: [String: Int32]
    ) -> [String] {
        Set(members.flatMap(\.subscription.topics)).filter { partitionsPerTopic[$0] != nil }.sorted(
            by: javaPrecedes)
    }

    private static func allPartitions(
        _ members: [Member], _ partitionsPerTopic: [String: Int32]
    ) -> [TopicPartition] {
        subscribedTopics(members, partitionsPerTopic).flatMap { topic in
            (0..<max(0, partitionsPerTopic[topic] ?? 0)).map { TopicPartition(topic, $0) }
        }
    }

    private static func leastLoaded(_ candidates: [String], _ result: Assignment) -> String? {
        var best: (id: String, count: Int)?
        for id in candidates {
            let count = result[id]?.count ?? 0
            if best == nil || count < (best?.count ?? 0) { best = (id, count) }
        }
        return best?.id
    }
}
