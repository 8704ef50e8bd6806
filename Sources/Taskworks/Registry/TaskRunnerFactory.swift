/// Makes a runner for each claimed task of one type, and may check payloads at create time.
///
/// Most hosts use the closure form, `registry.register("resize_image") { task in ResizeRunner() }`;
/// implement this protocol when the factory holds dependencies or validates payloads.
///
/// ```swift
/// struct ResizeFactory: TaskRunnerFactory {
///     let images: ImageStore
///     func makeRunner(for task: TaskRecord) throws -> any TaskRunner { ResizeRunner(images: images) }
///     func validatePayload(_ payload: JSONValue?) throws { _ = try payload?.decode(Resize.self) }
/// }
/// ```
public protocol TaskRunnerFactory: Sendable {
    /// Makes the runner for one attempt of `task`. A throw fails the attempt like a runner
    /// throw would.
    func makeRunner(for task: TaskRecord) throws -> any TaskRunner

    /// Checks a payload when a task is created, so bad input is refused at once instead of
    /// failing later in a worker. The default accepts everything.
    func validatePayload(_ payload: JSONValue?) throws
}

extension TaskRunnerFactory {
    /// Accepts every payload.
    public func validatePayload(_ payload: JSONValue?) throws {}
}

/// A ``TaskRunnerFactory`` built from a closure.
public struct ClosureTaskRunnerFactory: TaskRunnerFactory {
    private let make: @Sendable (TaskRecord) throws -> any TaskRunner

    /// Wraps `make`, called once per attempt.
    public init(_ make: @escaping @Sendable (TaskRecord) throws -> any TaskRunner) {
        self.make = make
    }

    /// Calls the closure.
    public func makeRunner(for task: TaskRecord) throws -> any TaskRunner {
        try make(task)
    }
}
