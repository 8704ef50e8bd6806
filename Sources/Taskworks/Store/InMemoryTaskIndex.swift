import Foundation

/// All the state and decisions of ``InMemoryTaskStore``, with no locks and no awaits, so it can
/// be tested directly. The store wraps it in a lock.
///
/// Indexes kept up to date on every write:
/// - per-type claim heaps of pending tasks (priority, then age) and one heap of delayed tasks by
///   `runAfter`, so a claim costs O(log n); heap entries made stale by a later write are skipped
///   when they surface (each scheduling gets a fresh serial number);
/// - tasks in creation order, overall and per creator, so the default newest-first page walks
///   only as far as the page;
/// - counts per (type, status), overall and per creator, so totals and dashboards never scan;
/// - the set of running tasks, for the lease sweep.
struct InMemoryTaskIndex: Sendable {
    private struct Slot {
        var record: TaskRecord
        let sequence: UInt64
        var scheduleSerial: UInt64
    }

    private struct ReadyEntry: Comparable {
        let priority: Int
        let createdAt: Date
        let sequence: UInt64
        let id: TaskID
        let serial: UInt64

        /// "Comes out first": higher priority, then older, then inserted earlier.
        static func < (lhs: ReadyEntry, rhs: ReadyEntry) -> Bool {
            if lhs.priority != rhs.priority { return lhs.priority > rhs.priority }
            if lhs.createdAt != rhs.createdAt { return lhs.createdAt < rhs.createdAt }
            return lhs.sequence < rhs.sequence
        }

        static func == (lhs: ReadyEntry, rhs: ReadyEntry) -> Bool {
            lhs.sequence == rhs.sequence && lhs.serial == rhs.serial
        }
    }

    private struct DelayedEntry: Comparable {
        let runAfter: Date
        let sequence: UInt64
        let id: TaskID
        let serial: UInt64

        static func < (lhs: DelayedEntry, rhs: DelayedEntry) -> Bool {
            if lhs.runAfter != rhs.runAfter { return lhs.runAfter < rhs.runAfter }
            return lhs.sequence < rhs.sequence
        }

        static func == (lhs: DelayedEntry, rhs: DelayedEntry) -> Bool {
            lhs.sequence == rhs.sequence && lhs.serial == rhs.serial
        }
    }

    private struct CountKey: Hashable {
        let type: String
        let status: TaskStatus
    }

    private struct OrderEntry {
        let createdAt: Date
        let sequence: UInt64
        let id: TaskID

        func precedes(_ other: OrderEntry) -> Bool {
            createdAt != other.createdAt ? createdAt < other.createdAt : sequence < other.sequence
        }
    }

    /// Tasks sorted by (createdAt, insertion order). Appending is O(1) when creation dates
    /// arrive in order, as they do with a real clock.
    private struct CreationOrder {
        var entries: [OrderEntry] = []

        mutating func insert(_ entry: OrderEntry) {
            if let last = entries.last, entry.precedes(last) {
                var low = 0
                var high = entries.count
                while low < high {
                    let mid = (low + high) / 2
                    if entries[mid].precedes(entry) { low = mid + 1 } else { high = mid }
                }
                entries.insert(entry, at: low)
            } else {
                entries.append(entry)
            }
        }
    }

    private var slots: [TaskID: Slot] = [:]
    private var nextSequence: UInt64 = 0
    private var nextSerial: UInt64 = 0
    private var readyByType: [String: BinaryHeap<ReadyEntry>] = [:]
    private var delayed = BinaryHeap<DelayedEntry>()
    private var latestClaimTime = Date.distantPast
    private var running: Set<TaskID> = []
    private var order = CreationOrder()
    private var orderByCreator: [String: CreationOrder] = [:]
    private var counts: [CountKey: Int] = [:]
    private var countsByCreator: [String: [CountKey: Int]] = [:]

    init() {}

    var taskCount: Int { slots.count }

    func task(id: TaskID) -> TaskRecord? { slots[id]?.record }

    mutating func insert(_ task: TaskRecord) throws -> TaskRecord {
        guard slots[task.id] == nil else {
            throw TaskworksError.invalidInput("a task with id \(task.id) already exists")
        }
        var stored = task
        stored.version = 1
        nextSequence += 1
        slots[task.id] = Slot(record: stored, sequence: nextSequence, scheduleSerial: 0)
        let entry = OrderEntry(createdAt: stored.createdAt, sequence: nextSequence, id: stored.id)
        order.insert(entry)
        orderByCreator[stored.createdBy, default: CreationOrder()].insert(entry)
        if stored.deletedAt == nil { adjustCounts(for: stored, by: 1) }
        if stored.status == .running { running.insert(stored.id) }
        if stored.status == .pending && stored.deletedAt == nil { schedule(stored.id) }
        return stored
    }

