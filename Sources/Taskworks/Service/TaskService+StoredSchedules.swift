import Foundation

/// A schedule as its store knows it, for a process that does not run the scheduler (the command
/// line): the definitions live in the host's code, so what the store holds is the last tick any
/// process recorded and the runs the scheduler created.
package struct StoredSchedule: Sendable {
    /// The schedule's name.
    package var name: String
    /// The last tick any scheduler recorded, or `nil` when none was (a run made by hand only).
    package var lastTick: Date?
    /// The newest run still stored (retention may have removed older ones).
    package var latestRun: TaskRecord
    /// How many of its runs are still stored.
    package var storedRuns: Int
}

extension TaskService {
    /// The unique key every run of schedule `name` carries.
    package static func scheduleRunKey(_ name: String) -> String { "taskworks.schedule:\(name)" }

    /// Every schedule with a run still stored, by name: found from the runs the system created
    /// (newest first, up to `maximumPages` pages of 100), each with its last recorded tick.
    ///
    /// - Throws: ``TaskworksError/Code/permissionDenied`` unless the policy lets `caller` view
    ///   settings (as `GET /schedules` requires) and see every creator's tasks (the runs are the
    ///   system's).
    package func storedSchedules(as caller: Caller, maximumPages: Int = 1_000) async throws
        -> [StoredSchedule]
    {
        try authorize(.viewSettings, as: caller)
        guard visibleCreator(for: caller) == nil else {
            throw TaskworksError(
                code: .permissionDenied,
                message:
                    "a schedule's runs are the system's tasks, which \(caller) does not see; "
                    + "ask as the system or an admin")
        }
        var found: [String: StoredSchedule] = [:]
        try await forEachScheduleRun(maximumPages: maximumPages) { name, run in
            found[name, default: StoredSchedule(name: name, lastTick: nil, latestRun: run, storedRuns: 0)]
                .storedRuns += 1
            return true
        }
        let ticks = try? engine.scheduleTickStore()
        var schedules = found.values.sorted { $0.name < $1.name }
        for index in schedules.indices {
            schedules[index].lastTick = try await ticks?.lastScheduleTick(schedules[index].name)
        }
        return schedules
    }

    /// Runs schedule `name` now from a process that does not have its definition: creates, as
    /// the system, a copy of its newest stored run (type, payload, priority, retries, timeout,
    /// metadata) with the schedule's unique key, so, as with ``TaskScheduler/runNow(_:)``, no
    /// run starts while the previous one is pending or running. Returns whether a run was
    /// created and the run concerned (the new one, or the one still active).
    ///
    /// - Throws: ``TaskworksError/Code/permissionDenied`` unless the policy lets `caller` run the
    ///   schedule; ``TaskworksError/Code/invalidInput`` when no run of it is stored.
    package func runStoredSchedule(_ name: String, as caller: Caller) async throws -> (
        created: Bool, run: TaskRecord
    ) {
        try authorize(.runSchedule(name), as: caller)
        var newest: TaskRecord?
        try await forEachScheduleRun { runName, run in
            if runName == name { newest = run }
            return newest == nil
        }
        guard let latest = newest else {
            throw TaskworksError(
                code: .invalidInput,
                message:
                    "no run of a schedule named '\(name.prefix(100))' is stored; `taskworks schedules` lists "
                    + "the schedules with runs, and the host's scheduler creates the first run")
        }
        let now = clock.now()
        var copy = TaskRecord(
            type: latest.type, priority: latest.priority, payload: latest.payload,
            createdBy: Caller.systemCreatorID, maxRetries: latest.maxRetries,
            timeout: latest.timeoutMilliseconds.map { Duration.milliseconds($0) }, runAfter: nil,
            uniqueKey: TaskService.scheduleRunKey(name), metadata: latest.metadata, createdAt: now)
        copy.version = 1
        let creation = try await engine.insertNew(copy, onComplete: nil)
        return (!creation.isDuplicate, creation.task)
    }

    /// Calls `visit` with the schedule name and the run for each run the system created, newest
    /// first, over up to `maximumPages` pages, until `visit` returns `false`.
    private func forEachScheduleRun(
        maximumPages: Int = 1_000, _ visit: (String, TaskRecord) -> Bool
    ) async throws {
        let prefix = TaskService.scheduleRunKey("")
        var query = TaskQuery(
            createdBy: Caller.systemCreatorID, sort: .createdDescending, pageSize: TaskQuery.maximumPageSize)
        while query.page <= maximumPages {
            let page = try await engine.readModel.query(query)
            for run in page.items {
                guard let key = run.uniqueKey, key.hasPrefix(prefix) else { continue }
                guard visit(String(key.dropFirst(prefix.count)), run) else { return }
            }
            guard page.hasMore else { return }
            query.page += 1
        }
    }
}
