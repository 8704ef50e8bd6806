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
        guard let uuid = UUID(uuidString: text) else {
            throw TaskworksError.invalidInput(
                "'\(text.prefix(80))' is not a task id; task ids are UUIDs such as "
                    + "'3f2504e0-4f89-41d3-9a0c-0305e82c3301'")
        }
        self.uuid = uuid
    }

    /// The lowercase text form, e.g. `3f2504e0-4f89-41d3-9a0c-0305e82c3301`.
    public var description: String { uuid.uuidString.lowercased() }

    /// Decodes an id from its text form.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let uuid = UUID(uuidString: text) else {
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
