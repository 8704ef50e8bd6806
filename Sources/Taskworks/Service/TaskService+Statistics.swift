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
        var changed: [TaskRecord] = []
        var seen: Set<TaskID> = []  // a task changed while the pages are read may show twice
        var page = 1
        while true {
            let result = try await list(
                TaskQuery(sort: .updatedDescending, page: page, pageSize: TaskQuery.maximumPageSize),
                as: caller)
            for task in result.items where task.updatedAt >= start && seen.insert(task.id).inserted {
                changed.append(task)
            }
            guard result.items.count == TaskQuery.maximumPageSize, let last = result.items.last,
                last.updatedAt >= start
            else { break }
            page += 1
        }
        var pendingNow: [String: Int] = [:]
        for type in try await counts(for: caller).byType.keys {
            let pending = try await list(
                TaskQuery(statuses: [.pending], types: [type], pageSize: 1), as: caller)
            if pending.total > 0 { pendingNow[type] = pending.total }
        }
        return TaskStatisticsBuilder(start: start, minutes: minutes).build(
            from: changed, pendingNow: pendingNow)
    }
}
