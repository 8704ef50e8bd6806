import Foundation
import Taskworks
import TaskworksTesting

/// Paused tasks and paused task types: kept, counted, never claimed until resumed.
enum PauseChecks {
    static let all: [StoreCheck] = [
        StoreCheck("pause.aPausedTaskIsNeverClaimedAndKeepsItsUniqueKey") { context in
            let store = context.store
            let second = try await context.openAnotherHandle()
            let task = try await store.insert(Sample.record(uniqueKey: "report-1"))
            try await store.force(task.id) { $0.status = .paused }
            try expectEqual(try await store.claim(Sample.claim(limit: 5)), [], "claimed while paused")
            try expectEqual(
                try await second.claim(Sample.claim("worker-b", limit: 5)), [], "claimed on a second handle")
            try expectEqual(
                try await context.readModel.counts(createdBy: nil).byStatus, [.paused: 1], "counts by status")
            let duplicate = try await store.insert(Sample.record(uniqueKey: "report-1"))
            try expectEqual(duplicate.id, task.id, "a paused task's unique key is still held")
            try await store.force(task.id) { $0.status = .pending }
            try expectEqual(
                try await second.claim(Sample.claim("worker-b", limit: 5)).map(\.id), [task.id],
                "claimed once resumed")
        },
        StoreCheck("pause.aPausedTypeIsNotClaimedOnAnyHandle", requires: .typePauses) { context in
            let store = try typePauses(context.store)
            let second = try typePauses(try await context.openAnotherHandle())
            let emails = [
                try await store.insert(Sample.record(type: "email")),
                try await store.insert(Sample.record(type: "email")),
            ]
            let report = try await store.insert(Sample.record(type: "report"))
            try expect(try await store.setTaskType("email", paused: true), "pausing email changed nothing")
            try expect(
                !(try await store.setTaskType("email", paused: true)), "pausing email twice changed something"
            )
            try expectEqual(try await second.pausedTaskTypes(), ["email"], "paused types on a second handle")
            try expectEqual(
                try await second.claim(Sample.claim("worker-b", limit: 10)).map(\.id), [report.id],
                "claimed while email is paused")
            try expectEqual(
                try await store.claim(Sample.claim(limit: 10, types: ["email"])), [], "claimed email by name")
            try expect(try await second.setTaskType("email", paused: false), "resuming email changed nothing")
            try expectEqual(try await store.pausedTaskTypes(), [], "paused types after resuming")
            try expectEqual(
                Set(try await store.claim(Sample.claim(limit: 10)).map(\.id)), Set(emails.map(\.id)),
                "claimed once email is resumed")
            let reopened = try typePauses(try await context.openAnotherHandle())
            _ = try await second.setTaskType("report", paused: true)
            try expectEqual(try await reopened.pausedTaskTypes(), ["report"], "paused types read anew")
        },
        StoreCheck("pause.aPoolRunsAPausedTaskOnlyOnceResumed") { context in
            let service = TaskService(store: context.store, registry: try Sample.registry())
            let held = try await service.create("noop", createdBy: .user("alice"))
            try await service.pause(held.id, as: .user("alice"))
            let pool = WorkerPool(
                service: service, configuration: Sample.poolConfiguration(workerID: "pool-a"))
            try await withRunningPool(pool) {
                let other = try await service.create("noop", createdBy: .user("alice"))
                try await eventually("another task ran") {
                    try await service.task(other.id, as: .system).status == .succeeded
                }
                try expectEqual(
                    try await service.task(held.id, as: .system).status, .paused,
                    "the paused task after a run")
                try await service.resume(held.id, as: .user("alice"))
                try await eventually("the resumed task ran") {
                    try await service.task(held.id, as: .system).status == .succeeded
                }
            }
        },
    ]
}
