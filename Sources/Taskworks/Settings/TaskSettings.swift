/// Settings shared by every process on one store, changed at run time through
/// ``TaskService/updateSettings(_:as:)`` or `PUT /settings`, and read by every
/// ``WorkerPool`` on the store within one poll interval.
///
/// ```swift
/// var settings = try await service.settings(as: .admin("ops"))
/// settings.maxConcurrentTasks = 2
/// try await service.updateSettings(settings, as: .admin("ops"))
/// ```
public struct TaskSettings: Sendable, Hashable, Codable {
    /// ``maxConcurrentTasks`` until someone changes it.
    public static let defaultMaxConcurrentTasks = 10
    /// The values ``maxConcurrentTasks`` may take.
    public static let maxConcurrentTasksRange = 1...10_000

    /// The most tasks each pool on the store runs at once (`task_max_concurrent`), below the
    /// pool's own ``WorkerPool/Configuration/concurrency``: a pool with 4 worker loops runs at most
    /// `min(4, maxConcurrentTasks)`. Lowering it lets running tasks finish; no new ones start
    /// until a pool is under the limit. Default 10.
    public var maxConcurrentTasks: Int

    /// Makes settings.
    public init(maxConcurrentTasks: Int = TaskSettings.defaultMaxConcurrentTasks) {
        self.maxConcurrentTasks = maxConcurrentTasks
    }

    /// Checks ranges.
    ///
    /// - Throws: ``TaskworksError/Code/invalidInput`` naming the field and its range.
    public func validate() throws {
        guard TaskSettings.maxConcurrentTasksRange.contains(maxConcurrentTasks) else {
            throw TaskworksError.invalidInput(
                "maxConcurrentTasks must be \(TaskSettings.maxConcurrentTasksRange.lowerBound)–"
                    + "\(TaskSettings.maxConcurrentTasksRange.upperBound); got \(maxConcurrentTasks)")
        }
    }
}
