/// Where an artifact lives in an ``ArtifactStore``. Keys are made by the framework — the task's
/// id and 16 random hex digits, e.g. `3f2504e0-4f89-41d3-9a0c-0305e82c3301-8c1e9a2b44d07f13` —
/// and never from user input; ``init(validating:)`` refuses anything else, so a key can never
/// name a path outside the store (`../../etc/passwd`, `/etc/passwd`, NUL bytes…).
public struct ArtifactKey: Sendable, Hashable, CustomStringConvertible {
    /// The key's text.
    public let rawValue: String

    /// A fresh key for an artifact of `task`.
    public init(for task: TaskID) {
        let suffix = LowercaseHex.encode(RandomUUIDSource.randomBytes(8))
        rawValue = "\(task)-\(suffix)"
    }

    /// Accepts only keys in the framework's own format.
    ///
    /// - Throws: ``TaskworksError/Code/invalidInput`` for anything else.
    public init(validating text: String) throws {
        func isLowerHex(_ byte: UInt8) -> Bool {
            (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
                || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains(byte)
        }
        let bytes = Array(text.utf8)
        guard bytes.count == 53, TaskID.parseUUID(bytes[0..<36]) != nil,
            bytes[0..<36].allSatisfy({ isLowerHex($0) || $0 == UInt8(ascii: "-") }),
            bytes[36] == UInt8(ascii: "-"), bytes[37...].allSatisfy(isLowerHex)
        else {
            throw TaskworksError.invalidInput(
                "'\(text.prefix(80))' is not an artifact key made by Taskworks (task id, '-', 16 lowercase "
                    + "hex digits); artifact keys are never built from user input")
        }
        rawValue = text
    }

    /// The key's text.
    public var description: String { rawValue }
}
