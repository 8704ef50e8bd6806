/// The factory behind ``TaskRegistry/register(_:defaults:run:)``: checks at create time that a
/// payload decodes as the definition, and runs the closure with the decoded value.
struct TaskDefinitionRunnerFactory<Definition: TaskDefinition>: TaskRunnerFactory {
    let run: @Sendable (Definition, TaskContext) async throws -> Definition.Result

    func makeRunner(for task: TaskRecord) throws -> any TaskRunner {
        ClosureTaskRunner { context in
            let definition = try TaskDefinitionRunnerFactory.decode(context.task.payload)
            let result = try await run(definition, context)
            return result is NoTaskResult ? nil : result
        }
    }

    func validatePayload(_ payload: JSONValue?) throws {
        _ = try TaskDefinitionRunnerFactory.decode(payload)
    }

    /// The payload as a `Definition`, or an `invalidInput` error naming both.
    static func decode(_ payload: JSONValue?) throws -> Definition {
        do {
            return try (payload ?? .object([:])).decode(Definition.self)
        } catch let error as TaskworksError {
            throw TaskworksError.invalidInput(
                "the payload of a '\(Definition.taskType)' task is not a \(Definition.self): \(error.message)"
            )
        }
    }
}
