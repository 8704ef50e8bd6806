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
        String(unsafeUninitializedCapacity: 36) { buffer in
            writeText(into: buffer, at: 0)
            return 36
        }
    }

    /// Appends the text form (``description``) to `bytes`, in double quotes when `quoted` (a
    /// JSON string).
    func appendText(quoted: Bool = false, to bytes: inout [UInt8]) {
        JSONWriter.appendFixedWidth(quoted ? 38 : 36, to: &bytes) { text in
            writeText(into: text, at: quoted ? 1 : 0)
            if quoted {
                text[0] = UInt8(ascii: "\"")
                text[37] = UInt8(ascii: "\"")
            }
        }
    }

    /// Writes the 36 bytes of the text form into `buffer` from `start` on.
    private func writeText(into buffer: UnsafeMutableBufferPointer<UInt8>, at start: Int) {
        let hex: StaticString = "0123456789abcdef"
        var position = start
        withUnsafeBytes(of: uuid.uuid) { raw in
            hex.withUTF8Buffer { digits in
                for (index, byte) in raw.enumerated() {
                    if index == 4 || index == 6 || index == 8 || index == 10 {
                        buffer[position] = UInt8(ascii: "-")
                        position += 1
                    }
                    buffer[position] = digits[Int(byte >> 4)]
                    buffer[position + 1] = digits[Int(byte & 0x0F)]
                    position += 2
                }
            }
        }
    }

    /// Parses `8-4-4-4-12` hex digits (any letter case) without going through `sscanf`.
    static func parseUUID(_ text: some Collection<UInt8>) -> UUID? {
        guard text.count == 36 else { return nil }
        if let parsed = text.withContiguousStorageIfAvailable({ parseUUID(bytes: $0) }) { return parsed }
        return Array(text).withUnsafeBufferPointer { parseUUID(bytes: $0) }
    }

    /// ``parseUUID(_:)`` over 36 contiguous bytes.
    static func parseUUID(bytes text: UnsafeBufferPointer<UInt8>) -> UUID? {
        guard text.count == 36 else { return nil }
        guard text[8] == UInt8(ascii: "-"), text[13] == UInt8(ascii: "-"), text[18] == UInt8(ascii: "-"),
            text[23] == UInt8(ascii: "-")
        else { return nil }
        var raw: uuid_t = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        let valid = withUnsafeMutableBytes(of: &raw) { target -> Bool in
            var offset = 0
            for index in 0..<16 {
                if offset == 8 || offset == 13 || offset == 18 || offset == 23 { offset += 1 }
                guard let high = hexValue(text[offset]), let low = hexValue(text[offset + 1]) else {
                    return false
                }
                target[index] = high << 4 | low
                offset += 2
            }
            return true
        }
        return valid ? UUID(uuid: raw) : nil
    }

    /// The value of one hex digit (any letter case), or `nil`.
    @inline(__always)
    private static func hexValue(_ character: UInt8) -> UInt8? {
        switch character {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): character &- UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): character &- UInt8(ascii: "a") &+ 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): character &- UInt8(ascii: "A") &+ 10
        default: nil
        }
    }

    /// Hashes the id's 16 bytes as two words, which costs less than hashing them as a buffer
    /// (every store lookup by id hashes one).
    public func hash(into hasher: inout Hasher) {
        withUnsafeBytes(of: uuid.uuid) { raw in
            hasher.combine(raw.loadUnaligned(fromByteOffset: 0, as: UInt64.self))
            hasher.combine(raw.loadUnaligned(fromByteOffset: 8, as: UInt64.self))
        }
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
