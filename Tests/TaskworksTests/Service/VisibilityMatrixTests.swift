import Foundation
import TaskworksTesting
import Testing

@testable import TaskStoreConformance
@testable import Taskworks

/// Every service operation × every kind of caller × every task state, on every store: allowed
/// calls succeed (or fail only for the task's state), and every other call gets exactly the
/// not-found error an unknown id gets.
@Suite("Visibility matrix")
struct VisibilityMatrixTests {
    enum Operation: String, CaseIterable, Sendable {
        case get, list, cancel, retry, delete, artifact
    }

    enum State: String, CaseIterable, Sendable {
        case pending, running, succeeded, failed, cancelled, deleted

        var status: TaskStatus {
            switch self {
            case .pending: .pending
            case .running: .running
            case .succeeded: .succeeded
            case .failed: .failed
            case .cancelled, .deleted: .cancelled
            }
        }
    }

    enum Expectation: Equatable {
        case succeeds
        case invalidTransition
        case artifactNotFound
        case notFound
    }

    static let callers: [Caller] = [.admin("root"), .user("alice"), .user("mallory"), .system]

    static func expectation(_ operation: Operation, _ caller: Caller, _ state: State) -> Expectation {
        let mayManage = state != .deleted && (caller.seesEveryTask || caller == .user("alice"))
        guard mayManage else { return .notFound }
        switch operation {
        case .get, .list, .delete:
            return .succeeds
        case .cancel:
            return state.status.isActive ? .succeeds : .invalidTransition
        case .retry:
            return state.status == .failed || state.status == .cancelled ? .succeeds : .invalidTransition
        case .artifact:
            return state == .succeeded ? .succeeds : .artifactNotFound
        }
    }

    @Test(arguments: Operation.allCases, State.allCases)
    func operationsRespectVisibility(operation: Operation, state: State) async throws {
        for fixture in StoreFixture.all {
            for caller in VisibilityMatrixTests.callers {
                let service = TaskService(store: try await fixture.make(), registry: try Sample.registry())
                let task = try await seed(state, in: service.store)
                let expected = VisibilityMatrixTests.expectation(operation, caller, state)
                let outcome = await perform(operation, on: task.id, as: caller, service: service)
                let context = "\(operation) as \(caller) on a \(state) task in \(fixture.name)"
                switch (expected, outcome) {
                case (.succeeds, .success):
                    break
                case (.notFound, .failure(let error)):
                    // Exactly what an id that never existed gets.
                    let unknownID = TaskID()
                    let unknown = await perform(
                        operation, on: unknownID, as: .admin("root"), service: service)
                    #expect(error == TaskworksError.taskNotFound(task.id), "\(context)")
                    if case .failure(let unknownError) = unknown, operation != .list {
                        #expect(
                            error.code == unknownError.code && unknownError == .taskNotFound(unknownID),
                            "\(context)")
                    }
                case (.invalidTransition, .failure(let error)):
                    #expect(error.code == .invalidTransition, "\(context)")
                case (.artifactNotFound, .failure(let error)):
                    #expect(error.code == .artifactNotFound, "\(context)")
                default:
                    Issue.record("\(context): expected \(expected), got \(outcome)")
                }
                let after = try #require(try await service.store.task(id: task.id))
                if expected == .notFound || expected == .invalidTransition {
                    #expect(after == task, "\(context) must not change the task")
                }
            }
        }
    }

    private func seed(_ state: State, in store: any TaskStore) async throws -> TaskRecord {
        let inserted = try await store.insert(Fixtures.record(createdBy: "alice"))
        return try await store.force(inserted.id) { task in
            task.status = state.status
            if state == .running {
                task.leaseOwner = "worker-elsewhere"
                task.leaseExpiresAt = Fixtures.start.addingTimeInterval(3600)
            }
            if state == .succeeded {
                task.artifact = try? TaskArtifact(key: "exports/k", fileName: "out.csv")
            }
            if state == .failed { task.errorMessage = "boom" }
            if state == .deleted { task.deletedAt = Fixtures.start }
        }
    }

    private func perform(
        _ operation: Operation, on id: TaskID, as caller: Caller, service: TaskService
    ) async -> Result<Void, TaskworksError> {
        do {
            switch operation {
            case .get: _ = try await service.task(id, as: caller)
            case .cancel: _ = try await service.cancel(id, as: caller)
            case .retry: _ = try await service.retry(id, as: caller)
            case .delete: try await service.delete(id, as: caller)
            case .artifact: _ = try await service.artifact(of: id, as: caller)
            case .list:
                let page = try await service.list(TaskQuery(pageSize: 100), as: caller)
                let found = page.items.contains { $0.id == id }
                let searched = try await service.list(TaskQuery(search: id.description), as: caller)
                guard found, searched.total == 1 else {
                    return .failure(.taskNotFound(id))
                }
            }
            return .success(())
        } catch let error as TaskworksError {
            return .failure(error)
        } catch {
            return .failure(.storageFailure("\(error)"))
        }
    }

    @Test func aUsersListAndCountsNeverIncludeOthersTasksEvenWhenAskedFor() async throws {
        let service = TaskService(store: InMemoryTaskStore(), registry: try Sample.registry())
        let bobs = try await service.create("noop", createdBy: .user("bob"))
        let alices = try await service.create("noop", createdBy: .user("alice"))
        let page = try await service.list(TaskQuery(createdBy: "bob"), as: .user("alice"))
        #expect(page.items.map(\.id) == [alices.id])
        #expect(try await service.counts(for: .user("alice")).total == 1)
        let adminView = try await service.list(TaskQuery(createdBy: "bob"), as: .admin("root"))
        #expect(adminView.items.map(\.id) == [bobs.id])
    }

    @Test func aUsersEventStreamCarriesOnlyTheirOwnTasks() async throws {
        let service = TaskService(store: InMemoryTaskStore(), registry: try Sample.registry())
        let aliceEvents = try service.events(for: .user("alice"))
        let adminEvents = try service.events(for: .admin("root"))
        let first = try await service.create("noop", createdBy: .user("alice"))
        let bobs = try await service.create("noop", createdBy: .user("bob"))
        try await service.cancel(bobs.id, as: .user("bob"))
        let second = try await service.create("noop", createdBy: .user("alice"))
        try await service.cancel(second.id, as: .user("alice"))

        let aliceSeen = try await collect("alice's three events", from: aliceEvents) { $0.count == 3 }
        #expect(aliceSeen.map(\.kind) == [.created, .created, .finished])
        #expect(aliceSeen.map(\.task.id) == [first.id, second.id, second.id])

        let adminSeen = try await collect("the admin's five events", from: adminEvents) { $0.count == 5 }
        #expect(adminSeen.map(\.task.id) == [first.id, bobs.id, bobs.id, second.id, second.id])
    }
}
