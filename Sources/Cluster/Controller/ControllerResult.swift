// Controller room: what one controller decision returns: the records to append to the
// metadata log, the answer for whoever asked, and what a learner should be told.

/// The outcome of one decision of `QuorumController`.
///
/// Nothing has changed yet when a result comes back: the caller appends `records` to the
/// metadata log (atomically, as one batch), replays each into the controller at the offset it
/// got, and only then sends `response`. Mirrors Kafka's `ControllerResult` (whose results are
/// atomic where it matters: `ControllerResult.atomicOf`); `events` is ours, the typed story of
/// the decision for the event stream.
public struct ControllerResult<Response> {
    public var records: [MetadataRecord]
    public var response: Response
    public var events: [ControllerEvent]

    public init(records: [MetadataRecord] = [], response: Response, events: [ControllerEvent] = [])
    {
        self.records = records
        self.response = response
        self.events = events
    }
}

extension ControllerResult: Sendable where Response: Sendable {}
extension ControllerResult: Equatable where Response: Equatable {}

extension ControllerResult where Response == Void {
    public init(records: [MetadataRecord] = [], events: [ControllerEvent] = []) {
        self.init(records: records, response: (), events: events)
    }
}

extension ControllerResult {
    /// The same records and events with the response turned into another shape.
    func map<Other>(_ transform: (Response) -> Other) -> ControllerResult<Other> {
        ControllerResult<Other>(records: records, response: transform(response), events: events)
    }
}
