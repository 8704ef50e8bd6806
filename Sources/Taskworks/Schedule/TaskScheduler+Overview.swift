import Foundation

/// One schedule as an operator sees it: what it creates, when, and how its last run went.
public struct ScheduleOverview: Sendable {
    /// The schedule's name.
    public var name: String
    /// The task type each run creates.
    public var taskType: String
    /// The timing in words, e.g. `every 300 s` or `cron 0 2 * * * (Europe/Paris)`.
    public var rule: String
    /// When this process fires it next (`nil` before the scheduler first ticks, or when a cron
    /// expression never matches again).
    public var nextFire: Date?
    /// Whether the latest tick in this process created a run (`fired`) or found the previous run
    /// still active (`skipped`); `nil` when it has not ticked here yet.
    public var lastOutcome: String?
    /// The run that latest tick concerns, as stored now (its current status and progress).
    public var lastRun: TaskRecord?
}

extension TaskScheduler {
    /// Every added schedule, sorted by name, with its next fire time and its latest run as
    /// stored now. An operator's view: the HTTP API serves it as `GET /schedules` to callers
    /// the policy lets view settings.
    ///
    /// - Throws: what reading the store throws.
    public func overview() async throws -> [ScheduleOverview] {
        let added = schedules.withLock { $0.values.sorted { $0.name < $1.name } }
        let due = nextDue.withLock { $0 }
        let outcomes = lastOutcomes.withLock { $0 }
        var result: [ScheduleOverview] = []
        for schedule in added {
            var overview = ScheduleOverview(
                name: schedule.name, taskType: schedule.taskType, rule: schedule.rule,
                nextFire: due[schedule.name])
            switch outcomes[schedule.name] {
            case .fired(_, _, let task)?:
                overview.lastOutcome = "fired"
                overview.lastRun = try await engine.storedTask(task.id) ?? task
            case .skipped(_, _, let running)?:
                overview.lastOutcome = "skipped"
                overview.lastRun = try await engine.storedTask(running.id) ?? running
            case nil:
                break
            }
            result.append(overview)
        }
        return result
    }
}
