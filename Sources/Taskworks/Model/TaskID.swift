import Foundation

/// The identifier of a task: a random UUID, written in lowercase.
///
/// Task ids come from the framework; parse one that arrives from outside (a URL, a form) with
/// ``init(parsing:)``, which throws a ``TaskworksError`` instead of trapping on bad text.
///
/// ```swift
/// let id = try TaskID(parsing: request.pathComponent)
/// let task = try await service.task(id, as: .user("alice"))
/// ```
public struct TaskID: Hashable, Sendable, Codable, CustomStringConvertible {
    /// The underlying UUID.
    public let uuid: UUID

    /// Makes a new random id (a version 4 UUID).
    public init() {
        self.uuid = RandomUUIDSource.shared.next()
    }

    /// Wraps an existing UUID.
    public init(uuid: UUID) {
        self.uuid = uuid
    }

    /// Parses the text form of an id (any letter case).
    ///
    /// - Throws: ``TaskworksError/Code/invalidInput`` when the text is not a UUID.
    public init(parsing text: String) throws {
        guard let uuid = TaskID.parseUUID(text.utf8) else {
            throw TaskworksError.invalidInput(
                "'\(text.prefix(80))' is not a task id; task ids are UUIDs such as "
                    + "'3f2504e0-4f89-41d3-9a0c-0305e82c3301'")
        }
        self.uuid = uuid
    }

    /// The lowercase text form, e.g. `3f2504e0-4f89-41d3-9a0c-0305e82c3301`.
    public var description: String {
        let hex: [UInt8] = Array("0123456789abcdef".utf8)
        let bytes = uuid.uuid
        return String(unsafeUninitializedCapacity: 36) { buffer in
            var position = 0
            withUnsafeBytes(of: bytes) { raw in
                for (index, byte) in raw.enumerated() {
                    if index == 4 || index == 6 || index == 8 || index == 10 {
                        buffer[position] = UInt8(ascii: "-")
                        position += 1
                    }
                    buffer[position] = hex[Int(byte >> 4)]
                    buffer[position + 1] = hex[Int(byte & 0x0F)]
                    position += 2
                }
            }
            return position
        }
    }

    /// Parses `8-4-4-4-12` hex digits (any letter case) without going through `sscanf`.
    static func parseUUID(_ text: some Collection<UInt8>) -> UUID? {
        guard text.count == 36 else { return nil }
        var bytes = [UInt8](repeating: 0, count: 16)
        var byteIndex = 0
        var high: UInt8?
        for (offset, character) in text.enumerated() {
            if offset == 8 || offset == 13 || offset == 18 || offset == 23 {
                guard character == UInt8(ascii: "-") else { return nil }
                continue
            }
            let nibble: UInt8
            switch character {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): nibble = character - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): nibble = character - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): nibble = character - UInt8(ascii: "A") + 10
            default: return nil
            }
            if let first = high {
                bytes[byteIndex] = first << 4 | nibble
                byteIndex += 1
                high = nil
            } else {
                high = nibble
            }
        }
        return UUID(
            uuid: (
                bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7], bytes[8],
                bytes[9], bytes[10], bytes[11], bytes[12], bytes[13], bytes[14], bytes[15]
            ))
    }

    /// Decodes an id from its text form.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let uuid = TaskID.parseUUID(text.utf8) else {
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "'\(text.prefix(80))' is not a task id (UUID)")
        }
        self.uuid = uuid
    }

    /// Encodes the id as its lowercase text form.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

extension TaskID: Comparable {
    /// The order of the UUIDs' bytes (the order PostgreSQL sorts `uuid` in, and the order of the
    /// lowercase text form): what ``TaskStore/scanTasks(after:limit:)`` walks in.
    public static func < (lhs: TaskID, rhs: TaskID) -> Bool {
        withUnsafeBytes(of: lhs.uuid.uuid) { left in
            withUnsafeBytes(of: rhs.uuid.uuid) { right in
                left.lexicographicallyPrecedes(right)
            }
        }
    }
}

extension TaskID: LosslessStringConvertible, CustomDebugStringConvertible {
    /// Parses a task id from its text form (any letter case), or `nil` when `text` is not one;
    /// ``init(parsing:)`` throws a typed error instead.
    public init?(_ text: String) {
        guard let uuid = TaskID.parseUUID(text.utf8) else { return nil }
        self.uuid = uuid
    }

    /// The lowercase text form, as ``description``: what a route or a log line wants.
    public var string: String { description }

    /// The text form, so an id prints plainly inside collections too.
    public var debugDescription: String { description }
}
