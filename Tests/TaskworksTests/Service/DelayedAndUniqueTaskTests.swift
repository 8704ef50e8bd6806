import Foundation
import TaskworksTesting
import Testing

@testable import TaskStoreConformance
@testable import Taskworks

@Suite("Delayed and unique tasks")
struct DelayedAndUniqueTaskTests {
    @Test(arguments: StoreFixture.all)
    func aUniqueKeyIsHeldWhilePendingOrRunningAndReleasedAfter(fixture: StoreFixture) async throws {
        let service = TaskService(store: try await fixture.make(), registry: try Sample.registry())
        let options = TaskOptions(uniqueKey: "nightly-report")
        let first = try await service.createReportingDuplicate("noop", options: options, createdBy: .system)
        #expect(!first.isDuplicate)
        let second = try await service.createReportingDuplicate(
            "noop", options: options, createdBy: .user("alice"))
        #expect(second.isDuplicate)
        #expect(second.task.id == first.task.id)
        #expect(try await service.counts(for: .system).total == 1)
        _ = try await service.store.claim(Sample.claim(now: Date().addingTimeInterval(1)))
        // running
        #expect(
            try await service.createReportingDuplicate("noop", options: options, createdBy: .system)
                .isDuplicate)
        try await service.store.force(first.task.id) {
            $0.status = .succeeded
            $0.leaseOwner = nil
        }
        let third = try await service.createReportingDuplicate("noop", options: options, createdBy: .system)
        #expect(!third.isDuplicate)
        try await service.delete(third.task.id, as: .system)  // deleting also releases the key
        #expect(
            try await !service.createReportingDuplicate("noop", options: options, createdBy: .system)
                .isDuplicate)
        #expect(
            try await !service.createReportingDuplicate(
                "noop", options: TaskOptions(uniqueKey: "other"), createdBy: .system
            )
            .isDuplicate)
    }

    @Test(arguments: StoreFixture.all)
    func manyConcurrentCreatorsMakeExactlyOneTask(fixture: StoreFixture) async throws {
        let service = TaskService(store: try await fixture.make(), registry: try Sample.registry())
        let results = try await withThrowingTaskGroup(of: TaskCreation.self) { group in
            for index in 0..<60 {
                group.addTask {
                    try await service.createReportingDuplicate(
                        "noop", options: TaskOptions(uniqueKey: "once"), createdBy: .user("u\(index % 3)"))
                }
            }
            var all: [TaskCreation] = []
            for try await result in group { all.append(result) }
            return all
        }
        #expect(results.filter { !$0.isDuplicate }.count == 1)
        #expect(Set(results.map(\.task.id)).count == 1)
        #expect(try await service.counts(for: .system).total == 1)
    }

    @Test func aUniqueKeyHoldsAcrossProcessesSharingAFileStore() async throws {
        let directory = try TemporaryDirectory.make()
        let services = [
            TaskService(
                store: try await FileTaskStore(directory: directory.path), registry: try Sample.registry()),
            TaskService(
                store: try await FileTaskStore(directory: directory.path), registry: try Sample.registry()),
        ]
        let results = try await withThrowingTaskGroup(of: TaskCreation.self) { group in
            for index in 0..<40 {
                group.addTask {
                    try await services[index % 2].createReportingDuplicate(
                        "noop", options: TaskOptions(uniqueKey: "shared"), createdBy: .system)
                }
            }
            var all: [TaskCreation] = []
            for try await result in group { all.append(result) }
            return all
        }
        #expect(results.filter { !$0.isDuplicate }.count == 1)
        #expect(Set(results.map(\.task.id)).count == 1)
        let reopened = try await FileTaskStore(directory: directory.path)
        #expect(try await reopened.counts(createdBy: nil).total == 1)
        let again = TaskService(store: reopened, registry: try Sample.registry())
        #expect(
            try await again.createReportingDuplicate(
                "noop", options: TaskOptions(uniqueKey: "shared"), createdBy: .system
            )
            .isDuplicate)
    }

    @Test(arguments: StoreFixture.all)
    func aDelayedTaskRunsAtItsTimeNotEarlierAndWithoutWaitingForThePoll(fixture: StoreFixture) async throws {
        let service = TaskService(store: try await fixture.make(), registry: try Sample.registry())
        let pool = WorkerPool(service: service, configuration: Fixtures.poolConfiguration())  // polls hourly
        try await withRunningPool(pool) {
            try await eventually("pool idle") { pool.idleWaitCount.load(ordering: .relaxed) >= 1 }
            let task = try await service.create(
                "noop", options: TaskOptions(delay: .milliseconds(150)), createdBy: .system)
            #expect(task.runAfter == task.createdAt.addingTimeInterval(0.15))
            try await eventually("delayed task ran", timeout: .seconds(20)) {
                try await service.task(task.id, as: .system).status == .succeeded
            }
            let done = try await service.task(task.id, as: .system)
            #expect(try #require(done.startedAt) >= task.runAfter)
        }
    }

    @Test(arguments: [
        TaskOptions(runAfter: Date(), delay: .seconds(1)), TaskOptions(delay: .seconds(-1)),
        TaskOptions(uniqueKey: ""),
        TaskOptions(uniqueKey: "line\nbreak"), TaskOptions(uniqueKey: String(repeating: "k", count: 201)),
    ])
    func badSchedulingOptionsAreRefused(options: TaskOptions) async throws {
        let service = TaskService(store: InMemoryTaskStore(), registry: try Sample.registry())
        let error = await #expect(throws: TaskworksError.self) {
            try await service.create("noop", options: options, createdBy: .system)
        }
        #expect(error?.code == .invalidInput)
    }
}
