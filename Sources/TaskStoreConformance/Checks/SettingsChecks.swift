import Foundation
import Taskworks
import TaskworksTesting

/// Shared settings: defaults until saved, saved for every handle, and applied by pools.
enum SettingsChecks {
    static let all: [StoreCheck] = [
        StoreCheck("settings.defaultsUntilSavedThenTheSameOnEveryHandle", requires: .settings) { context in
            let store = try sharedSettings(context.store)
            try expectEqual(try await store.settings(), TaskSettings(), "settings before any save")
            try await store.saveSettings(TaskSettings(maxConcurrentTasks: 3))
            try expectEqual(
                try await store.settings().maxConcurrentTasks, 3, "settings read back on the same handle")
            let second = try sharedSettings(try await context.openAnotherHandle())
            try expectEqual(try await second.settings().maxConcurrentTasks, 3, "settings on a second handle")
            try await second.saveSettings(TaskSettings(maxConcurrentTasks: 7))
            try expectEqual(
                try await store.settings().maxConcurrentTasks, 7, "a second handle's save seen by the first")
            let reopened = try sharedSettings(try await context.openAnotherHandle())
            try expectEqual(try await reopened.settings().maxConcurrentTasks, 7, "settings read anew")
        },
        StoreCheck("settings.aPoolRunsNoMoreThanTheSharedLimit", requires: .settings) { context in
            let store = context.store
            let registry = TaskRegistry()
            let gate = TestGate()
            let running = ConcurrencyMeter()
            try registry.register("held") { _ in
                ClosureTaskRunner { _ in
                    running.enter()
                    defer { running.leave() }
                    try await gate.wait()
                    return nil
                }
            }
            let service = TaskService(store: store, registry: registry)
            try await service.updateSettings(TaskSettings(maxConcurrentTasks: 2), as: .system)
            for _ in 0..<6 { _ = try await service.create("held", createdBy: .system) }
            let pool = WorkerPool(
                service: service, configuration: Sample.poolConfiguration(workerID: "pool-a"))
            try await withRunningPool(pool) {
                try await eventually("two tasks run") { running.current == 2 }
                try expectEqual(
                    try await context.readModel.counts(createdBy: nil).byStatus[.running] ?? 0, 2,
                    "tasks running under a limit of 2 in a pool of 4")
                // Raised from another handle: the pool reads it within one poll interval.
                let other = TaskService(store: try await context.openAnotherHandle(), registry: registry)
                try await other.updateSettings(TaskSettings(maxConcurrentTasks: 3), as: .system)
                try await eventually("a third task runs") { running.current == 3 }
                try expect(running.maximum <= 3, "more than 3 ran at once: \(running.maximum)")
                gate.open()
                try await eventually("every task ends") {
                    try await context.readModel.counts(createdBy: nil).byStatus[.succeeded] == 6
                }
            }
            try expect(running.maximum <= 4, "more than the pool's 4 ran at once: \(running.maximum)")
        },
    ]
}
