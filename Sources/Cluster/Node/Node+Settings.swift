// Node room: a learner changed a timeout for the running cluster (`cluster config --set`).
// Every running part takes the new value at once; deadlines already set run out as they were.

extension Node {
    /// The node's changeable settings as it runs them.
    public var settings: ClusterSettings {
        ClusterSettings(raft: config.raft, controller: config.controller, replicaFetch: config.replicaFetch)
    }

    /// Adopts new timings. The voters and the cluster id are the node's own and stay.
    public mutating func changeSettings(_ settings: ClusterSettings) {
        var raftConfig = settings.raft
        raftConfig.voters = config.raft.voters
        config.raft = raftConfig
        raft.config = raftConfig
        var controllerConfig = settings.controller
        controllerConfig.clusterId = config.controller.clusterId
        config.controller = controllerConfig
        controller?.changeConfig(controllerConfig)
        config.replicaFetch = settings.replicaFetch
        broker.replicaFetchConfig = settings.replicaFetch
    }
}
