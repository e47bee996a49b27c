// Groups room: everything one step or tick of the group coordinator asks the world to do,
// carried out in field order: append the records durably, then send the responses.

/// The output of `GroupCoordinator.step`, `tick`, and partition loading and unloading.
///
/// Records come first: a response may promise what a record holds (an offset commit, a
/// generation's assignment), so the integrator appends every record to its
/// `__consumer_offsets` partition, and syncs, before sending any response. The records are
/// already applied to the coordinator's state. Mirrors Kafka's `CoordinatorResult` (records
/// plus response, with the response sent after the append completes).
public struct GroupEffects: Sendable {
    /// Records for `__consumer_offsets`, in order; partition by `GroupConfig.offsetsPartition`.
    public var records: [GroupRecord] = []
    /// Answers, now or for parked requests, in the order produced.
    public var responses: [(RequestID, GroupResponse)] = []
    public var events: [GroupEvent] = []

    public init() {}

    public var isEmpty: Bool { records.isEmpty && responses.isEmpty && events.isEmpty }

    mutating func respond(_ request: RequestID, _ response: GroupResponse) {
        responses.append((request, response))
    }

    mutating func append(_ other: GroupEffects) {
        records += other.records
        responses += other.responses
        events += other.events
    }

    /// The records grouped by `__consumer_offsets` partition, keeping their order within each.
    public func recordsByPartition(
        _ config: GroupConfig
    ) -> [(partition: Int32, records: [GroupRecord])] {
        var order: [Int32] = []
        var byPartition: [Int32: [GroupRecord]] = [:]
        for record in records {
            let p = config.offsetsPartition(for: record.groupId)
            if byPartition[p] == nil { order.append(p) }
            byPartition[p, default: []].append(record)
        }
        return order.map { ($0, byPartition[$0] ?? []) }
    }
}
