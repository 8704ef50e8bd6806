import Foundation

/// All the state and decisions of ``InMemoryTaskStore``, with no locks and no awaits, so it can
/// be tested directly. The store wraps it in a lock.
///
/// Indexes kept up to date on every write:
/// - per-type claim queues of pending tasks (priority, then age) and one heap of delayed tasks by
///   `runAfter`, so a claim costs O(log n); heap entries made stale by a later write are skipped
///   when they surface (each scheduling gets a fresh serial number);
/// - tasks in creation order, overall and per creator, so the default newest-first page walks
///   only as far as the page;
/// - counts per (type, status), overall and per creator, so totals and dashboards never scan;
/// - the set of running tasks, for the lease sweep.
struct InMemoryTaskIndex: Sendable {
    struct Slot {
        var record: TaskRecord
        /// Insertion order, 1-based.
        let sequence: UInt64
        var scheduleSerial: UInt64
        /// The record's type and creator as interned numbers (``types``, ``creators``).
        var typeNumber: Int32
        var creatorNumber: Int32
        /// Where the slot sits in ``running`` while its task runs, else -1.
        var runningPosition = -1
        /// ``TaskQuery/searchKey(of:)``, made by the first search that looks at the task and kept
        /// until its error text changes, so later searches never format ids or fold case.
        var searchKey: String?
        /// Removed for good; the slot stays until the next rebuild so handles stay valid.
        var isRemoved = false
    }

    /// Every task, at a stable position (its handle); scans read fields in place.
    var slots: [Slot] = []
    var handles: [TaskID: Int] = [:]
    var removedCount = 0
    var nextSequence: UInt64 = 0
    var nextSerial: UInt64 = 0
    var types = Interner()
    var creators = Interner()
    /// Claim queues of pending tasks, by type number.
    var ready: [ReadyQueue<ReadyEntry>] = []
    var delayed = BinaryHeap<DelayedEntry>()
    var latestClaimTime = Date.distantPast
    /// Handles of running tasks (each slot knows its position), for the lease sweep.
    var running: [Int] = []
    var order = CreationOrder()
    /// Creation order per creator number.
    var orderByCreator: [CreationOrder] = []
    var counts = CountTable()
    /// The task holding each unique key while it is pending or running.
    var activeUniqueKeys: [String: Int] = [:]
    /// Each schedule's last fired tick: schedule state, kept beside the tasks but not a task.
    var scheduleTicks: [String: Date] = [:]
    /// Task types whose tasks are not claimed while paused.
    var pausedTypes: Set<String> = []
    /// The shared settings last saved, or `nil` for the defaults.
    var settings: TaskSettings?

    init() {}

    func task(id: TaskID) -> TaskRecord? { handles[id].map { slots[$0].record } }

    /// Records `tick` for schedule `name` unless a tick at or after it is recorded; `true` when
    /// it recorded it.
    mutating func claimScheduleTick(_ name: String, tick: Date) -> Bool {
        if let last = scheduleTicks[name], last >= tick { return false }
        scheduleTicks[name] = tick
        return true
    }

    /// Pauses or resumes `type`; `true` when that changed anything.
    mutating func setTaskType(_ type: String, paused: Bool) -> Bool {
        paused ? pausedTypes.insert(type).inserted : pausedTypes.remove(type) != nil
    }

    /// Applies a task read from a snapshot or journal: a schedule marker an earlier version
    /// stored as a hidden task becomes that schedule's tick; anything else is stored as given.
    mutating func replay(_ task: TaskRecord) {
        if let (name, tick) = LegacyScheduleMarker.tick(from: task) {
            scheduleTicks[name] = max(tick, scheduleTicks[name] ?? tick)
            if let handle = handles[task.id] { _ = remove([slots[handle].record]) }
        } else {
            upsert(task)
        }
    }

    mutating func insert(_ task: TaskRecord) throws -> TaskRecord {
        if let key = task.uniqueKey, let holder = activeUniqueKeys[key] {
            guard handles[task.id] == nil else { throw TaskworksError.duplicateTaskID(task.id) }
            return slots[holder].record
        }
        // One probe of the id table: it registers the id's handle unless the id is taken.
        var taken = false
        let handle = slots.count
        func register(_ stored: inout Int) {
            if stored < 0 { stored = handle } else { taken = true }
        }
        register(&handles[task.id, default: -1])
        guard !taken else { throw TaskworksError.duplicateTaskID(task.id) }
        var stored = task
        if stored.version != 1 { stored.version = 1 }
        append(stored, registered: true)
        return stored
    }

    /// Inserts every task in order, or none: every id is checked before the first insert, so
    /// only a held unique key (resolved to its holder) makes a task come back as another.
    mutating func insert(contentsOf tasks: [TaskRecord]) throws -> [TaskRecord] {
        var ids = Set<TaskID>(minimumCapacity: tasks.count)
        for task in tasks where handles[task.id] != nil || !ids.insert(task.id).inserted {
            throw TaskworksError.duplicateTaskID(task.id)
        }
        var stored: [TaskRecord] = []
        stored.reserveCapacity(tasks.count)
        for task in tasks { stored.append(try insert(task)) }
        return stored
    }

    /// Stores `task` exactly as given (version included), replacing any copy with its id: how a
    /// durable store replays what it wrote. Returns `false` when the task was new.
    @discardableResult
    mutating func upsert(_ task: TaskRecord) -> Bool {
        guard let handle = handles[task.id] else {
            append(task, registered: false)
            return false
        }
        replace(at: handle, with: task)
        return true
    }

