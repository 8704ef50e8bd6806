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
        },
        StoreCheck("records.metadataIsKeptThroughClaimUpdateAndAnotherHandle") { context in
            let service = TaskService(store: context.store, registry: try Sample.registry())
            // Large metadata: the most entries create accepts, near its byte limit, with every
            // kind of character a value may hold.
            var largest: [String: String] = [:]
            for index in 0..<TaskMetadata.maximumEntries {
                let key = "k-\(index).\(index.isMultiple(of: 2) ? "even" : "odd_one")"
                largest[key] = String(repeating: "ü\"\\/🔑 ", count: 16)
            }
            let bytes = largest.reduce(0) { $0 + $1.key.utf8.count + $1.value.utf8.count }
            let room = TaskMetadata.maximumTotalBytes - bytes
            try expect(room >= 0, "the sample metadata fits the limit (\(bytes) bytes)")
            largest["k-0.even"]? += String(repeating: "x", count: min(room, 1_024 - 160))
            let kinds: [[String: String]] = [
                largest, ["traceparent": "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"],
                ["empty": ""],
            ]
            var created: [TaskRecord] = []
            for metadata in kinds {
                let task = try await service.create(
                    "noop", options: TaskOptions(metadata: metadata), createdBy: .user("alice"))
                try expect(task.metadata == metadata, "create returns the metadata given")
                created.append(task)
            }
            let claimed = try await context.store.claim(Sample.claim(now: Date(), limit: kinds.count))
            try expect(claimed.count == kinds.count, "every task is claimed; got \(claimed.count)")
            for task in claimed {
                let original = try require(
                    created.first { $0.id == task.id }, "claimed task \(task.id) was created")
                try expect(task.metadata == original.metadata, "a claim keeps the metadata of \(task.id)")
                var finished = task
                finished.status = .succeeded
                finished.progress = 100
                let result = try await context.store.update(finished, expectedVersion: task.version)
                guard case .updated(let stored) = result else {
                    try expect(false, "updating \(task.id) at its claimed version was refused: \(result)")
                    continue
                }
                try expect(stored.metadata == original.metadata, "an update keeps the metadata of \(task.id)")
            }
            let other = try await context.openAnotherHandle()
            for task in created {
                let again = try require(
                    try await other.task(id: task.id), "task \(task.id) through another handle")
                try expect(
                    again.metadata == task.metadata, "metadata of \(task.id) through another handle differs")
            }
        },
    ]
}
