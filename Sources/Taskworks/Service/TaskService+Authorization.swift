extension TaskService {
    /// The policy deciding what callers may do (``Configuration/authorization``).
    public var authorization: any TaskAuthorizationPolicy { configuration.authorization }

    /// Checks that `caller` may do `operation` (on `task`, when it concerns one), as every
    /// service method does before acting. Plugin routes call it for their own operations.
    ///
    /// ```swift
    /// try service.authorize(.plugin("reports:rebuild"), as: caller)
    /// ```
    ///
    /// - Throws: ``TaskworksError/Code/permissionDenied`` naming the operation and the permission
    ///   it needs; ``TaskworksError/Code/invalidInput`` for an unusable caller id.
    public func authorize(_ operation: TaskOperation, as caller: Caller, on task: TaskRecord? = nil) throws {
        let caller = try caller.validated()
        guard configuration.authorization.allows(operation, by: caller, on: task) else {
            throw TaskworksError(
                code: .permissionDenied,
                message: "\(operation) is not allowed for \(caller); it needs the permission "
                    + "'\(operation.permission)'",
                taskID: task?.id)
        }
    }

    /// Whether `caller` sees `task`: not deleted, and its own unless the policy says it sees
    /// every task.
    func isVisible(_ task: TaskRecord, to caller: Caller) -> Bool {
        guard task.deletedAt == nil else { return false }
        return task.createdBy == caller.creatorID || configuration.authorization.seesEveryTask(caller)
    }

    /// The creator a caller's reads are limited to: `nil` when it sees every task.
    func visibleCreator(for caller: Caller) -> String? {
        configuration.authorization.seesEveryTask(caller) ? nil : caller.creatorID
    }
}
