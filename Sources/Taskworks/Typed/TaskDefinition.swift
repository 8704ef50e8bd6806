/// A task declared as a type: its payload is a value of the conforming type, which names the
/// task type it is stored under and the type its runs return. Register a runner for it with
/// ``TaskRegistry/register(_:defaults:run:)`` and create tasks from values with
/// the typed ``TaskService/create(_:options:createdBy:onComplete:)-(Definition,_,_,_)``; the runner
/// receives the decoded value, and ``TaskRecord/result(of:)`` reads a finished task's result back
/// typed. String-named types (``TaskRegistry/register(_:defaults:makeRunner:)``) stay for plugins
/// and types only known at run time; both kinds live in one registry.
///
/// ```swift
/// struct Resize: TaskDefinition {
///     static let taskType = "resize_image"
///     typealias Result = Resized
///     var width: Int
/// }
/// struct Resized: Codable, Sendable { var width: Int }
///
/// try registry.register(Resize.self) { resize, context in
///     context.reportProgress(100)
///     return Resized(width: resize.width)
/// }
/// let task = try await service.create(Resize(width: 640), createdBy: .user("alice"))
/// // … once it succeeded:
/// let resized = try finished.result(of: Resize.self)   // Resized?
/// ```
public protocol TaskDefinition: Codable, Sendable {
    /// What a successful run returns and the task's result holds. Use ``NoTaskResult`` for none.
    associatedtype Result: Codable & Sendable = NoTaskResult

    /// The task type name this definition is registered and stored under; the rules of
    /// ``TaskRegistry/validate(typeName:)`` apply.
    static var taskType: String { get }
}

/// The result of a ``TaskDefinition`` whose runs return nothing: the task's stored result stays
/// empty (`nil`).
public struct NoTaskResult: Codable, Sendable, Hashable {
    /// The one value.
    public init() {}
}
