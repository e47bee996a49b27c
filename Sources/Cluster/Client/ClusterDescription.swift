// Client room: the cluster as DescribeCluster (or, from older brokers, Metadata) shows it:
// its id, the controller and the brokers.

/// The cluster id, the controller's node id (-1 when unknown) and the brokers in id order.
/// Mirrors Kafka's `DescribeClusterResult`.
public struct ClusterDescription: Sendable, Equatable {
    public var clusterId: String?
    public var controllerId: Int32
    public var brokers: [MetadataCache.Broker]

    public init(clusterId: String?, controllerId: Int32, brokers: [MetadataCache.Broker]) {
        self.clusterId = clusterId
        self.controllerId = controllerId
        self.brokers = brokers
    }
}
