/// An error a runner throws to say how its attempt failed.
///
/// Any other error fails the attempt too and is retried while attempts remain; throw
/// ``permanent(_:)`` when retrying cannot help (bad input, a missing record).
///
/// ```swift
/// guard let user = try await users.find(id) else {
///     throw TaskFailure.permanent("user \(id) no longer exists")
/// }
/// ```
public struct TaskFailure: Error, Sendable, Hashable, CustomStringConvertible {
    /// The text stored as the task's error message.
    public var message: String
    /// `true` when the task must not be retried automatically.
    public var isPermanent: Bool

    /// A failure that is retried while attempts remain.
    public static func retryable(_ message: String) -> TaskFailure {
        TaskFailure(message: message, isPermanent: false)
    }

    /// A failure that ends the task `failed` at once, whatever attempts remain.
    public static func permanent(_ message: String) -> TaskFailure {
        TaskFailure(message: message, isPermanent: true)
    }

    /// The message.
    public var description: String { message }
}