    /// Adds a new slot for `task`; `registered` when its id already maps to the new handle.
    private mutating func append(_ task: TaskRecord, registered: Bool) {
        nextSequence += 1
        let handle = slots.count
        let creatorNumber = creators.number(of: task.createdBy)
        slots.append(
            Slot(
                record: task, sequence: nextSequence, scheduleSerial: 0,
                typeNumber: types.number(of: task.type), creatorNumber: creatorNumber))
        if !registered { handles[task.id] = handle }
        let entry = OrderEntry(createdAt: task.createdAt, sequence: nextSequence, handle: handle)
        order.insert(entry)
        if orderByCreator.count <= Int(creatorNumber) {
            orderByCreator.append(
                contentsOf: repeatElement(
                    CreationOrder(), count: Int(creatorNumber) + 1 - orderByCreator.count))
        }
        orderByCreator[Int(creatorNumber)].insert(entry)
        if task.deletedAt == nil { adjustCounts(at: handle, status: task.status, by: 1) }
        if task.status == .running { markRunning(handle) }
        if task.status == .pending && task.deletedAt == nil { schedule(handle) }
        trackUniqueKey(old: nil, new: task, at: handle)
    }

    /// Stores `task` in the slot at `handle`, keeping every index current.
    private mutating func replace(at handle: Int, with task: TaskRecord) {
        let old = slots[handle].record
        let needsScheduling =
            task.status == .pending && task.deletedAt == nil
            && (old.status != .pending || old.deletedAt != nil || old.priority != task.priority
                || old.runAfter != task.runAfter)
        store(task, replacing: old, at: handle)
        if needsScheduling { schedule(handle) }
    }

    /// Every schedule's last tick, by name.
    var allScheduleTicks: [ScheduleTick] {
        scheduleTicks.sorted { $0.key < $1.key }.map { ScheduleTick(name: $0.key, tick: $0.value) }
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
            if record.deletedAt == nil { adjustCounts(at: handle, status: record.status, by: -1) }
            unmarkRunning(handle)
            if let key = InMemoryTaskIndex.holdsUniqueKey(record), activeUniqueKeys[key] == handle {
                activeUniqueKeys[key] = nil
            }
            handles[task.id] = nil
            slots[handle].isRemoved = true
            slots[handle].record.payload = nil
            slots[handle].record.result = nil
            slots[handle].searchKey = nil
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

    mutating func rebuild() {
        var fresh = InMemoryTaskIndex()
        fresh.latestClaimTime = latestClaimTime
        fresh.scheduleTicks = scheduleTicks
        fresh.pausedTypes = pausedTypes
        fresh.settings = settings
        for slot in slots where !slot.isRemoved { fresh.upsert(slot.record) }
        self = fresh
    }

    mutating func update(_ task: TaskRecord, expectedVersion: UInt64) -> TaskUpdateResult {
        guard let handle = handles[task.id] else { return .notFound }
        guard slots[handle].record.version == expectedVersion else {
            return .conflict(current: slots[handle].record)
        }
        // Each field is written only when it differs: a record that already carries the stored
        // type, creator, date and next version (as the engine's writes do) is kept, not copied.
        var new = task
        let current = slots[handle].record
        if new.type != current.type { new.type = current.type }
        if new.createdBy != current.createdBy { new.createdBy = current.createdBy }
        if new.createdAt != current.createdAt { new.createdAt = current.createdAt }
        // Saturating: no trap on a damaged file's version.
        let nextVersion = expectedVersion < UInt64.max ? expectedVersion + 1 : UInt64.max
        if new.version != nextVersion { new.version = nextVersion }
        replace(at: handle, with: new)
        return .updated(new)
    }

    // MARK: - Keeping the indexes current

    mutating func store(_ new: TaskRecord, replacing old: TaskRecord, at handle: Int) {
        if old.deletedAt == nil { adjustCounts(at: handle, status: old.status, by: -1) }
        // Only a replayed copy could move a task to another type or creator.
        if new.type != old.type { slots[handle].typeNumber = types.number(of: new.type) }
        if new.createdBy != old.createdBy { slots[handle].creatorNumber = creators.number(of: new.createdBy) }
        if new.deletedAt == nil { adjustCounts(at: handle, status: new.status, by: 1) }
        if new.status == .running {
            markRunning(handle)
        } else if old.status == .running {
            unmarkRunning(handle)
        }
        if new.errorMessage != old.errorMessage { slots[handle].searchKey = nil }
        if new.uniqueKey != nil || old.uniqueKey != nil { trackUniqueKey(old: old, new: new, at: handle) }
        slots[handle].record = new
    }

    static func holdsUniqueKey(_ task: TaskRecord) -> String? {
        guard let key = task.uniqueKey, task.status.isActive, task.deletedAt == nil else { return nil }
        return key
    }

    mutating func trackUniqueKey(old: TaskRecord?, new: TaskRecord, at handle: Int) {
        if let key = old.flatMap(InMemoryTaskIndex.holdsUniqueKey), activeUniqueKeys[key] == handle {
            activeUniqueKeys[key] = nil
        }
        if let key = InMemoryTaskIndex.holdsUniqueKey(new) { activeUniqueKeys[key] = handle }
    }

    mutating func adjustCounts(at handle: Int, status: TaskStatus, by delta: Int) {
        counts.adjust(
            type: slots[handle].typeNumber, creator: slots[handle].creatorNumber, status: status, by: delta)
    }

    mutating func markRunning(_ handle: Int) {
        guard slots[handle].runningPosition < 0 else { return }
        slots[handle].runningPosition = running.count
        running.append(handle)
    }

    private mutating func unmarkRunning(_ handle: Int) {
        let position = slots[handle].runningPosition
        guard position >= 0 else { return }
        let last = running.removeLast()
        if last != handle {
            running[position] = last
            slots[last].runningPosition = position
        }
        slots[handle].runningPosition = -1
    }
}
