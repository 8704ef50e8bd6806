import Foundation
import TaskworksTesting
import Testing

@testable import TaskStoreConformance
@testable import Taskworks

@Suite("Batch create")
struct BatchCreateTests {
    struct Greeting: Codable, Sendable, Equatable {
        var name: String
    }

    static func registry() throws -> TaskRegistry {
        let registry = try Sample.registry()
        try registry.register("greet") { task in
            ClosureTaskRunner { _ in
                let greeting = try task.decodePayload(as: Greeting.self)
                return "hello \(greeting.name)"
            }
        }
        try registry.register("restricted") { _ in ClosureTaskRunner { _ in nil } }
        try registry.requirePermission("restricted:create", toCreate: "restricted")
        return registry
    }

    @Test(arguments: StoreFixture.all)
    func everyTaskOfABatchIsCreatedForTheCallerAndRuns(fixture: StoreFixture) async throws {
        let service = TaskService(store: try await fixture.make(), registry: try BatchCreateTests.registry())
        let events = try service.events(for: .admin("root"))
        let batch = try (0..<300).map { try NewTask("greet", payload: Greeting(name: "user\($0)")) }
        let created = try await service.create(batch, createdBy: .user("alice"))
        #expect(created.count == 300)
        #expect(
            created.allSatisfy {
                !$0.isDuplicate && $0.task.createdBy == "alice" && $0.task.status == .pending
            })
        #expect(Set(created.map(\.task.id)).count == 300)
        #expect(try await service.counts(for: .user("alice")).total == 300)
        #expect(try await service.counts(for: .user("bob")).total == 0)  // visibility as for single creates
        let createdEvents = try await collect("300 created events", from: events, timeout: .seconds(10)) {
            $0.count >= 300
        }
        #expect(Set(createdEvents.map(\.task.id)) == Set(created.map(\.task.id)))
        #expect(createdEvents.allSatisfy { $0.kind == .created })

        let pool = WorkerPool(service: service, configuration: Fixtures.poolConfiguration(concurrency: 8))
        try await withRunningPool(pool) {
            try await eventually("every batched task succeeded") {
                try await service.counts(for: .system).byStatus[.succeeded] == 300
            }
        }
        let first = try await service.task(created[0].task.id, as: .user("alice"))
        #expect(first.result == .string("hello user0"))
    }

    @Test(arguments: StoreFixture.all)
    func oneInvalidTaskStoresNothingAndTheErrorNamesIt(fixture: StoreFixture) async throws {
        let service = TaskService(store: try await fixture.make(), registry: try BatchCreateTests.registry())
        var batch = (0..<5).map { _ in NewTask("noop") }
        batch[2].options.priority = 1_000_000
        let error = await #expect(throws: TaskworksError.self) {
            try await service.create(batch, createdBy: .user("alice"))
        }
        #expect(error?.code == .invalidInput)
        #expect(
            error?.message.hasPrefix("task 3 of 5 in the batch: ") == true, "\(String(describing: error))")

        batch[2] = NewTask("no_such_type")
        let unknown = await #expect(throws: TaskworksError.self) {
            try await service.create(batch, createdBy: .user("alice"))
        }
        #expect(unknown?.code == .unknownTaskType)
        #expect(try await service.counts(for: .system).total == 0)
    }

    @Test func aTypeTheCallerMayNotCreateRefusesTheWholeBatch() async throws {
        var configuration = TaskService.Configuration()
        configuration.authorization = RoleBasedTaskPolicy(roles: [
            "operator": .init(permissions: [.list, .view, .create])
        ])
        let service = TaskService(
            store: InMemoryTaskStore(), registry: try BatchCreateTests.registry(),
            configuration: configuration)
        let operatorCaller = Caller.user("olga", roles: ["operator"])
        let batch = [NewTask("noop"), NewTask("restricted"), NewTask("noop")]
        let denied = await #expect(throws: TaskworksError.self) {
            try await service.create(batch, createdBy: operatorCaller)
        }
        #expect(denied?.code == .permissionDenied)
        #expect(denied?.message.hasPrefix("task 2 of 3 in the batch: ") == true)
        #expect(try await service.counts(for: .system).total == 0)
        #expect(
            try await service.create([NewTask("noop"), NewTask("noop")], createdBy: operatorCaller).count == 2
        )
    }

    @Test(arguments: StoreFixture.all)
    func uniqueKeysResolveAgainstStoredAndEarlierTasksOfTheBatch(fixture: StoreFixture) async throws {
        let service = TaskService(store: try await fixture.make(), registry: try BatchCreateTests.registry())
        let held = try await service.create(
            "noop", options: TaskOptions(uniqueKey: "nightly"), createdBy: .system)
        let batch = [
            NewTask("noop", options: TaskOptions(uniqueKey: "nightly")),
            NewTask("noop", options: TaskOptions(uniqueKey: "weekly")),
            NewTask("noop", options: TaskOptions(uniqueKey: "weekly")),
        ]
        let created = try await service.create(batch, createdBy: .system)
        #expect(created.map(\.isDuplicate) == [true, false, true])
        #expect(created[0].task.id == held.id)
        #expect(created[2].task.id == created[1].task.id)
        #expect(try await service.counts(for: .system).total == 2)
    }

    @Test func anEmptyBatchIsNothingAndAnOversizedOneIsRefused() async throws {
        let service = TaskService(store: InMemoryTaskStore(), registry: try BatchCreateTests.registry())
        #expect(try await service.create([], createdBy: .system).isEmpty)
        let oversized = Array(repeating: NewTask("noop"), count: TaskService.maximumBatchSize + 1)
        let error = await #expect(throws: TaskworksError.self) {
            try await service.create(oversized, createdBy: .system)
        }
        #expect(error?.code == .invalidInput)
        #expect(error?.message.contains("split it into smaller batches") == true)
        #expect(try await service.counts(for: .system).total == 0)
    }

    @Test func aFileStoreBatchSurvivesReopening() async throws {
        let directory = try TemporaryDirectory.make().path
        let created: [TaskCreation]
        do {
            let service = TaskService(
                store: try await FileTaskStore(directory: directory),
                registry: try BatchCreateTests.registry())
            created = try await service.create(
                try (0..<1_000).map { try NewTask("greet", payload: Greeting(name: "u\($0)")) },
                createdBy: .system)
        }
        let reopened = try await FileTaskStore(directory: directory)
        for creation in created {
            #expect(try await reopened.task(id: creation.task.id) == creation.task)
        }
    }
}
