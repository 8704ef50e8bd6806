import Foundation

extension JSONValue {
    /// Compact JSON text for this value, read back to an equal value by ``init(jsonText:)``:
    /// integers stay integers, doubles keep their decimal point, object keys come out sorted (so
    /// equal values give equal text). Stores that keep payloads as text use this pair.
    ///
    /// ```swift
    /// let text = JSONValue.object(["rows": .integer(3), "ratio": .double(1)]).jsonText
    /// // {"ratio":1.0,"rows":3}
    /// ```
    public var jsonText: String {
        var bytes: [UInt8] = []
        JSONWriter.appendValue(self, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Parses JSON text (one value, whitespace around it allowed).
    ///
    /// - Throws: ``TaskworksError/Code/invalidInput`` naming the byte offset where the text stops
    ///   being JSON.
    public init(jsonText: String) throws {
        do {
            self = try JSONParser.parseWhole(Array(jsonText.utf8)[...]) { try $0.value() }
        } catch {
            throw TaskworksError.invalidInput("not JSON: \(error); give one JSON value as UTF-8 text")
        }
    }
}
