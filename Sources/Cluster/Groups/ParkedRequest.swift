// Groups room: a request the coordinator answers later (a JoinGroup during a rebalance, a
// SyncGroup waiting for the leader), kept as plain data in the group's state.

/// A request waiting for its answer. Mirrors the future Kafka keeps in
/// `ClassicGroupMember.awaitingJoinFuture` / `awaitingSyncFuture`, as a value instead.
public struct ParkedRequest: Hashable, Sendable {
    public var id: RequestID
    public var apiVersion: Int16

    public init(id: RequestID, apiVersion: Int16) {
        self.id = id
        self.apiVersion = apiVersion
    }
}
