// Client room: one row of a client's settings table (Kafka's dotted name, our default and
// Kafka's), and the reader that turns `name=value` properties into typed settings.

/// A client setting as the REPL lists it: Kafka's name, the default here and Kafka's own.
public struct ConfigSetting: Equatable, Sendable {
    public var name: String
    public var ourDefault: String
    public var kafkaDefault: String
    public var meaning: String

    public init(_ name: String, ours: String, kafka: String, _ meaning: String) {
        self.name = name
        self.ourDefault = ours
        self.kafkaDefault = kafka
        self.meaning = meaning
    }
}

/// Reads typed values out of `name=value` properties, refusing what Kafka's `ConfigDef`
/// would refuse (a non-number, a value out of range, a name no setting has).
struct PropertyReader {
    private var remaining: [String: String]
    private let known: Set<String>

    init(_ properties: [String: String], known: [ConfigSetting]) {
        self.remaining = properties
        self.known = Set(known.map(\.name))
    }

    func has(_ name: String) -> Bool { remaining[name] != nil }

    mutating func string(_ name: String) -> String? {
        remaining.removeValue(forKey: name)?.trimmingSpaces
    }

    mutating func int(_ name: String, in range: ClosedRange<Int>) throws(KafkaClientError) -> Int? {
        guard let text = string(name) else { return nil }
        guard let value = Int(text), range.contains(value) else {
            throw .invalidConfig(
                "\(name)=\(text) must be a whole number in "
                    + "\(range.lowerBound)...\(range.upperBound)"
            )
        }
        return value
    }

    mutating func milliseconds(_ name: String) throws(KafkaClientError) -> Duration? {
        try int(name, in: 0...Int(Int32.max)).map { .milliseconds($0) }
    }

    mutating func bool(_ name: String) throws(KafkaClientError) -> Bool? {
        guard let text = string(name) else { return nil }
        switch text.lowercased() {
        case "true": return true
        case "false": return false
        default: throw .invalidConfig("\(name)=\(text) must be true or false")
        }
    }

    /// Fails on the first (in sorted order) name that is not a known setting.
    func finish() throws(KafkaClientError) {
        for name in remaining.keys.sorted() where !known.contains(name) {
            throw .invalidConfig("'\(name)' is not a setting here")
        }
    }
}

extension String {
    var trimmingSpaces: String {
        var slice = Substring(self)
        while slice.first == " " { slice = slice.dropFirst() }
        while slice.last == " " { slice = slice.dropLast() }
        return String(slice)
    }
}