    mutating func update(_ task: TaskRecord, expectedVersion: UInt64) -> TaskUpdateResult {
        guard let slot = slots[task.id] else { return .notFound }
        let old = slot.record
        guard old.version == expectedVersion else { return .conflict(current: old) }
        var new = task
        new.type = old.type
        new.createdBy = old.createdBy
        new.createdAt = old.createdAt
        new.version = expectedVersion + 1
        store(new, replacing: old)
        let needsScheduling =
            new.status == .pending && new.deletedAt == nil
            && (old.status != .pending || old.deletedAt != nil || old.priority != new.priority
                || old.runAfter != new.runAfter)
        if needsScheduling { schedule(new.id) }
        return .updated(new)
    }

    mutating func claim(_ request: TaskClaimRequest) -> [TaskRecord] {
        let now = request.now
        if now > latestClaimTime { latestClaimTime = now }
        promoteDueTasks(now: now)
        var claimed: [TaskRecord] = []
        while claimed.count < request.limit, let entry = popBestReady(types: request.types) {
            guard let slot = slots[entry.id] else { continue }
            if slot.record.runAfter > now {
                // Only possible when claimers' clocks disagree: keep it for later.
                delayed.insert(
                    DelayedEntry(
                        runAfter: slot.record.runAfter, sequence: slot.sequence, id: entry.id,
                        serial: entry.serial))
                continue
            }
            let record = request.claimed(slot.record)
            store(record, replacing: slot.record)
            claimed.append(record)
        }
        return claimed
    }

    func expiredLeases(at now: Date, limit: Int) -> [TaskRecord] {
        let expired = running.compactMap { id -> TaskRecord? in
            guard let record = slots[id]?.record, let expiry = record.leaseExpiresAt, expiry < now
            else { return nil }
            return record
        }
        return Array(
            expired.sorted { ($0.leaseExpiresAt ?? now) < ($1.leaseExpiresAt ?? now) }.prefix(limit))
    }

    func query(_ query: TaskQuery) -> TaskPage {
        let candidates: [OrderEntry]
        if let creator = query.createdBy {
            candidates = orderByCreator[creator]?.entries ?? []
        } else {
            candidates = order.entries
        }
        let offset = query.offset ?? Int.max
        let countsAreEnough =
            query.foldedSearch == nil && query.createdAfter == nil && query.createdBefore == nil
        switch query.sort {
        case .createdDescending, .createdAscending:
            var items: [TaskRecord] = []
            var matched = 0
            let knownTotal = countsAreEnough ? total(matching: query) : nil
            func visit(_ entry: OrderEntry) -> Bool {
                guard let record = slots[entry.id]?.record, query.matches(record) else { return true }
                if matched >= offset && items.count < query.pageSize { items.append(record) }
                matched += 1
                // With the total known from counts, stop as soon as the page is full.
                return !(knownTotal != nil && items.count == query.pageSize)
            }
            if query.sort == .createdDescending {
                for entry in candidates.reversed() where !visit(entry) { break }
            } else {
                for entry in candidates where !visit(entry) { break }
            }
            return TaskPage(
                items: items, total: knownTotal ?? matched, page: query.page, pageSize: query.pageSize)
        case .priorityDescending, .updatedDescending:
            var matches: [(record: TaskRecord, sequence: UInt64)] = []
            for entry in candidates {
                if let record = slots[entry.id]?.record, query.matches(record) {
                    matches.append((record, entry.sequence))
                }
            }
            matches.sort { lhs, rhs in
                if query.sort == .priorityDescending, lhs.record.priority != rhs.record.priority {
                    return lhs.record.priority > rhs.record.priority
                }
                if query.sort == .updatedDescending, lhs.record.updatedAt != rhs.record.updatedAt {
                    return lhs.record.updatedAt > rhs.record.updatedAt
                }
                if lhs.record.createdAt != rhs.record.createdAt {
                    return lhs.record.createdAt > rhs.record.createdAt
                }
                return lhs.sequence > rhs.sequence
            }
            let start = min(offset, matches.count)
            let end = min(start + query.pageSize, matches.count)
            return TaskPage(
                items: matches[start..<end].map(\.record), total: matches.count, page: query.page,
                pageSize: query.pageSize)
        }
    }

