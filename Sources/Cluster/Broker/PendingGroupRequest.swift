// Broker room: what the broker keeps about a group request the coordinator has not answered
// yet, so the late answer can be framed at the request's version.

/// A group request the coordinator parked (a JoinGroup during a rebalance, a SyncGroup waiting
/// for the leader): what the broker needs to frame its answer later, since effects carry only
/// the `RequestID`. Mirrors the `RequestChannel.Request` Kafka keeps with a delayed operation.
struct PendingGroupRequest {
    var apiVersion: Int16
    var clientId: String?
    var requestBytes: Int
}
