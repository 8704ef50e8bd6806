import Foundation
import TaskworksTesting
import Testing

@testable import TaskStoreConformance
@testable import Taskworks

/// A store declares what it can do beyond the core by conformance; what it does not declare is a
/// typed `unsupported` error or a documented default, never a crash or a silent no-op.
@Suite("Store capabilities")
struct StoreCapabilityTests {
    @Test func aCoreOnlyStoreRefusesWhatItCannotKeepAndDefaultsTheRest() async throws {
        let service = TaskService(store: CoreOnlyStore(), registry: try Sample.registry())
        #expect(try await service.settings(as: .system) == TaskSettings())
        #expect(try await service.pausedTaskTypes(as: .system) == [])
        await expectCode(.unsupported) {
            try await service.updateSettings(TaskSettings(maxConcurrentTasks: 2), as: .system)
        }
        await expectCode(.unsupported) { _ = try await service.pauseTaskType("noop", as: .system) }
        let scheduler = TaskScheduler(service: service)
        await expectCode(.unsupported) { try await scheduler.run() }
        // The core still runs tasks, lists and counts them (ScanningTaskReadModel).
        let pool = WorkerPool(service: service, configuration: Sample.poolConfiguration(workerID: "core"))
        try await withRunningPool(pool) {
            let task = try await service.create("noop", createdBy: .user("alice"))
            try await eventually("the task ran") {
                try await service.task(task.id, as: .system).status == .succeeded
            }
        }
        #expect(try await service.counts(for: .user("alice")).byStatus == [.succeeded: 1])
    }

    @Test func capabilitiesAreDiscoveredThroughAForwardingWrapperButTheImmediateHintIsNot() async throws {
        let wrapped = PassThroughStore(base: InMemoryTaskStore())
        let capabilities = StoreCapabilities(of: wrapped)
        #expect(capabilities.scheduleTicks != nil)
        #expect(capabilities.typePauses != nil)
        #expect(capabilities.settings != nil)
        #expect(capabilities.readModel is InMemoryTaskStore)
        #expect(!capabilities.writesNeverWait)
        #expect(StoreCapabilities(of: InMemoryTaskStore()).writesNeverWait)
        #expect(!StoreCapabilities(of: CoreOnlyStore()).writesNeverWait)
        #expect(StoreCapabilities(of: CoreOnlyStore()).readModel is ScanningTaskReadModel)

        let service = TaskService(store: wrapped, registry: try Sample.registry())
        #expect(try await service.pauseTaskType("noop", as: .system))
        #expect(try await service.pausedTaskTypes(as: .system) == ["noop"])
    }

    private struct PassThroughStore: ForwardingTaskStore {
        let base: any TaskStore
    }

    private func expectCode(
        _ code: TaskworksError.Code, sourceLocation: SourceLocation = #_sourceLocation,
        _ body: () async throws -> Void
    ) async {
        do {
            try await body()
            Issue.record("expected \(code), nothing was thrown", sourceLocation: sourceLocation)
        } catch let error as TaskworksError {
            #expect(error.code == code, sourceLocation: sourceLocation)
            #expect(error.message.contains("conforms to"), sourceLocation: sourceLocation)
        } catch {
            Issue.record("expected \(code), got \(error)", sourceLocation: sourceLocation)
        }
    }
}
