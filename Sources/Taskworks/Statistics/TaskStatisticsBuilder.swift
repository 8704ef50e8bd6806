import Foundation

/// Builds ``TaskStatistics`` from the tasks changed in the window and the pending counts now: a
/// pure function of its inputs, so the service, the HTTP API and the command line agree.
struct TaskStatisticsBuilder {
    let start: Date
    let minutes: Int

    /// The minute `date` falls in, or `nil` outside the window.
    func minute(of date: Date?) -> Int? {
        guard let date, date >= start else { return nil }
        let index = Int(date.timeIntervalSince(start) / 60)
        return index < minutes ? index : nil
    }

    /// The statistics of `tasks` (every task updated since `start`, each once) given the pending
    /// tasks now, per type.
    func build(from tasks: [TaskRecord], pendingNow: [String: Int]) -> TaskStatistics {
        var total = TaskStatistics.Series(minutes: minutes)
        var byType: [String: TaskStatistics.Series] = [:]
        var waits: [Double] = []
        var runs: [String: [Double]] = [:]
        // How each minute moved the pending count: created adds, started (or cancelled while
        // pending) removes. Walking back from now undoes it.
        var pendingChange: [String: [Int]] = [:]
        func count(_ type: String, _ update: (inout TaskStatistics.Series) -> Void) {
            update(&total)
            update(&byType[type, default: TaskStatistics.Series(minutes: minutes)])
        }
        for task in tasks {
            var change = pendingChange[task.type] ?? Array(repeating: 0, count: minutes)
            if let created = minute(of: task.createdAt) {
                count(task.type) { $0.created[created] += 1 }
                change[created] += 1
            }
            if let started = minute(of: task.startedAt) {
                count(task.type) { $0.started[started] += 1 }
                change[started] -= 1
                if let startedAt = task.startedAt {
                    waits.append(startedAt.timeIntervalSince(task.createdAt))
                }
            } else if task.startedAt == nil, task.status == .cancelled, let left = minute(of: task.finishedAt)
            {
                change[left] -= 1  // cancelled while pending: it left the queue without starting
            }
            if let finished = minute(of: task.finishedAt) {
                if task.status == .succeeded { count(task.type) { $0.succeeded[finished] += 1 } }
                if task.status == .failed { count(task.type) { $0.failed[finished] += 1 } }
                if let startedAt = task.startedAt, let finishedAt = task.finishedAt {
                    runs[task.type, default: []].append(finishedAt.timeIntervalSince(startedAt))
                }
            }
            pendingChange[task.type] = change
        }
        for type in Set(pendingNow.keys).union(pendingChange.keys) where byType[type] == nil {
            byType[type] = TaskStatistics.Series(minutes: minutes)
        }
        for type in byType.keys {
            let depth = depths(now: pendingNow[type] ?? 0, changes: pendingChange[type])
            byType[type]?.queueDepth = depth
            for index in 0..<minutes { total.queueDepth[index] += depth[index] }
        }
        let started = byType.mapValues { $0.started.reduce(0, +) }
        return TaskStatistics(
            start: start, minutes: minutes, total: total, byType: byType,
            waitP50: Self.percentile(50, of: waits).map { .seconds($0) },
            waitP95: Self.percentile(95, of: waits).map { .seconds($0) },
            busiestTypes: Array(
                started.filter { $0.value > 0 }.sorted { ($1.value, $0.key) < ($0.value, $1.key) }.map(\.key)
                    .prefix(5)),
            slowestTypes: Array(
                runs.compactMapValues { Self.percentile(95, of: $0) }.sorted {
                    ($1.value, $0.key) < ($0.value, $1.key)
                }
                .map(\.key).prefix(5)))
    }

    /// Pending tasks at the end of each minute, from `now` backwards: the end of minute i is the
    /// end of minute i + 1 less what minute i + 1 added. Never below zero.
    private func depths(now: Int, changes: [Int]?) -> [Int] {
        var depth = Array(repeating: 0, count: minutes)
        guard minutes > 0 else { return depth }
        depth[minutes - 1] = now
        for index in stride(from: minutes - 2, through: 0, by: -1) {
            depth[index] = max(0, depth[index + 1] - (changes?[index + 1] ?? 0))
        }
        return depth
    }

    /// The nearest-rank percentile of `values`, in their unit; `nil` for none.
    static func percentile(_ percent: Int, of values: [Double]) -> Double? {
        guard !values.isEmpty else { return nil }
        let sorted = values.sorted()
        let rank = max(1, Int((Double(percent) / 100 * Double(sorted.count)).rounded(.up)))
        return sorted[min(sorted.count, rank) - 1]
    }
}
