extension TaskService {
    /// Creates a pending task from a typed definition: stored under `Definition.taskType` with the
    /// value as its payload. `onComplete` gets the finished task and its typed result (`nil`
    /// unless it succeeded with one).
    ///
    /// ```swift
    /// let task = try await service.create(Resize(width: 640), createdBy: .user("alice")) { task, resized in
    ///     print(task.status, resized?.width ?? 0)
    /// }
    /// ```
    ///
    /// - Throws: as ``create(_:payload:options:createdBy:onComplete:)``:
    ///   ``TaskworksError/Code/unknownTaskType`` when the definition is not registered,
    ///   ``TaskworksError/Code/invalidInput`` when the type registered under its name refuses the
    ///   payload.
    @discardableResult
    public func create<Definition: TaskDefinition>(
        _ definition: Definition, options: TaskOptions = TaskOptions(), createdBy: Caller,
        onComplete: (@Sendable (TaskRecord, Definition.Result?) async throws -> Void)? = nil
    ) async throws -> TaskRecord {
        try await createReportingDuplicate(
            definition, options: options, createdBy: createdBy, onComplete: onComplete
        ).task
    }

    /// The typed ``create(_:options:createdBy:onComplete:)-(Definition,_,_,_)`` that also says whether
    /// it created the task or found the holder of its unique key.
    public func createReportingDuplicate<Definition: TaskDefinition>(
        _ definition: Definition, options: TaskOptions = TaskOptions(), createdBy: Caller,
        onComplete: (@Sendable (TaskRecord, Definition.Result?) async throws -> Void)? = nil
    ) async throws -> TaskCreation {
        var handler: TaskCompletionHandler?
        if let onComplete {
            handler = { @Sendable task in try await onComplete(task, try task.result(of: Definition.self)) }
        }
        return try await createReportingDuplicate(
            Definition.taskType, json: try JSONValue(encoding: definition), options: options,
            createdBy: createdBy, onComplete: handler)
    }
}
