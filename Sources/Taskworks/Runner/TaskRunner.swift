/// Does the work of one task attempt.
///
/// A runner reads its input from the ``TaskContext``, reports progress, checks for
/// cancellation between steps, may attach an artifact, and returns a result (any `Encodable`,
/// stored as JSON) or `nil`. Throwing fails the attempt: it is retried while attempts remain,
/// unless the error is ``TaskFailure/permanent(_:)``.
///
/// ```swift
/// struct ResizeRunner: TaskRunner {
///     func run(_ context: TaskContext) async throws -> (any Encodable & Sendable)? {
///         let resize = try context.payload(as: Resize.self)
///         for step in 1...10 {
///             try context.checkCancellation()
///             try await resizeTile(step, width: resize.width)
///             context.reportProgress(step * 10)
///         }
///         return ["width": resize.width]
///     }
/// }
/// ```
public protocol TaskRunner: Sendable {
    /// Runs one attempt and returns its result, or `nil` for none.
    func run(_ context: TaskContext) async throws -> (any Encodable & Sendable)?
}

/// A ``TaskRunner`` built from a closure.
///
/// ```swift
/// try registry.register("ping") { _ in ClosureTaskRunner { context in "pong" } }
/// ```
public struct ClosureTaskRunner: TaskRunner {
    private let body: @Sendable (TaskContext) async throws -> (any Encodable & Sendable)?

    /// Wraps `body`.
    public init(_ body: @escaping @Sendable (TaskContext) async throws -> (any Encodable & Sendable)?) {
        self.body = body
    }

    /// Calls the closure.
    public func run(_ context: TaskContext) async throws -> (any Encodable & Sendable)? {
        try await body(context)
    }
}
