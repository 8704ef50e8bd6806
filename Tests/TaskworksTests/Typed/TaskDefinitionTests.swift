import Foundation
import TaskworksTesting
import Testing

@testable import TaskStoreConformance
@testable import Taskworks

private struct Resize: TaskDefinition {
    typealias Result = Resized
    static let taskType = "resize_image"
    var width: Int
    var format: String
}

private struct Resized: Codable, Sendable, Hashable {
    var width: Int
    var format: String
}

/// Shares `Resize`'s type name with another shape: creating it must be refused.
private struct ResizeV0: TaskDefinition {
    static let taskType = "resize_image"
    var pixels: [Int]
}

private struct Ping: TaskDefinition {
    static let taskType = "ping"
}

private struct BadName: TaskDefinition {
    static let taskType = "not a name"
}

@Suite("Typed task definitions")
struct TaskDefinitionTests {
    private static func service(_ registry: TaskRegistry) -> (TaskService, WorkerPool) {
        let service = TaskService(store: InMemoryTaskStore(), registry: registry)
        return (service, WorkerPool(service: service, configuration: Fixtures.poolConfiguration()))
    }

    @Test func aValueIsCreatedRunDecodedAndItsResultReadsBackTyped() async throws {
        let registry = try Sample.registry()
        let received = LockedState<[Resize.Result]>([])
        try registry.register(Resize.self) { resize, context in
            context.reportProgress(100)
            return Resized(width: resize.width * 2, format: resize.format)
        }
        registry.onComplete(of: Resize.self) { _, result in
            if let result { received.withLock { $0.append(result) } }
        }
        let (service, pool) = TaskDefinitionTests.service(registry)
        let callback = LockedState<Resized?>(nil)
        try await withRunningPool(pool) {
            let task = try await service.create(Resize(width: 320, format: "png"), createdBy: .user("alice"))
            {
                _, result in callback.withLock { $0 = result }
            }
            #expect(task.type == "resize_image")
            #expect(try task.payload(of: Resize.self).width == 320)
            try await eventually("the resize succeeded") {
                try await service.task(task.id, as: .user("alice")).status == .succeeded
            }
            let finished = try await service.task(task.id, as: .user("alice"))
            #expect(try finished.result(of: Resize.self) == Resized(width: 640, format: "png"))
            #expect(finished.result == .object(["width": .integer(640), "format": .string("png")]))
            await service.waitForCallbacks()
        }
        #expect(callback.withLock { $0 } == Resized(width: 640, format: "png"))
        #expect(received.withLock { $0 } == [Resized(width: 640, format: "png")])
    }

    @Test func aDefinitionWithoutAResultStoresNone() async throws {
        let registry = TaskRegistry()
        try registry.register(Ping.self) { _, _ in NoTaskResult() }
        let (service, pool) = TaskDefinitionTests.service(registry)
        try await withRunningPool(pool) {
            let task = try await service.create(Ping(), createdBy: .system)
            try await eventually("ping succeeded") {
                try await service.task(task.id, as: .system).status == .succeeded
            }
            let finished = try await service.task(task.id, as: .system)
            #expect(finished.result == nil)
            #expect(try finished.result(of: Ping.self) == nil)
        }
    }

    @Test func mismatchesAreTypedErrorsAndStoreNothing() async throws {
        let registry = TaskRegistry()
        try registry.register(Resize.self) { resize, _ in Resized(width: resize.width, format: resize.format)
        }
        let service = TaskService(store: InMemoryTaskStore(), registry: registry)

        let unknown = await #expect(throws: TaskworksError.self) {
            try await service.create(Ping(), createdBy: .system)
        }
        #expect(unknown?.code == .unknownTaskType)
        let mismatched = await #expect(throws: TaskworksError.self) {
            try await service.create(ResizeV0(pixels: [1, 2]), createdBy: .system)
        }
        #expect(mismatched?.code == .invalidInput)
        #expect(mismatched?.message.contains("Resize") == true)
        #expect(try await service.counts(for: .system).total == 0)

        let stored = try await service.create(Resize(width: 1, format: "png"), createdBy: .system)
        let otherType = #expect(throws: TaskworksError.self) { try stored.result(of: Ping.self) }
        #expect(otherType?.code == .invalidInput)
        var wrongShape = stored
        wrongShape.result = .string("not a Resized")
        let undecodable = #expect(throws: TaskworksError.self) { try wrongShape.result(of: Resize.self) }
        #expect(undecodable?.code == .invalidInput)
        let wrongPayload = #expect(throws: TaskworksError.self) { try stored.payload(of: ResizeV0.self) }
        #expect(wrongPayload?.code == .invalidInput)
    }

    @Test func typedAndNamedTypesShareOneRegistryAndItsRules() throws {
        let registry = try Sample.registry()
        try registry.register(Resize.self) { resize, _ in Resized(width: resize.width, format: resize.format)
        }
        #expect(registry.typeNames == ["noop", "resize_image"])
        let taken = #expect(throws: TaskworksError.self) {
            try registry.register("resize_image") { _ in ClosureTaskRunner { _ in nil } }
        }
        #expect(taken?.code == .duplicateTaskType)
        let badName = #expect(throws: TaskworksError.self) {
            try registry.register(BadName.self) { _, _ in NoTaskResult() }
        }
        #expect(badName?.code == .invalidInput)
    }
}
