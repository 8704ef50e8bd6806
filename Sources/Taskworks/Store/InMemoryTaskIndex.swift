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
        /// Insertion order, 1-based.
        let sequence: UInt64
        var scheduleSerial: UInt64
        /// ``TaskQuery/searchKey(of:)``, kept so a search never formats ids or folds case.
        var searchKey: String
        /// Removed for good; the slot stays until the next rebuild so handles stay valid.
        var isRemoved = false
    }

    private struct ReadyEntry: Comparable {
        let priority: Int
        let createdAt: Date
        let sequence: UInt64
        let handle: Int
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
        let handle: Int
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
        let handle: Int

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

    /// Every task, at a stable position (its handle); scans read fields in place.
    private var slots: [Slot] = []
    private var handles: [TaskID: Int] = [:]
    private var removedCount = 0
    private var nextSequence: UInt64 = 0
    private var nextSerial: UInt64 = 0
    private var readyByType: [String: BinaryHeap<ReadyEntry>] = [:]
    private var delayed = BinaryHeap<DelayedEntry>()
    private var latestClaimTime = Date.distantPast
    private var running: Set<Int> = []
    private var order = CreationOrder()
    private var orderByCreator: [String: CreationOrder] = [:]
    private var counts: [CountKey: Int] = [:]
    /// The task holding each unique key while it is pending or running.
    private var activeUniqueKeys: [String: Int] = [:]
    private var countsByCreator: [String: [CountKey: Int]] = [:]

    init() {}

    func task(id: TaskID) -> TaskRecord? { handles[id].map { slots[$0].record } }

    mutating func insert(_ task: TaskRecord) throws -> TaskRecord {
        guard handles[task.id] == nil else {
            throw TaskworksError.duplicateTaskID(task.id)
        }
        if let key = task.uniqueKey, let holder = activeUniqueKeys[key] {
            return slots[holder].record
        }
        var stored = task
        stored.version = 1
        upsert(stored)
        return stored
    }

    /// Stores `task` exactly as given (version included), replacing any copy with its id: how a
    /// durable store replays what it wrote. Returns `false` when the task was new.
    @discardableResult
    mutating func upsert(_ task: TaskRecord) -> Bool {
        guard let handle = handles[task.id] else {
            nextSequence += 1
            let handle = slots.count
            slots.append(
                Slot(
                    record: task, sequence: nextSequence, scheduleSerial: 0,
                    searchKey: TaskQuery.searchKey(of: task)))
            handles[task.id] = handle
            let entry = OrderEntry(createdAt: task.createdAt, sequence: nextSequence, handle: handle)
            order.insert(entry)
            orderByCreator[task.createdBy, default: CreationOrder()].insert(entry)
            if task.deletedAt == nil { adjustCounts(for: task, by: 1) }
            if task.status == .running { running.insert(handle) }
            if task.status == .pending && task.deletedAt == nil { schedule(handle) }
            trackUniqueKey(old: nil, new: task, at: handle)
            return false
        }
        let old = slots[handle].record
        store(task, replacing: old, at: handle)
        let needsScheduling =
            task.status == .pending && task.deletedAt == nil
            && (old.status != .pending || old.deletedAt != nil || old.priority != task.priority
                || old.runAfter != task.runAfter)
        if needsScheduling { schedule(handle) }
        return true
    }

    /// Every task in insertion order.
    var allRecords: [TaskRecord] { slots.filter { !$0.isRemoved }.map(\.record) }

    /// Up to `limit` tasks with an id above `id`, in id order. O(n log n): scans serve the
    /// default read model of stores without their own, never this index's own reads.
    func scan(after id: TaskID?, limit: Int) -> [TaskRecord] {
        guard limit > 0 else { return [] }
        var ids = Array(handles.keys)
        if let id { ids.removeAll { $0 <= id } }
        ids.sort()
        return ids.prefix(limit).compactMap { handles[$0].map { slots[$0].record } }
    }

    func removableTasks(_ criteria: RemovalCriteria, limit: Int) -> [TaskRecord] {
        var found: [TaskRecord] = []
        let latest = criteria.latestCreation
        for entry in order.entries {
            if entry.createdAt >= latest || found.count == limit { break }
            let slot = slots[entry.handle]
            if !slot.isRemoved && criteria.allows(slot.record) { found.append(slot.record) }
        }
        return found
    }

    /// Removes the tasks whose stored version still matches; returns the removed copies.
    mutating func remove(_ tasks: [TaskRecord]) -> [TaskRecord] {
        var removed: [TaskRecord] = []
        for task in tasks {
            guard let handle = handles[task.id], slots[handle].record.version == task.version else {
                continue
            }
            let record = slots[handle].record
            if record.deletedAt == nil { adjustCounts(for: record, by: -1) }
            running.remove(handle)
            if let key = InMemoryTaskIndex.holdsUniqueKey(record), activeUniqueKeys[key] == handle {
                activeUniqueKeys[key] = nil
            }
            handles[task.id] = nil
            slots[handle].isRemoved = true
            slots[handle].record.payload = nil
            slots[handle].record.result = nil
            slots[handle].searchKey = ""
            removedCount += 1
            removed.append(record)
        }
        // Once most slots are tombstones, rebuild: memory stays proportional to live tasks.
        if removedCount > 1024 && removedCount * 2 > slots.count { rebuild() }
        return removed
    }

    /// Applies a removal read from a journal (no version check: it was checked when written).
    mutating func removeReplayed(_ id: TaskID) {
        guard let handle = handles[id] else { return }
        _ = remove([slots[handle].record])
    }

    private mutating func rebuild() {
        var fresh = InMemoryTaskIndex()
        fresh.latestClaimTime = latestClaimTime
        for slot in slots where !slot.isRemoved { fresh.upsert(slot.record) }
        self = fresh
    }

    mutating func update(_ task: TaskRecord, expectedVersion: UInt64) -> TaskUpdateResult {
        guard let handle = handles[task.id] else { return .notFound }
        let old = slots[handle].record
        guard old.version == expectedVersion else { return .conflict(current: old) }
        var new = task
        new.type = old.type
        new.createdBy = old.createdBy
        new.createdAt = old.createdAt
        new.version = expectedVersion + 1
        upsert(new)
        return .updated(new)
    }

    mutating func claim(_ request: TaskClaimRequest) -> [TaskRecord] {
        let now = request.now
        if now > latestClaimTime { latestClaimTime = now }
        promoteDueTasks(now: now)
        var claimed: [TaskRecord] = []
        while claimed.count < request.limit, let entry = popBestReady(types: request.types) {
            let current = slots[entry.handle].record
            if current.runAfter > now {
                // Only possible when claimers' clocks disagree: keep it for later.
                delayed.insert(
                    DelayedEntry(
                        runAfter: current.runAfter, sequence: entry.sequence, handle: entry.handle,
                        serial: entry.serial))
                continue
            }
            let record = request.claimed(current)
            store(record, replacing: current, at: entry.handle)
            claimed.append(record)
        }
        return claimed
    }

    func expiredLeases(at now: Date, limit: Int) -> [TaskRecord] {
        let expired = running.compactMap { handle -> TaskRecord? in
            guard let expiry = slots[handle].record.leaseExpiresAt, expiry < now else { return nil }
            return slots[handle].record
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
        let needle = query.foldedSearch.map { Array($0.utf8) }
        let countsAreEnough = needle == nil && query.createdAfter == nil && query.createdBefore == nil
        switch query.sort {
        case .createdDescending, .createdAscending:
            var items: [TaskRecord] = []
            var matched = 0
            let knownTotal = countsAreEnough ? total(matching: query) : nil
            func visit(_ entry: OrderEntry) -> Bool {
                guard let record = match(entry.handle, query, needle: needle) else { return true }
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
                if let record = match(entry.handle, query, needle: needle) {
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
            let record = slots[entry.handle].record
            guard record.deletedAt == nil, !slots[entry.handle].isRemoved else { continue }
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

    private mutating func store(_ new: TaskRecord, replacing old: TaskRecord, at handle: Int) {
        if old.deletedAt == nil { adjustCounts(for: old, by: -1) }
        if new.deletedAt == nil { adjustCounts(for: new, by: 1) }
        if new.status == .running {
            running.insert(handle)
        } else if old.status == .running {
            running.remove(handle)
        }
        if new.errorMessage != old.errorMessage { slots[handle].searchKey = TaskQuery.searchKey(of: new) }
        trackUniqueKey(old: old, new: new, at: handle)
        slots[handle].record = new
    }

    private static func holdsUniqueKey(_ task: TaskRecord) -> String? {
        guard let key = task.uniqueKey, task.status.isActive, task.deletedAt == nil else { return nil }
        return key
    }

    private mutating func trackUniqueKey(old: TaskRecord?, new: TaskRecord, at handle: Int) {
        if let key = old.flatMap(InMemoryTaskIndex.holdsUniqueKey), activeUniqueKeys[key] == handle {
            activeUniqueKeys[key] = nil
        }
        if let key = InMemoryTaskIndex.holdsUniqueKey(new) { activeUniqueKeys[key] = handle }
    }

    /// The task at `handle` if it passes every filter of `query`, search included; the fields
    /// are read in place and the record is copied only when it matches.
    private func match(_ handle: Int, _ query: TaskQuery, needle: [UInt8]?) -> TaskRecord? {
        guard !slots[handle].isRemoved, query.matchesIgnoringSearch(slots[handle].record) else { return nil }
        if let needle, !SubstringSearch.contains(slots[handle].searchKey, needle) { return nil }
        return slots[handle].record
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

    private mutating func schedule(_ handle: Int) {
        nextSerial += 1
        slots[handle].scheduleSerial = nextSerial
        let record = slots[handle].record
        let sequence = slots[handle].sequence
        if record.runAfter <= latestClaimTime {
            readyByType[record.type, default: BinaryHeap()].insert(
                ReadyEntry(
                    priority: record.priority, createdAt: record.createdAt, sequence: sequence,
                    handle: handle, serial: nextSerial))
        } else {
            delayed.insert(
                DelayedEntry(
                    runAfter: record.runAfter, sequence: sequence, handle: handle, serial: nextSerial))
        }
    }

    private func isCurrent(handle: Int, serial: UInt64) -> Bool {
        slots[handle].scheduleSerial == serial && slots[handle].record.status == .pending
            && slots[handle].record.deletedAt == nil && !slots[handle].isRemoved
    }

    private mutating func promoteDueTasks(now: Date) {
        while let next = delayed.min, next.runAfter <= now {
            delayed.popMin()
            guard isCurrent(handle: next.handle, serial: next.serial) else { continue }
            let record = slots[next.handle].record
            readyByType[record.type, default: BinaryHeap()].insert(
                ReadyEntry(
                    priority: record.priority, createdAt: record.createdAt, sequence: next.sequence,
                    handle: next.handle, serial: next.serial))
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
            while let top = heap.min, !isCurrent(handle: top.handle, serial: top.serial) {
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
