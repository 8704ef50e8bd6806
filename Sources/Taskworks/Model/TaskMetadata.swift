import Foundation

/// The rules for a task's ``TaskRecord/metadata``: a small map of strings set at create, stored
/// with the task by every store, shown to those who may see the task, and read by runners and
/// attempt middleware. Tracing carries the creator's trace context in it.
///
/// ```swift
/// let task = try await service.create(
///     "user_export", options: .init(metadata: ["tenant": "acme", "request-id": requestID]),
///     createdBy: .user("alice"))
/// ```
public enum TaskMetadata {
    /// At most this many entries: 32.
    public static let maximumEntries = 32
    /// A key is 1 to 64 bytes of ASCII letters, digits, `.`, `_` and `-`.
    public static let maximumKeyBytes = 64
    /// A value is at most 1,024 bytes of UTF-8 without control characters.
    public static let maximumValueBytes = 1_024
    /// Keys and values together are at most 8,192 bytes.
    public static let maximumTotalBytes = 8_192

    /// Checks `metadata` against the limits above.
    ///
    /// - Throws: ``TaskworksError/Code/invalidInput`` naming the entry that breaks a rule and
    ///   the rule.
    public static func validate(_ metadata: [String: String]) throws {
        guard metadata.count <= maximumEntries else {
            throw TaskworksError.invalidInput(
                "metadata has \(metadata.count) entries; at most \(maximumEntries) are allowed")
        }
        var total = 0
        for (key, value) in metadata.sorted(by: { $0.key < $1.key }) {
            guard isUsableKey(key) else {
                throw TaskworksError.invalidInput(
                    "metadata key '\(key.prefix(80))' is not usable: give 1–\(maximumKeyBytes) bytes of "
                        + "ASCII letters, digits, '.', '_' or '-'")
            }
            guard value.utf8.count <= maximumValueBytes, !value.containsControlCharacters else {
                throw TaskworksError.invalidInput(
                    "metadata value of '\(key)' is not usable: give at most \(maximumValueBytes) bytes "
                        + "without control characters (it has \(value.utf8.count))")
            }
            total += key.utf8.count + value.utf8.count
        }
        guard total <= maximumTotalBytes else {
            throw TaskworksError.invalidInput(
                "metadata holds \(total) bytes of keys and values; at most \(maximumTotalBytes) are allowed")
        }
    }

    /// Whether `key` is 1 to 64 bytes of ASCII letters, digits, `.`, `_` and `-`.
    static func isUsableKey(_ key: String) -> Bool {
        let bytes = key.utf8
        guard !bytes.isEmpty, bytes.count <= maximumKeyBytes else { return false }
        return bytes.allSatisfy { byte in
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "."), UInt8(ascii: "_"),
                UInt8(ascii: "-"):
                true
            default: false
            }
        }
    }
}

/// Adds metadata to every task a ``TaskService`` creates, from what is current where `create` is
/// called: the tracing adapter injects the active span's trace context this way. Set on
/// ``TaskService/Configuration/metadataProviders``.
public protocol TaskMetadataProvider: Sendable {
    /// Entries for a new task of `type`, called in the creating caller's task (so task-local
    /// values such as the current trace context are visible). Entries the create call's
    /// ``TaskOptions/metadata`` already holds win over these.
    func metadata(forNewTaskOfType type: String) -> [String: String]
}
