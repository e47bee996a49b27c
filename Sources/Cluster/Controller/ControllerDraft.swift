// Controller room: the records of one decision as they are made, applied at once to a scratch
// copy of the image, so each later step of the same decision sees the earlier ones.

/// A decision under construction.
///
/// Fencing two brokers in one tick, or creating two topics in one request, must see the first
/// change when making the second: Kafka's controller gets this from its timeline data
/// structures, which show its own records before they are committed. Here every record is
/// replayed into a private copy of the image as it is appended; the copy is thrown away and the
/// caller replays the records for real once they have offsets. Partition changes are turned
/// into `partitionChanged` events on the way (preceded by `uncleanLeaderElected` when the new
/// leader was not in the ISR), so each changed partition is told exactly once.
struct ControllerDraft {
    private(set) var image: MetadataImage
    private(set) var records: [MetadataRecord] = []
    var events: [ControllerEvent] = []

    init(_ image: MetadataImage) {
        self.image = image
    }

    mutating func append(_ record: MetadataRecord) {
        let before = partitionBefore(record)
        records.append(record)
        image.replay(record, offset: image.offset + 1)
        if case .partitionChange(let change) = record, let (topic, old) = before,
            let new = image.partition(topic, change.partitionId)
        {
            // A clean election picks from the ISR it had; a leader from outside it is unclean.
            if let leader = new.leader, leader != old.leader, !old.isr.contains(leader) {
                events.append(
                    .uncleanLeaderElected(
                        topic: topic, partition: change.partitionId, leader: leader,
                        formerIsr: old.isr))
            }
            events.append(
                .partitionChanged(
                    topic: topic, partition: change.partitionId,
                    leader: Change(from: old.leader, to: new.leader),
                    isr: Change(from: old.isr, to: new.isr), leaderEpoch: new.leaderEpoch))
        }
    }

    mutating func append(contentsOf records: [MetadataRecord]) {
        for record in records { append(record) }
    }

    private func partitionBefore(_ record: MetadataRecord) -> (String, PartitionRegistration)? {
        guard case .partitionChange(let change) = record,
            let topic = image.topic(id: change.topicId),
            let partition = image.partition(topic.name, change.partitionId)
        else { return nil }
        return (topic.name, partition)
    }

    func result<Response>(_ response: Response) -> ControllerResult<Response> {
        ControllerResult(records: records, response: response, events: events)
    }
}