    func counts(createdBy: String?) -> TaskCounts {
        let source = createdBy.map { countsByCreator[$0] ?? [:] } ?? counts
        var result = TaskCounts()
        for (key, count) in source where count > 0 {
            result.byStatus[key.status, default: 0] += count
            result.byType[key.type, default: 0] += count
        }
        return result
    }

    func recentTasks(createdBy: String, createdSince: Date, limit: Int) -> [TaskRecord] {
        guard limit > 0, let entries = orderByCreator[createdBy]?.entries else { return [] }
        let creatorCounts = countsByCreator[createdBy] ?? [:]
        let activeTotal = creatorCounts.reduce(0) { sum, element in
            sum + (element.key.status.isActive ? element.value : 0)
        }
        var found: [TaskRecord] = []
        var activeSeen = 0
        for entry in entries.reversed() {
            // Past the cut-off only active tasks qualify; stop once all of them were seen.
            if entry.createdAt < createdSince && activeSeen >= activeTotal { break }
            guard let record = slots[entry.id]?.record, record.deletedAt == nil else { continue }
            let isActive = record.status.isActive
            if isActive { activeSeen += 1 }
            if isActive || record.createdAt >= createdSince {
                found.append(record)
                if found.count == limit { break }
            }
        }
        return found
    }

    // MARK: - Keeping the indexes current

    private mutating func store(_ new: TaskRecord, replacing old: TaskRecord) {
        if old.deletedAt == nil { adjustCounts(for: old, by: -1) }
        if new.deletedAt == nil { adjustCounts(for: new, by: 1) }
        if new.status == .running {
            running.insert(new.id)
        } else if old.status == .running {
            running.remove(new.id)
        }
        slots[new.id]?.record = new
    }

    private mutating func adjustCounts(for record: TaskRecord, by delta: Int) {
        let key = CountKey(type: record.type, status: record.status)
        counts[key, default: 0] += delta
        countsByCreator[record.createdBy, default: [:]][key, default: 0] += delta
    }

    private func total(matching query: TaskQuery) -> Int {
        let source = query.createdBy.map { countsByCreator[$0] ?? [:] } ?? counts
        var total = 0
        for (key, count) in source {
            if let statuses = query.statuses, !statuses.contains(key.status) { continue }
            if let types = query.types, !types.contains(key.type) { continue }
            total += count
        }
        return total
    }

    private mutating func schedule(_ id: TaskID) {
        guard let slot = slots[id] else { return }
        nextSerial += 1
        slots[id]?.scheduleSerial = nextSerial
        let record = slot.record
        if record.runAfter <= latestClaimTime {
            readyByType[record.type, default: BinaryHeap()].insert(
                ReadyEntry(
                    priority: record.priority, createdAt: record.createdAt, sequence: slot.sequence,
                    id: id, serial: nextSerial))
        } else {
            delayed.insert(
                DelayedEntry(runAfter: record.runAfter, sequence: slot.sequence, id: id, serial: nextSerial))
        }
    }

    private func isCurrent(id: TaskID, serial: UInt64) -> Bool {
        guard let slot = slots[id] else { return false }
        return slot.scheduleSerial == serial && slot.record.status == .pending
            && slot.record.deletedAt == nil
    }

    private mutating func promoteDueTasks(now: Date) {
        while let next = delayed.min, next.runAfter <= now {
            delayed.popMin()
            guard isCurrent(id: next.id, serial: next.serial), let record = slots[next.id]?.record
            else { continue }
            readyByType[record.type, default: BinaryHeap()].insert(
                ReadyEntry(
                    priority: record.priority, createdAt: record.createdAt, sequence: next.sequence,
                    id: next.id, serial: next.serial))
        }
    }

    /// Pops the best current entry among the allowed types, dropping stale entries on the way.
    private mutating func popBestReady(types: Set<String>?) -> ReadyEntry? {
        var bestType: String?
        var best: ReadyEntry?
        let candidateTypes = types.map(Array.init) ?? Array(readyByType.keys)
        for type in candidateTypes {
            guard var heap = readyByType[type] else { continue }
            readyByType[type] = nil  // keep the heap uniquely referenced while it changes
            while let top = heap.min, !isCurrent(id: top.id, serial: top.serial) {
                heap.popMin()
            }
            if let top = heap.min, best.map({ top < $0 }) ?? true {
                best = top
                bestType = type
            }
            if !heap.isEmpty { readyByType[type] = heap }
        }
        guard let bestType else { return nil }
        return readyByType[bestType]?.popMin()
    }
}
