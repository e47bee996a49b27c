// Metadata room: renders record field values as the JSON that Kafka's generated
// `*JsonConverter` classes print, so `kafka-dump-log.sh --cluster-metadata-decoder` and the
// REPL's `metadata` command show a record the same way.

/// JSON value text for metadata record fields, compact as Jackson's `ObjectNode.toString`.
enum MetadataJSON {
    static func string(_ s: String) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16, uppercase: true)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }

    static func string(_ s: String?) -> String { s.map { string($0) } ?? "null" }

    /// Kafka prints a `Uuid` as its base64 text.
    static func uuid(_ id: Uuid) -> String { string(id.description) }

    static func int32s(_ items: [Int32]) -> String {
        "[" + items.map(String.init).joined(separator: ",") + "]"
    }

    static func int32s(_ items: [Int32]?) -> String { items.map { int32s($0) } ?? "null" }

    static func uuids(_ items: [Uuid]) -> String {
        "[" + items.map(uuid).joined(separator: ",") + "]"
    }

    static func uuids(_ items: [Uuid]?) -> String { items.map { uuids($0) } ?? "null" }

    /// A JSON object from already rendered field values, in the given order.
    static func object(_ fields: [(String, String)]) -> String {
        "{" + fields.map { string($0.0) + ":" + $0.1 }.joined(separator: ",") + "}"
    }

    static func objects(_ items: [[(String, String)]]) -> String {
        "[" + items.map(object).joined(separator: ",") + "]"
    }
}
