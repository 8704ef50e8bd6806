extension TaskRecord {
    /// The result decoded as `Definition.Result`: `nil` while the task has none (it has not
    /// succeeded, or succeeded without a result).
    ///
    /// - Throws: ``TaskworksError/Code/invalidInput`` when the task is of another type or its
    ///   result does not decode as `Definition.Result`.
    public func result<Definition: TaskDefinition>(of definition: Definition.Type) throws -> Definition
        .Result?
    {
        guard type == Definition.taskType else {
            throw TaskworksError.invalidInput(
                "task \(id) is of type '\(type.prefix(100))', not '\(Definition.taskType)' (\(Definition.self))"
            )
        }
        return try result(as: Definition.Result.self)
    }

    /// The result decoded as `T`, or `nil` while the task has none.
    ///
    /// - Throws: ``TaskworksError/Code/invalidInput`` naming `T` and what did not match.
    public func result<T: Decodable>(as type: T.Type) throws -> T? {
        try result.map { try $0.decode(T.self) }
    }

    /// The payload decoded as `Definition`.
    ///
    /// - Throws: ``TaskworksError/Code/invalidInput`` when the task is of another type or its
    ///   payload does not decode.
    public func payload<Definition: TaskDefinition>(of definition: Definition.Type) throws -> Definition {
        guard type == Definition.taskType else {
            throw TaskworksError.invalidInput(
                "task \(id) is of type '\(type.prefix(100))', not '\(Definition.taskType)' (\(Definition.self))"
            )
        }
        return try TaskDefinitionRunnerFactory<Definition>.decode(payload)
    }
}
