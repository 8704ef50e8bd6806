import Foundation

/// Claims, reads, and the store state that is not a task (settings, paused types, schedule
/// ticks): the pool, the scheduler and the service reach the store only through these.
extension TaskEngine {
    /// The task with this id, deleted or not, or `nil`; no visibility check.
    func storedTask(_ id: TaskID) async throws -> TaskRecord? {
        try await store.task(id: id)
    }

    /// Claims up to `request.limit` tasks for a pool (see ``TaskStore/claim(_:)``).
    func claim(_ request: TaskClaimRequest) async throws -> [TaskRecord] {
        try await store.claim(request)
    }

    /// A claimed task's runner is starting: publishes `.started`.
    func attemptStarted(_ claimed: TaskRecord) {
        events.publish(.started, claimed)
    }

    /// Whether the store declared that its calls never wait (``ImmediateTaskStore``).
    var writesNeverWait: Bool { capabilities.writesNeverWait }

    /// Notifications of work made in other processes, when the store gives them.
    func workAvailableNotifications() -> AsyncStream<Void>? {
        capabilities.notifications?.workAvailableNotifications()
    }

    /// The shared settings, or the defaults when the store keeps none.
    func sharedSettings() async throws -> TaskSettings {
        guard let store = capabilities.settings else { return TaskSettings() }
        return try await store.settings()
    }

    /// Saves validated shared settings and applies them to this process's pools at once.
    func saveSharedSettings(_ settings: TaskSettings) async throws {
        guard let store = capabilities.settings else {
            throw TaskworksError.unsupported("saving shared settings", needs: "TaskSettingsStore")
        }
        try await store.saveSettings(settings)
        pools.applySettings(settings)
    }

    /// Pauses or resumes a task type everywhere; says whether this call changed it. Resuming
    /// wakes this process's pools.
    func setTaskType(_ type: String, paused: Bool) async throws -> Bool {
        guard let store = capabilities.typePauses else {
            throw TaskworksError.unsupported("pausing a task type", needs: "TaskTypePauseStore")
        }
        let changed = try await store.setTaskType(type, paused: paused)
        if changed && !paused { pools.wake() }
        return changed
    }

    /// The task types paused now (none when the store keeps no paused types).
    func pausedTaskTypes() async throws -> Set<String> {
        guard let store = capabilities.typePauses else { return [] }
        return try await store.pausedTaskTypes()
    }

    /// The store that records schedule ticks; a scheduler cannot run without one.
    func scheduleTickStore() throws -> any TaskScheduleTickStore {
        guard let store = capabilities.scheduleTicks else {
            throw TaskworksError.unsupported("running schedules", needs: "TaskScheduleTickStore")
        }
        return store
    }

    /// Records that schedule `name` fired for `tick`; `true` for the one caller that recorded it.
    func claimScheduleTick(_ name: String, tick: Date) async throws -> Bool {
        try await scheduleTickStore().claimScheduleTick(name, tick: tick)
    }
}
