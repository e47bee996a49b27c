// Groups room: whether this coordinator owns a __consumer_offsets partition yet.

/// The coordinator's hold on one `__consumer_offsets` partition. A group whose partition is
/// absent gets NOT_COORDINATOR; one still loading gets COORDINATOR_LOAD_IN_PROGRESS, as in
/// Kafka's `CoordinatorRuntime` (loading, active).
public enum OffsetsPartitionState: Equatable, Sendable {
    case loading
    case loaded
}
