import Foundation

/// A recurring task: which type to create, with what payload, and when.
///
/// ```swift
/// let refresh = try TaskSchedule(name: "refresh-cache", taskType: "refresh_cache",
///                                trigger: .interval(.seconds(300), runAtStart: true))
/// let nightly = try TaskSchedule(name: "nightly-report", taskType: "report",
///                                payload: Report(kind: "daily"),
///                                trigger: .cron("0 2 * * *", timeZone: TimeZone(identifier: "Europe/Paris")!))
/// ```
public struct TaskSchedule: Sendable {
    /// When a schedule fires.
    public enum Trigger: Sendable {
        /// Every `interval`, on multiples of it since 1970-01-01 UTC (so every process agrees on
        /// the ticks); with `runAtStart`, also once when the scheduler starts unless a run
        /// happened within the last interval.
        case interval(Duration, runAtStart: Bool)
        /// At the times of a 5-field cron expression in a time zone (UTC unless given).
        case cron(String, timeZone: TimeZone = .gmt)
    }

    /// Unique among the scheduler's schedules; names the schedule's runs.
    public let name: String
    /// The registered task type each run creates.
    public let taskType: String
    /// The payload of each run.
    public let payload: JSONValue?
    /// Options for each run (priority, retries, timeout); the scheduler sets the unique key.
    public let options: TaskOptions
    let timing: Timing

    enum Timing: Sendable {
        case interval(seconds: Double, runAtStart: Bool)
        case cron(CronExpression, TimeZone)
    }

    /// Makes a schedule.
    ///
    /// - Throws: ``TaskworksError/Code/invalidInput`` naming the bad field: an empty or
    ///   unusable name, a non-positive interval, a malformed cron expression, or a payload that is
    ///   not JSON.
    public init(
        name: String, taskType: String, payload: (some Encodable & Sendable)? = JSONValue?.none,
        options: TaskOptions = TaskOptions(), trigger: Trigger
    ) throws {
        guard !name.isEmpty, name.utf8.count <= 100,
            !name.containsControlCharacters
        else {
            throw TaskworksError.invalidInput(
                "schedule name '\(name.prefix(80))' must be 1–100 bytes on one line")
        }
        switch trigger {
        case .interval(let interval, let runAtStart):
            guard interval > .zero else {
                throw TaskworksError.invalidInput(
                    "schedule '\(name)': interval must be positive; got \(interval)")
            }
            timing = .interval(seconds: interval.timeInterval, runAtStart: runAtStart)
        case .cron(let text, let zone):
            do {
                timing = .cron(try CronExpression(text), zone)
            } catch let error as TaskworksError {
                throw TaskworksError.invalidInput("schedule '\(name)': \(error.message)")
            }
        }
        self.name = name
        self.taskType = taskType
        self.payload = try payload.map { try JSONValue(encoding: $0) }
        self.options = options
    }

    /// The first tick strictly after `date`.
    func nextTick(after date: Date) -> Date? {
        switch timing {
        case .interval(let seconds, _):
            let index = (date.timeIntervalSince1970 / seconds).rounded(.down) + 1
            return Date(timeIntervalSince1970: index * seconds)
        case .cron(let expression, let zone):
            return expression.nextFire(after: date, in: zone)
        }
    }

    /// The timing in words: `every 300 s` (`, and at start` when it runs at start) or
    /// `cron 0 2 * * * (Europe/Paris)`.
    public var rule: String {
        switch timing {
        case .interval(let seconds, let runAtStart):
            let amount =
                seconds.rounded() == seconds && seconds < 1e15 ? String(Int64(seconds)) : String(seconds)
            return "every \(amount) s" + (runAtStart ? ", and at start" : "")
        case .cron(let expression, let zone):
            return "cron \(expression.text) (\(zone.identifier))"
        }
    }

    /// The unique key every run of this schedule carries, so runs never overlap.
    var uniqueKey: String { TaskService.scheduleRunKey(name) }
}
