// Controller room: AllocateProducerIds. Each broker gets blocks of producer ids for the
// idempotent producers it serves; a ProducerIdsRecord moves the cluster's next free id on.

extension QuorumController {
    /// Decides AllocateProducerIds (Kafka's `ProducerIdControlManager.generateNextProducerId`):
    /// a registered broker quoting its current epoch gets the next `producerIdBlockSize` ids.
    public mutating func handleAllocateProducerIds(
        _ r: AllocateProducerIdsRequest
    ) -> ControllerResult<AllocateProducerIdsResponse> {
        guard isActive else {
            return ControllerResult(
                response: AllocateProducerIdsResponse(errorCode: .notController))
        }
        let id = NodeID(r.brokerId)
        guard let broker = image.brokers[id], broker.epoch == r.brokerEpoch else {
            return ControllerResult(
                response: AllocateProducerIdsResponse(errorCode: .staleBrokerEpoch))
        }
        let start = image.nextProducerId
        let (end, overflow) = start.addingReportingOverflow(Int64(config.producerIdBlockSize))
        guard !overflow else {
            // Kafka: "Exhausted all producerIds as the next block's end producerId is will has
            // exceeded long type limit", UNKNOWN_SERVER_ERROR.
            return ControllerResult(
                response: AllocateProducerIdsResponse(errorCode: .unknownServerError))
        }
        return ControllerResult(
            records: [
                .producerIds(
                    ProducerIdsRecord(
                        brokerId: r.brokerId, brokerEpoch: r.brokerEpoch, nextProducerId: end))
            ],
            response: AllocateProducerIdsResponse(
                producerIdStart: start, producerIdLen: config.producerIdBlockSize),
            events: [.producerIdsAllocated(id, start..<end)])
    }
}
