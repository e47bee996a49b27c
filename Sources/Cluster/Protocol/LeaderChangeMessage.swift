// Protocol room: LeaderChangeMessage, the value of the control record a new KRaft leader
// writes first in its epoch (control type 2), naming itself, the voters and who voted for it.
// Schema: clients/src/main/resources/common/message/LeaderChangeMessage.json.

import NIOCore

/// `LeaderChangeMessage` (a data schema, versions 0-1, flexible 0+), read and written at
/// version 0 as Kafka's `ControlRecordUtils.LEADER_CHANGE_CURRENT_VERSION` is: each voter is
/// a `Voter` struct holding only `VoterId` (v1 adds `VoterDirectoryId`, which Kafka does not
/// write here). The `Version` field is data inside the message, also 0.
public struct LeaderChangeMessage: Equatable, Sendable {
    /// The schema version of the record value.
    public static let valueVersion: Int16 = 0

    /// The message's own `Version` field.
    public var version: Int16
    public var leaderId: Int32
    /// The voters of the quorum in this epoch.
    public var voters: [Int32]
    /// The voters that granted the leader its vote.
    public var grantingVoters: [Int32]

    public init(version: Int16 = 0, leaderId: Int32, voters: [Int32], grantingVoters: [Int32]) {
        self.version = version
        self.leaderId = leaderId
        self.voters = voters
        self.grantingVoters = grantingVoters
    }

    public init(from r: inout WireReader) throws(DecodeError) {
        version = try r.readInt16("Version")
        leaderId = try r.readInt32("LeaderId")
        voters = try Self.readVoters("Voters", &r)
        grantingVoters = try Self.readVoters("GrantingVoters", &r)
        try r.readTaggedFields("LeaderChangeMessage")
    }

    public func encode(to w: inout WireWriter) {
        w.writeInt16(version)
        w.writeInt32(leaderId)
        Self.writeVoters(voters, &w)
        Self.writeVoters(grantingVoters, &w)
        w.writeTaggedFields()
    }

    private static func readVoters(_ field: String, _ r: inout WireReader) throws(DecodeError)
        -> [Int32]
    {
        try r.readArray(field, compact: true) { v throws(DecodeError) in
            let id = try v.readInt32(field + ".VoterId")
            try v.readTaggedFields(field)
            return id
        }
    }

    private static func writeVoters(_ ids: [Int32], _ w: inout WireWriter) {
        w.writeArray(ids, compact: true) { w, id in
            w.writeInt32(id)
            w.writeTaggedFields()
        }
    }
}
