// Metadata room: UnregisterBrokerRecord (apiKey 1): a broker leaves the cluster for good
// (kafka-cluster.sh unregister), named by id and the epoch of the registration it ends.

import NIOCore

/// `UnregisterBrokerRecord`, apiKey 1, version 0.
///
/// Replay removes the registration only when `brokerEpoch` matches it, as Kafka's
/// `ClusterDelta` checks, so a late record cannot remove a newer incarnation.
public struct UnregisterBrokerRecord: MetadataRecordCodec {
    public static let apiKey: Int16 = 1
    public static let versions: ClosedRange<Int16> = 0...0
    public var version: Int16 { 0 }

    public var brokerId: Int32
    public var brokerEpoch: Int64

    public init(brokerId: Int32, brokerEpoch: Int64) {
        self.brokerId = brokerId
        self.brokerEpoch = brokerEpoch
    }

    public init(from r: inout WireReader, version: Int16) throws(DecodeError) {
        brokerId = try r.readInt32("BrokerId")
        brokerEpoch = try r.readInt64("BrokerEpoch")
        try r.readTaggedFields("UnregisterBrokerRecord")
    }

    public func encode(to w: inout WireWriter, version: Int16) {
        w.writeInt32(brokerId)
        w.writeInt64(brokerEpoch)
        w.writeTaggedFields()
    }

    public func fields(version: Int16) -> [(String, String)] {
        [("brokerId", String(brokerId)), ("brokerEpoch", String(brokerEpoch))]
    }
}
