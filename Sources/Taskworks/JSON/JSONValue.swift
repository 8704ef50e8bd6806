import Foundation

/// A JSON document held as a value: task payloads and results are stored this way so every
/// store can keep them as readable JSON.
///
/// Make one from any `Encodable` value with ``init(encoding:)`` and read it back as a typed value
/// with ``decode(_:)``.
///
/// ```swift
/// struct Resize: Codable { var width: Int }
/// let json = try JSONValue(encoding: Resize(width: 640))   // {"width": 640}
/// let resize = try json.decode(Resize.self)
/// ```
public enum JSONValue: Sendable, Hashable, Codable, CustomStringConvertible {
    /// `null`.
    case null
    /// `true` or `false`.
    case bool(Bool)
    /// A number without a fraction that fits in 64 bits.
    case integer(Int64)
    /// Any other number.
    case double(Double)
    /// A string.
    case string(String)
    /// An array.
    case array([JSONValue])
    /// An object.
    case object([String: JSONValue])

    /// Encodes `value` with `JSONEncoder` (the bridge from your `Encodable` types) and reads the
    /// text with Taskworks' own JSON parser, so the value holds exactly what the text says.
    ///
    /// - Throws: ``TaskworksError/Code/invalidInput`` when the value cannot be encoded as JSON
    ///   (for example a `Double.nan`).
    public init(encoding value: some Encodable) throws {
        if let already = value as? JSONValue {
            self = already
            return
        }
        do {
            let data = try JSONEncoder().encode(value)
            self = try JSONParser.parseWhole([UInt8](data)[...]) { try $0.value() }
        } catch {
            throw TaskworksError.invalidInput(
                "the value of type \(type(of: value)) could not be encoded as JSON: \(error)")
        }
    }

    /// Decodes this JSON as a `T`: the text ``jsonText`` writes, read by `JSONDecoder` (the bridge
    /// to your `Decodable` types).
    ///
    /// - Throws: ``TaskworksError/Code/invalidInput`` naming the type and what did not match.
    public func decode<T: Decodable>(_ type: T.Type) throws -> T {
        if let same = self as? T {
            return same
        }
        do {
            return try JSONDecoder().decode(T.self, from: Data(jsonText.utf8))
        } catch {
            throw TaskworksError.invalidInput(
                "the JSON does not decode as \(T.self): \(error)")
        }
    }

    /// The value as compact JSON text with sorted keys, e.g. `{"width":640}`: ``jsonText``.
    public var description: String { jsonText }

    /// Decodes any JSON value.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let bool = try? container.decode(Bool.self) {
            self = .bool(bool)
        } else if let integer = try? container.decode(Int64.self) {
            self = .integer(integer)
        } else if let double = try? container.decode(Double.self) {
            self = .double(double)
        } else if let string = try? container.decode(String.self) {
            self = .string(string)
        } else if let array = try? container.decode([JSONValue].self) {
            self = .array(array)
        } else if let object = try? container.decode([String: JSONValue].self) {
            self = .object(object)
        } else {
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "the value is not JSON")
        }
    }

    /// Encodes the value as the JSON it holds.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .bool(let value): try container.encode(value)
        case .integer(let value): try container.encode(value)
        case .double(let value): try container.encode(value)
        case .string(let value): try container.encode(value)
        case .array(let value): try container.encode(value)
        case .object(let value): try container.encode(value)
        }
    }
}
