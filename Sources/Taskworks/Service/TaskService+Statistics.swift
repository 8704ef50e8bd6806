import Foundation

extension TaskService {
    /// Throughput and queue depth per minute over the last `window` (at most 24 hours), per task
    /// type and in total, over the tasks `caller` sees: what the command line's `stats` shows.
    /// Reads only the tasks changed in the window (newest changes first) and the pending counts.
    ///
    /// - Throws: ``TaskworksError/Code/invalidInput`` for a window outside one minute to 24 hours;
    ///   ``TaskworksError/Code/permissionDenied`` when the policy does not allow listing.
    public func statistics(over window: Duration = .seconds(3_600), as caller: Caller) async throws
        -> TaskStatistics
    {
        guard window >= .seconds(60), window <= .seconds(86_400) else {
            throw TaskworksError.invalidInput(
                "a statistics window must be from 1 minute to 24 hours, not \(window)")
        }
        let minutes = Int(window.components.seconds / 60)
        let now = clock.now()
        let currentMinute = Date(
            timeIntervalSinceReferenceDate: (now.timeIntervalSinceReferenceDate / 60).rounded(.down) * 60)
        let start = currentMinute.addingTimeInterval(-Double(minutes - 1) * 60)
        let changed = try await tasksChanged(since: start, as: caller)
        var pendingNow: [String: Int] = [:]
        for type in try await counts(for: caller).byType.keys {
            let pending = try await list(
                TaskQuery(statuses: [.pending], types: [type], pageSize: 1), as: caller)
            if pending.total > 0 { pendingNow[type] = pending.total }
        }
        return TaskStatisticsBuilder(start: start, minutes: minutes).build(
            from: changed, pendingNow: pendingNow)
    }

    /// The tasks `caller` sees (of `types`, when given) whose last change is at or after `date`,
    /// most recent change first, each once: pages of the most recently updated tasks, read until
    /// a page reaches back past `date` or `maximumPages` were read. A task changed while the pages
    /// are read may show on two pages; it is kept where it showed first.
    package func tasksChanged(
        since date: Date, types: Set<String>? = nil, as caller: Caller, maximumPages: Int = .max
    ) async throws -> [TaskRecord] {
        var changed: [TaskRecord] = []
        var seen: Set<TaskID> = []
        var query = TaskQuery(types: types, sort: .updatedDescending, pageSize: TaskQuery.maximumPageSize)
        while query.page <= maximumPages {
            let result = try await list(query, as: caller)
            for task in result.items where task.updatedAt >= date && seen.insert(task.id).inserted {
                changed.append(task)
            }
            guard result.items.count == query.pageSize, let last = result.items.last, last.updatedAt >= date
            else { break }
            query.page += 1
        }
        return changed
    }
}
