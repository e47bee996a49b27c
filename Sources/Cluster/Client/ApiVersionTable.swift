// Client room: what one broker said in ApiVersions, and the version choice every request
// makes from it: the highest version both sides speak, or a clear refusal.

/// The API version ranges one broker advertised.
///
/// A client sends each request at the highest version that both it and the broker support,
/// and refuses to send one they share no version of, naming both ranges. Mirrors Kafka's
/// `NodeApiVersions.latestUsableVersion`.
public struct ApiVersionTable: Sendable, Equatable {
    public let nodeId: Int32
    public let ranges: [ApiKey: ClosedRange<Int16>]

    public init(nodeId: Int32, ranges: [ApiKey: ClosedRange<Int16>]) {
        self.nodeId = nodeId
        self.ranges = ranges
    }

    /// The table from a broker's answer; ranges with min > max are dropped as meaningless.
    public init(nodeId: Int32, response: ApiVersionsResponse) {
        var ranges: [ApiKey: ClosedRange<Int16>] = [:]
        for entry in response.apiKeys where entry.minVersion <= entry.maxVersion {
            ranges[entry.apiKey] = entry.minVersion...entry.maxVersion
        }
        self.init(nodeId: nodeId, ranges: ranges)
    }

    /// The highest version of `key` in both `ours` and the broker's range, or nil.
    public func usableVersion(_ key: ApiKey, ours: ClosedRange<Int16>) -> Int16? {
        guard let theirs = ranges[key] else { return nil }
        let high = min(ours.upperBound, theirs.upperBound)
        let low = max(ours.lowerBound, theirs.lowerBound)
        return low <= high ? high : nil
    }

    /// The version to send `R` at, capped at `cap` when a caller needs an older one (Fetch
    /// below v13 when a topic id is unknown).
    public func version<R: KafkaRequest>(for type: R.Type, cap: Int16? = nil)
        throws(KafkaClientError) -> Int16
    {
        var ours = R.versions
        if let cap {
            guard cap >= ours.lowerBound else {
                throw .unsupportedVersion(
                    api: R.apiKey, broker: nodeId, brokerVersions: ranges[R.apiKey],
                    clientVersions: ours)
            }
            ours = ours.lowerBound...min(cap, ours.upperBound)
        }
        guard let version = usableVersion(R.apiKey, ours: ours) else {
            throw .unsupportedVersion(
                api: R.apiKey, broker: nodeId, brokerVersions: ranges[R.apiKey],
                clientVersions: ours)
        }
        return version
    }

    public func supports(_ key: ApiKey) -> Bool { ranges[key] != nil }
}
