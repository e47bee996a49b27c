// Protocol room: BrokerHeartbeat (key 63), versions 0-1, flexible at every version. A
// registered broker's lease with the active controller, and how it asks to be unfenced or to
// shut down (KIP-631).
//
// v0: the first version.  v1: the tagged offline_log_dirs, the ids of log directories that
// failed (KIP-858).

import NIOCore

/// "Broker N, epoch E, has replayed the metadata log up to offset O."
///
/// A broker that stops heartbeating for `broker.session.timeout.ms` is fenced: it leads no
/// partition. A fenced broker is unfenced once it has caught up with the metadata log and
/// no longer `wantFence`. Mirrors Kafka's `BrokerHeartbeatRequestData`.
public struct BrokerHeartbeatRequest: KafkaRequest, Equatable {
    public typealias Response = BrokerHeartbeatResponse
    public static let apiKey = ApiKey.brokerHeartbeat
    public static let versions: ClosedRange<Int16> = 0...1
    public static let firstFlexibleVersion: Int16? = 0

    public var brokerId: Int32
    /// The epoch from the broker's registration.
    public var brokerEpoch: Int64
    /// The highest metadata log offset the broker has replayed.
    public var currentMetadataOffset: Int64
    public var wantFence: Bool
    /// True once the broker begins a controlled shutdown.
    public var wantShutDown: Bool
    /// v1+, tagged (tag 0); sent only when not empty.
    public var offlineLogDirs: [Uuid]

    public init(
        brokerId: Int32, brokerEpoch: Int64 = -1, currentMetadataOffset: Int64 = -1,
        wantFence: Bool = false, wantShutDown: Bool = false, offlineLogDirs: [Uuid] = []
    ) {
        self.brokerId = brokerId
        self.brokerEpoch = brokerEpoch
        self.currentMetadataOffset = currentMetadataOffset
        self.wantFence = wantFence
        self.wantShutDown = wantShutDown
        self.offlineLogDirs = offlineLogDirs
    }

    private static let offlineLogDirsTag: UInt32 = 0

    public init(from reader: inout WireReader, version: Int16) throws(DecodeError) {
        self.init(brokerId: try reader.readInt32("broker_id"))
        brokerEpoch = try reader.readInt64("broker_epoch")
        currentMetadataOffset = try reader.readInt64("current_metadata_offset")
        wantFence = try reader.readBool("want_fence")
        wantShutDown = try reader.readBool("want_shut_down")
        var offline: [Uuid] = []
        try reader.readTaggedFields("BrokerHeartbeatRequest") { tag, t throws(DecodeError) in
            if (1...).contains(version) && tag == Self.offlineLogDirsTag {
                offline = try t.readUuidArray("offline_log_dirs", compact: true)
            }
        }
        offlineLogDirs = offline
    }

    public func encode(to writer: inout WireWriter, version: Int16) {
        writer.writeInt32(brokerId)
        writer.writeInt64(brokerEpoch)
        writer.writeInt64(currentMetadataOffset)
        writer.writeBool(wantFence)
        writer.writeBool(wantShutDown)
        var tags: [(tag: UInt32, bytes: ByteBuffer)] = []
        if (1...).contains(version) && !offlineLogDirs.isEmpty {
            tags.append(
                WireWriter.taggedField(Self.offlineLogDirsTag) {
                    $0.writeUuidArray(offlineLogDirs, compact: true)
                })
        }
        writer.writeTaggedFields(tags)
    }
}

/// The controller's verdict on the broker's lease. Mirrors `BrokerHeartbeatResponseData`.
public struct BrokerHeartbeatResponse: KafkaResponse, Equatable {
    public var throttleTimeMs: Int32
    /// NONE, STALE_BROKER_EPOCH, NOT_CONTROLLER...
    public var errorCode: ErrorCode
    /// True once the broker is close enough to the metadata log's end to be unfenced.
    public var isCaughtUp: Bool
    /// Kafka's default is true: a broker is fenced until the controller says otherwise.
    public var isFenced: Bool
    /// True once the controller has moved leadership away and the broker may stop.
    public var shouldShutDown: Bool

    public init(
        throttleTimeMs: Int32 = 0, errorCode: ErrorCode = .none, isCaughtUp: Bool = false,
        isFenced: Bool = true, shouldShutDown: Bool = false
    ) {
        self.throttleTimeMs = throttleTimeMs
        self.errorCode = errorCode
        self.isCaughtUp = isCaughtUp
        self.isFenced = isFenced
        self.shouldShutDown = shouldShutDown
    }

    public init(from reader: inout WireReader, version: Int16) throws(DecodeError) {
        throttleTimeMs = try reader.readInt32("throttle_time_ms")
        errorCode = ErrorCode(rawValue: try reader.readInt16("error_code"))
        isCaughtUp = try reader.readBool("is_caught_up")
        isFenced = try reader.readBool("is_fenced")
        shouldShutDown = try reader.readBool("should_shut_down")
        try reader.readTaggedFields("BrokerHeartbeatResponse")
    }

    public func encode(to writer: inout WireWriter, version: Int16) {
        writer.writeInt32(throttleTimeMs)
        writer.writeInt16(errorCode.rawValue)
        writer.writeBool(isCaughtUp)
        writer.writeBool(isFenced)
        writer.writeBool(shouldShutDown)
        writer.writeTaggedFields()
    }
}
