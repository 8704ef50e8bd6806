extension TaskRegistry {
    /// Registers a typed task: `run` gets each attempt's payload decoded as `Definition` and its
    /// context, and returns the result. A payload that does not decode is refused at create
    /// (``TaskworksError/Code/invalidInput``), never left to fail in a worker.
    ///
    /// - Throws: as ``register(_:defaults:factory:)``: an invalid ``TaskDefinition/taskType`` or
    ///   defaults, or a type name already registered.
    public func register<Definition: TaskDefinition>(
        _ definition: Definition.Type, defaults: TaskTypeDefaults = TaskTypeDefaults(),
        run: @escaping @Sendable (Definition, TaskContext) async throws -> Definition.Result
    ) throws {
        try register(
            Definition.taskType, defaults: defaults,
            factory: TaskDefinitionRunnerFactory<Definition>(run: run))
    }

    /// Adds an observer for every task of `Definition`'s type reaching a terminal state in this
    /// process, with its result decoded (`nil` unless it succeeded with one). A result that does
    /// not decode as `Definition.Result` is an error the service reports to its
    /// `callbackErrorHandler`, like any throwing observer.
    public func onComplete<Definition: TaskDefinition>(
        of definition: Definition.Type,
        _ handler: @escaping @Sendable (TaskRecord, Definition.Result?) async throws -> Void
    ) {
        onComplete(of: Definition.taskType) { task in
            try await handler(task, try task.result(of: Definition.self))
        }
    }
}
