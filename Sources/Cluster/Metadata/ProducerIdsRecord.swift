// Metadata room: ProducerIdsRecord (apiKey 15): the controller handed a block of producer ids
// to a broker (AllocateProducerIds, KIP-730); the next block starts at `nextProducerId`.

import NIOCore

/// `ProducerIdsRecord`, apiKey 15, version 0.
public struct ProducerIdsRecord: MetadataRecordCodec {
    public static let apiKey: Int16 = 15
    public static let versions: ClosedRange<Int16> = 0...0
    public var version: Int16 { 0 }

    public var brokerId: Int32
    /// The requesting broker's epoch (the schema's default is -1).
    public var brokerEpoch: Int64
    public var nextProducerId: Int64

    public init(brokerId: Int32, brokerEpoch: Int64, nextProducerId: Int64) {
        self.brokerId = brokerId
        self.brokerEpoch = brokerEpoch
        self.nextProducerId = nextProducerId
    }

    public init(from r: inout WireReader, version: Int16) throws(DecodeError) {
        brokerId = try r.readInt32("BrokerId")
        brokerEpoch = try r.readInt64("BrokerEpoch")
        nextProducerId = try r.readInt64("NextProducerId")
        try r.readTaggedFields("ProducerIdsRecord")
    }

    public func encode(to w: inout WireWriter, version: Int16) {
        w.writeInt32(brokerId)
        w.writeInt64(brokerEpoch)
        w.writeInt64(nextProducerId)
        w.writeTaggedFields()
    }

    public func fields(version: Int16) -> [(String, String)] {
        [
            ("brokerId", String(brokerId)), ("brokerEpoch", String(brokerEpoch)),
            ("nextProducerId", String(nextProducerId)),
        ]
    }
}
