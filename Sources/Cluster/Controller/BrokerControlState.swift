// Controller room: the four states a registered broker can be in, from the controller's side,
// and the move a heartbeat asks for.

/// Where a registered broker stands (Kafka's `BrokerControlState`).
enum BrokerControlState: Equatable {
    /// May not lead partitions; it has not caught up, asked to be fenced, or lost its session.
    case fenced
    /// May lead partitions.
    case unfenced
    /// Leaving: leadership moves to other brokers before it may stop.
    case controlledShutdown
    /// May stop now; it is (or is about to be) fenced.
    case shutdownNow

    /// Kafka's `BrokerControlState.fenced()`, what the heartbeat response says.
    var isFenced: Bool { self == .fenced || self == .shutdownNow }
}
