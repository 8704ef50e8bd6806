import Foundation
import Taskworks

/// Whatever `create` accepts, the store writes, reads back equal, and reads back equal again
/// through another handle (for a file store: after reopening it).
enum RoundTripChecks {
    static let all: [StoreCheck] = [
        StoreCheck("records.whateverCreateAcceptsReadsBackEqual") { context in
            let service = TaskService(store: context.store, registry: try Sample.registry())
            var random = SeededRandom(seed: 0x7A5C_0001)
            var created: [TaskRecord] = []
            let extremes: [TaskOptions] = [
                TaskOptions(maxRetries: 0, priority: 1, timeout: .milliseconds(1)),
                TaskOptions(maxRetries: 100, priority: 10, timeout: TaskOptions.maximumTimeout),
                TaskOptions(delay: TaskOptions.maximumDelay),
                TaskOptions(runAfter: Date.distantPast),
                TaskOptions(delay: .zero, uniqueKey: "🔑 \"unique\" \\ key"),
            ]
            for options in extremes {
                created.append(
                    try await service.create(
                        "noop", payload: JSONValue.null, options: options, createdBy: .user("alice")))
            }
            created.append(
                try await service.create(
                    "noop", payload: GeneratedValues.nested(depth: JSONValue.maximumNestingDepth),
                    createdBy: .user("alice")))
            for _ in 0..<120 {
                let payload = GeneratedValues.value(
                    depth: Int.random(in: 0...6, using: &random), using: &random)
                let creator =
                    Bool.random(using: &random)
                    ? Caller.user("ü-\(Int.random(in: 0...9, using: &random))") : .system
                created.append(try await service.create("noop", payload: payload, createdBy: creator))
            }
            let other = try await context.openAnotherHandle()
            for task in created {
                let read = try require(try await context.store.task(id: task.id), "task \(task.id) read back")
                try expect(read == task, "task \(task.id) read back differs: stored \(task), read \(read)")
                let again = try require(
                    try await other.task(id: task.id), "task \(task.id) through another handle")
                try expect(again == task, "task \(task.id) through another handle differs: \(again)")
            }
        }
    ]
}
