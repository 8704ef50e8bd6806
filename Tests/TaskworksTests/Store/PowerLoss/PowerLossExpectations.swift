import Foundation
import Testing

@testable import Taskworks

/// What a store must hold after a crash, from the lines the power-loss workload logged before
/// it (see `PowerLossWorkload` in the store helper). In `.synchronous` mode every acknowledged
/// write counts; in `.batched` mode only those an `fsync` of a journal followed before the crash.
struct PowerLossExpectations {
    var opened = false
    var created: [TaskID] = []
    var finished: [(TaskID, UInt64)] = []
    var removing: Set<TaskID> = []
    var removed: Set<TaskID> = []
    var tick: Int?
    /// The paused states a reopened store may show, by task type: the last acknowledged one, or
    /// any attempted after it.
    var pausedValues: [String: Set<Bool>] = [PowerLossWorkloadNames.pausedType: [false]]
    var concurrencyValues: Set<Int> = [TaskSettings.defaultMaxConcurrentTasks]
    /// Acknowledged lines counted (for the report).
    var acknowledged = 0

    /// Nothing expected.
    init() {}

    /// The expectations after the first `count` of `events`, on top of `base` (what a store held
    /// before a recovery that `events` record). `journals` are the inodes of journal files
    /// (their syncs make batched writes durable).
    init(
        _ events: [FileSystemEvent], afterEvents count: Int, batched: Bool, journals: Set<Int>,
        base: PowerLossExpectations = PowerLossExpectations()
    ) {
        self = base
        var lastJournalSync = -1
        for index in 0..<count {
            if case .syncFile(let inode) = events[index], journals.contains(inode) { lastJournalSync = index }
        }
        for index in 0..<count {
            guard case .logged(let line) = events[index] else { continue }
            let words = line.split(separator: " ")
            let durable = !batched || index < lastJournalSync || words.first == "opened"
            note(words, durable: durable)
        }
    }

    private mutating func note(_ words: [Substring], durable: Bool) {
        let id = words.count > 1 ? try? TaskID(parsing: String(words[1])) : nil
        let value = words.last.map(String.init) ?? ""
        let type = words.count > 1 ? String(words[1]) : ""
        switch (words.first, id) {
        case ("pausing", _): pausedValues[type, default: [false]].insert(value == "true")
        case ("saving", _): concurrencyValues.insert(Int(value) ?? -1)
        case ("removing", let id?): removing.insert(id)
        default: break
        }
        guard durable else { return }
        switch (words.first, id) {
        case ("opened", _): opened = true
        case ("ack", let id?): created.append(id)
        case ("finish", let id?): finished.append((id, UInt64(value) ?? 0))
        case ("removed", let id?): removed.insert(id)
        case ("tick", _): tick = Int(value)
        case ("paused", _): pausedValues[type] = [value == "true"]
        case ("saved", _): concurrencyValues = [Int(value) ?? -1]
        default: return
        }
        acknowledged += 1
    }

    /// Opens the store in `directory` and lists every expectation it breaks.
    func problems(in directory: URL) async -> [String] {
        var options = FileTaskStore.Options(createDirectory: !opened)
        options.warningHandler = { _ in }
        let store: FileTaskStore
        do {
            store = try await FileTaskStore(directory: directory.path, options: options)
        } catch {
            return ["the store does not open: \(error)"]
        }
        do {
            let found = try await problems(of: store)
            await store.close()
            return found
        } catch {
            await store.close()
            return ["reading the store failed: \(error)"]
        }
    }

    private func problems(of store: FileTaskStore) async throws -> [String] {
        // One scan instead of a call per task: the tasks as the reopened store holds them.
        var tasks: [TaskID: TaskRecord] = [:]
        var page = try await store.scanTasks(after: nil, limit: 1_000)
        while let last = page.last {
            for task in page { tasks[task.id] = task }
            page = try await store.scanTasks(after: last.id, limit: 1_000)
        }
        var problems: [String] = []
        let mayBeGone = removed.union(removing.filter { tasks[$0] == nil })
        for id in created where !mayBeGone.contains(id) && tasks[id] == nil {
            problems.append("acknowledged create \(id) lost")
        }
        for (id, version) in finished where !mayBeGone.contains(id) {
            let task = tasks[id]
            if (task?.version ?? 0) < version || task?.status != .succeeded {
                problems.append("acknowledged finish \(id) v\(version) lost (found v\(task?.version ?? 0))")
            }
        }
        for id in removed where tasks[id] != nil { problems.append("removed task \(id) came back") }
        if let tick {
            let stored = try await store.lastScheduleTick(PowerLossWorkloadNames.schedule)
            if stored.map({ Int($0.timeIntervalSince1970) < tick }) ?? true {
                problems.append(
                    "acknowledged schedule tick \(tick) lost (found \(String(describing: stored)))")
            }
        }
        let pausedTypes = try await store.pausedTaskTypes()
        for (type, allowed) in pausedValues where !allowed.contains(pausedTypes.contains(type)) {
            problems.append("\(type) paused is \(pausedTypes.contains(type)), expected one of \(allowed)")
        }
        let concurrency = try await store.settings().maxConcurrentTasks
        if !concurrencyValues.contains(concurrency) {
            problems.append(
                "maxConcurrentTasks is \(concurrency), expected one of \(concurrencyValues.sorted())")
        }
        return problems
    }
}

/// The names `PowerLossWorkload` uses (it lives in the helper executable, which tests do not import).
enum PowerLossWorkloadNames {
    static let schedule = "nightly"
    static let pausedType = "reports"
}
