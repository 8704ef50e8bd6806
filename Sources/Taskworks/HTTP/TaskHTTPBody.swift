import Foundation

/// Request bodies, read strictly: Taskworks' own JSON parser (nesting bounded), a key given
/// twice anywhere is refused, and so is a top-level key the route does not know, so a typo such
/// as `"paylod"` is an error rather than a silently ignored field.
package enum TaskHTTPBody {
    package static func object(_ body: [UInt8], allowing allowed: Set<String>) throws -> [String: JSONValue] {
        guard !body.isEmpty else { return [:] }
        let value: JSONValue
        do {
            value = try JSONParser.parseWhole(body[...]) { parser in
                parser.rejectsDuplicateKeys = true
                return try parser.value()
            }
        } catch {
            throw TaskworksError.invalidInput(
                "the request body is not valid JSON (\(error)); send one JSON object as UTF-8, nested at "
                    + "most \(JSONValue.maximumNestingDepth) deep, each key once")
        }
        guard case .object(let fields) = value else {
            throw TaskworksError.invalidInput("the request body must be a JSON object")
        }
        if let unknown = fields.keys.sorted().first(where: { !allowed.contains($0) }) {
            let known = allowed.isEmpty ? "none" : allowed.sorted().joined(separator: ", ")
            throw TaskworksError.invalidInput(
                "the request body has an unknown field \"\(unknown.prefix(60))\"; the fields here are: \(known)"
            )
        }
        return fields
    }

    /// Whether a `Content-Type` value is `application/json` (any parameters, any case).
    package static func isJSON(contentType: String?) -> Bool {
        guard let contentType else { return false }
        let mediaType = contentType.split(separator: ";", maxSplits: 1).first ?? ""
        return mediaType.trimmingCharacters(in: .whitespaces).lowercased() == "application/json"
    }
}
